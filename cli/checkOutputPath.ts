import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError } from './CliError';
import { reasonOf } from './writeFileAtomic';

/**
 * Checks, before any work, that `path` can be written: its directory exists
 * and is writable, and the path is not a directory. Failing early means a
 * long run never ends in an unwritable output.
 * @param option - the option that named it, for the message (`--vcd`)
 * @throws CliError naming the option, the path and the reason
 */
export const checkOutputPath = (path: string, option: string): void => {
  const dir = dirname(resolve(path));
  try {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new CliError(`${option} ${path}: cannot write there (${reasonOf(error)})`);
  }
  try {
    if (statSync(path).isDirectory()) throw new CliError(`${option} ${path}: is a directory, expected a file path`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    // does not exist yet: fine
  }
};
