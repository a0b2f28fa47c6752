import { readFileSync } from 'node:fs';

/**
 * The calling thread's CPU time (ms, to the kernel's 10 ms tick) where Linux
 * tells it (`/proc/thread-self/stat`); NaN elsewhere. Node 20 has no
 * per-thread CPU clock, and `process.cpuUsage()` counts every thread of the
 * process: the benchmarks' per-part and per-thread figures use this.
 * Node-only: loaded by the worker thread and the benchmarks, never by the
 * package root. @internal
 */
export const threadCpuMs = (): number => {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
};
