import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './CliError';
import { describeValue } from '../src/shared/describeValue';

/** The file-system calls a write goes through (Node's; tests pass one whose `writeSync` writes short). */
export type WriteFs = Pick<typeof fs, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'rmSync'>;

/** One output: where it goes, and its text, made only when its turn comes (outputs can be large). */
export interface OutputText {
  readonly path: string;
  readonly text: () => string;
}

const tempOf = (path: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);

/** Writes all of `bytes` to a new file `temp` and syncs it; on any failure the file is removed. */
const writeTemp = (temp: string, bytes: Uint8Array, io: WriteFs): void => {
  const fd = io.openSync(temp, 'wx');
  try {
    // A write may take fewer bytes than asked (POSIX allows it); the rest is written next. One that takes
    // none, or throws (ENOSPC once the disk is full), ends the write: the file would be cut short.
    for (let done = 0; done < bytes.length; ) {
      const n = io.writeSync(fd, bytes, done, bytes.length - done);
      if (!(n > 0)) throw new Error(`short write: ${done} of ${bytes.length} bytes written (is the disk full?)`);
      done += n;
    }
    io.fsyncSync(fd);
  } catch (error) {
    io.closeSync(fd);
    io.rmSync(temp, { force: true });
    throw error;
  }
  io.closeSync(fd);
};

/**
 * Writes several files, all or nothing: each text goes to a temporary file
 * beside its path, and only once every one is complete are they renamed
 * over their paths. A failed write (a full disk, a short write, a text that
 * cannot be made) removes the temporary files and leaves every old file as
 * it was.
 * @param files - the outputs, in the order their texts are made
 * @param io - the file-system calls (tests inject failures here)
 * @throws CliError naming the path and the system's reason, when a file cannot be written; a text's own error as thrown
 */
export const writeFilesAtomic = (files: Iterable<OutputText>, io: WriteFs = fs): void => {
  const written: { readonly temp: string; readonly path: string }[] = [];
  const discard = (): void => {
    for (const w of written) io.rmSync(w.temp, { force: true });
  };
  for (const file of files) {
    let text: string;
    try {
      text = file.text();
    } catch (error) {
      discard();
      throw error;
    }
    const temp = tempOf(file.path);
    try {
      writeTemp(temp, Buffer.from(text, 'utf8'), io);
    } catch (error) {
      discard();
      throw new CliError(`cannot write ${file.path}: ${reasonOf(error)}`);
    }
    written.push({ temp, path: file.path });
  }
  for (const [i, w] of written.entries()) {
    try {
      io.renameSync(w.temp, w.path);
    } catch (error) {
      for (const rest of written.slice(i)) io.rmSync(rest.temp, { force: true });
      throw new CliError(`cannot write ${w.path}: ${reasonOf(error)}`);
    }
  }
};

/**
 * Writes `text` to `path` through a temporary file in the same directory,
 * renamed over `path` only once it is complete: a failed or interrupted write
 * never leaves a half-written output.
 * @param io - the file-system calls (tests inject failures here)
 * @throws CliError naming the path and the system's reason
 */
export const writeFileAtomic = (path: string, text: string, io: WriteFs = fs): void => writeFilesAtomic([{ path, text: () => text }], io);

/** The short reason of a file-system error (`ENOENT: no such file or directory`). */
export const reasonOf = (error: unknown): string => {
  if (error instanceof Error) {
    const { code, syscall } = error as NodeJS.ErrnoException;
    // Node ends a system error's message with the call and the path (`…, open '/x/y'`): the CLI names the path itself.
    const message = error.message.replace(/^[A-Z]+: /, '').replace(syscall === undefined ? /, \w+ '.*'$/ : /, \w+( '.*')?$/, '');
    return code === undefined ? message : `${code}: ${message}`;
  }
  return describeValue(error);
};
