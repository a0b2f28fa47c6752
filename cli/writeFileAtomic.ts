import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './CliError';
import { describeValue } from '../src/shared/describeValue';

/**
 * Writes `text` to `path` through a temporary file in the same directory,
 * renamed over `path` only once it is complete: a failed or interrupted write
 * never leaves a half-written output.
 * @throws CliError naming the path and the system's reason
 */
export const writeFileAtomic = (path: string, text: string): void => {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx');
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw new CliError(`cannot write ${path}: ${reasonOf(error)}`);
  }
};

/** The short reason of a file-system error (`ENOENT: no such file or directory`). */
export const reasonOf = (error: unknown): string => {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
    return code === undefined ? message : `${code}: ${message}`;
  }
  return describeValue(error);
};
