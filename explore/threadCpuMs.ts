import { readFileSync } from 'node:fs';

/**
 * The calling thread's CPU time (ms) where Linux tells it: to the
 * nanosecond from `/proc/thread-self/schedstat`, else to the kernel's 10 ms
 * tick from `/proc/thread-self/stat`; NaN elsewhere. Node 20 has no
 * per-thread CPU clock, and `process.cpuUsage()` counts every thread of the
 * process: the benchmarks' per-part and per-thread figures use this.
 * Node-only: loaded by the worker thread and the benchmarks, never by the
 * package root. @internal
 */
export const threadCpuMs = (): number => threadTimes().cpuMs;

/**
 * The calling thread's CPU time and the time it waited, ready to run, while
 * other threads had the cores (ms; `waitMs` NaN where the kernel does not
 * tell it): a part whose wall time exceeds its CPU time by its wait lost
 * that time to other threads (the other worker, the compiler's and the
 * garbage collector's), not to its own work. @internal
 */
export const threadTimes = (): { readonly cpuMs: number; readonly waitMs: number } => {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    const cpuMs = Number(run) / 1e6;
    if (cpuMs > 0) return { cpuMs, waitMs: Number(wait) / 1e6 };
  } catch {
    // no schedstat: the tick-based figure below
  }
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return { cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100, waitMs: Number.NaN };
  } catch {
    return { cpuMs: Number.NaN, waitMs: Number.NaN };
  }
};
