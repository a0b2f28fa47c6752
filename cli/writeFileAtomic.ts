import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { CliError } from './CliError';
import { removeStaleTemps } from './removeStaleTemps';
import { describeValue } from '../src/shared/describeValue';

/** The file-system calls a write goes through (Node's; tests pass one whose `writeSync` writes short). */
export type WriteFs = Pick<typeof fs, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'rmSync'>;

/** One output: where it goes, and its text, made only when its turn comes (outputs can be large). */
export interface OutputText {
  readonly path: string;
  readonly text: () => string;
}

const tempOf = (path: string, tag = ''): string => join(dirname(path), `.${basename(path)}.${process.pid}${tag === '' ? '' : `.${tag}`}.tmp`);

/** Writes all of `bytes` to `fd`, at `position` when given, else at the file's offset. */
const writeAll = (fd: number, bytes: Uint8Array, io: WriteFs): void => {
  // A write may take fewer bytes than asked (POSIX allows it); the rest is written next. One that takes
  // none, or throws (ENOSPC once the disk is full), ends the write: the file would be cut short.
  for (let done = 0; done < bytes.length; ) {
    const n = io.writeSync(fd, bytes, done, bytes.length - done);
    if (!(n > 0)) throw new Error(`short write: ${done} of ${bytes.length} bytes written (is the disk full?)`);
    done += n;
  }
};

/** Writes all of `bytes` to a new file `temp` and syncs it; on any failure the file is removed. */
const writeTemp = (temp: string, bytes: Uint8Array, io: WriteFs): void => {
  const fd = io.openSync(temp, 'wx');
  try {
    writeAll(fd, bytes, io);
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
    removeStaleTemps(file.path);
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

/** The file-system calls a streamed output goes through: a write's, and reading a scratch file back. */
export type StreamFs = WriteFs & Pick<typeof fs, 'readSync'>;

/** A file written piece by piece while a run goes (see {@link StreamedFiles}). */
export interface StreamedFile {
  /** The path it stands for (an output's target, or the output a scratch file serves). */
  readonly path: string;
  /** Appends text (buffered: written in chunks of about a megabyte). */
  write(text: string): void;
  /** Everything written so far, read back from the file in chunks (a scratch file's use). */
  read(): Iterable<string>;
}

/** Text is written to the file once this much has gathered (characters). */
const CHUNK = 1 << 16;

interface Open extends StreamedFile {
  readonly temp: string;
  readonly output: boolean;
  flush(): void;
  fd: number | undefined;
}

/**
 * Outputs written while a run goes, all or nothing: each goes to a
 * temporary file beside its path, written in chunks as the run produces it
 * (so the run keeps none of it in memory), and only {@link StreamedFiles.commit},
 * once every one is complete, renames them over their paths. A failed write
 * (a full disk, a short write) or a failed run ({@link StreamedFiles.discard})
 * removes the temporary files and leaves every old file as it was. Scratch
 * files (a body that must wait for its header) sit beside their output and
 * are removed either way.
 */
export class StreamedFiles {
  private readonly files: Open[] = [];

  /** @param io - the file-system calls (tests inject failures here) */
  constructor(private readonly io: StreamFs = fs) {}

  /**
   * Opens the temporary file of output `path`.
   * @throws CliError naming the path and the reason, when it cannot be created
   */
  output(path: string): StreamedFile {
    return this.open(path, tempOf(path), true);
  }

  /**
   * Opens a scratch file beside output `path`, named with `tag`.
   * @throws CliError naming the path and the reason, when it cannot be created
   */
  scratch(path: string, tag: string): StreamedFile {
    return this.open(path, tempOf(path, tag), false);
  }

  /**
   * Writes what is buffered, syncs and closes every file, renames the outputs
   * over their paths and removes the scratch files.
   * @throws CliError naming the path and the reason; every temporary file is removed then
   */
  commit(): void {
    const { io } = this;
    for (const f of this.files) {
      this.guard(f, () => {
        f.flush();
        if (f.output) io.fsyncSync(f.fd!);
        io.closeSync(f.fd!);
        f.fd = undefined;
      });
    }
    const outputs = this.files.filter((f) => f.output);
    for (const [i, f] of outputs.entries()) {
      try {
        io.renameSync(f.temp, f.path);
      } catch (error) {
        for (const rest of outputs.slice(i)) io.rmSync(rest.temp, { force: true });
        this.removeScratch();
        throw new CliError(`cannot write ${f.path}: ${reasonOf(error)}`);
      }
    }
    this.removeScratch();
  }

  /** Closes and removes every temporary file: the old outputs stay as they were. Idempotent. */
  discard(): void {
    for (const f of this.files) {
      if (f.fd !== undefined) {
        try {
          this.io.closeSync(f.fd);
        } catch {
          // Removing the file is what matters.
        }
        f.fd = undefined;
      }
      this.io.rmSync(f.temp, { force: true });
    }
  }

  private removeScratch(): void {
    for (const f of this.files) if (!f.output) this.io.rmSync(f.temp, { force: true });
  }

  /** Runs a file operation; on failure removes every temporary file and names the output. */
  private guard<T>(f: { readonly path: string }, op: () => T): T {
    try {
      return op();
    } catch (error) {
      this.discard();
      throw new CliError(`cannot write ${f.path}: ${reasonOf(error)}`);
    }
  }

  private open(path: string, temp: string, output: boolean): StreamedFile {
    const { io } = this;
    removeStaleTemps(path);
    const fd = this.guard({ path }, () => io.openSync(temp, output ? 'wx' : 'wx+'));
    let pending: string[] = [];
    let size = 0;
    const file: Open = {
      path,
      temp,
      output,
      fd,
      flush: () => {
        if (pending.length === 0) return;
        const bytes = Buffer.from(pending.join(''), 'utf8');
        pending = [];
        size = 0;
        writeAll(file.fd!, bytes, io);
      },
      write: (text) => {
        pending.push(text);
        size += text.length;
        if (size >= CHUNK) this.guard(file, file.flush);
      },
      read: () => {
        this.guard(file, file.flush);
        return readBack(file, io, (op) => this.guard(file, op));
      },
    };
    this.files.push(file);
    return file;
  }
}

/** A scratch file's text from its start, in chunks (UTF-8 decoded across chunk boundaries). */
function* readBack(file: Open, io: StreamFs, guard: <T>(op: () => T) => T): Generator<string> {
  const buffer = Buffer.alloc(CHUNK);
  const decoder = new StringDecoder('utf8');
  for (let position = 0; ; ) {
    const n = guard(() => io.readSync(file.fd!, buffer, 0, buffer.length, position));
    if (n === 0) break;
    position += n;
    yield decoder.write(buffer.subarray(0, n));
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}
