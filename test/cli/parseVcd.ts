import { createRequire } from 'node:module';

/** vcd-parser 1.0 (CommonJS, untyped): waves are [time, value] string pairs. */
const VCDParser = createRequire(import.meta.url)('vcd-parser') as { parse(text: string): Promise<unknown> };

/**
 * vcd-parser's `parse`, without its waits. It handles each line of the dump in
 * a timer turn of its own (`setTimeout(…, 0)`, at least 1 ms in Node), so the
 * 41 000 lines of `race`'s VCD waited 41 s for about 2 s of parsing. While it
 * parses, its timer turns run as immediates: the same parser and the same
 * result, without the waiting. Nothing else in the test runs meanwhile (vitest
 * keeps its own timers).
 * @param text - a VCD file's text
 * @returns what vcd-parser resolves to
 */
export const parseVcd = async (text: string): Promise<unknown> => {
  const setTimeoutBefore = globalThis.setTimeout;
  globalThis.setTimeout = ((callback: () => void) => setImmediate(callback)) as unknown as typeof setTimeout;
  try {
    return await VCDParser.parse(text);
  } finally {
    globalThis.setTimeout = setTimeoutBefore;
  }
};
