import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Whether process `pid` is running (a signal 0 reaches it, or it exists but is not ours to signal). */
const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the temporary files a killed run left beside output `path`
 * (`.<name>.<pid>[.<tag>].tmp`, as the atomic writers name them) whose
 * process is gone. A run stopped by a signal cannot remove its own: a run
 * busy in simulation never returns to the event loop where a handler would
 * run, and SIGKILL runs none. Files of live processes are left alone, and
 * a file that cannot be listed or removed is skipped: this is tidying, not
 * part of the write.
 * @param path - an output path
 * @param alive - whether a process id is running (tests pass their own)
 * @returns the files removed
 */
export const removeStaleTemps = (path: string, alive: (pid: number) => boolean = running): string[] => {
  const pattern = new RegExp(`^\\.${escape(basename(path))}\\.(\\d+)(?:\\.[^./]+)?\\.tmp$`);
  const dir = dirname(path);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || alive(pid)) continue;
    try {
      fs.rmSync(join(dir, name), { force: true });
      removed.push(join(dir, name));
    } catch {
      // Left for a later run.
    }
  }
  return removed;
};
