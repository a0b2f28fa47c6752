import type { RunProgress } from '../system/System';

/** Something a progress report can be written to (a terminal's stderr). */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

/**
 * A one-line progress bar for long runs, redrawn in place at most every
 * `intervalMs` of wall time. Only on a terminal: when the output is not a
 * TTY it prints nothing, so logs and pipes stay clean.
 * @param output - usually `process.stderr`
 * @param label - shown before the bar
 * @param now - wall clock in ms (the CLI is not virtual-time code; tests pass their own)
 * @returns the progress callback for `System.run`, and `done()` to clear the line
 */
export const progressBar = (
  output: ProgressOutput,
  label: string,
  now: () => number = Date.now,
  intervalMs = 100,
): { readonly onProgress: ((p: RunProgress) => void) | undefined; done(): void } => {
  if (output.isTTY !== true) return { onProgress: undefined, done: () => undefined };
  let last = -Infinity;
  let drawn = false;
  const width = Math.max(10, Math.min(40, (output.columns ?? 80) - label.length - 30));
  return {
    onProgress: (p) => {
      const t = now();
      if (t - last < intervalMs && p.time < p.until) return;
      last = t;
      const span = p.until - p.from;
      const fraction = span === 0 ? 1 : (p.time - p.from) / span;
      const full = Math.round(fraction * width);
      output.write(`\r${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${p.events} events`);
      drawn = true;
    },
    done: () => {
      if (drawn) output.write('\r\x1b[2K');
    },
  };
};
