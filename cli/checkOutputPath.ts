import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, USAGE_ERROR } from './CliError';
import { reasonOf } from './writeFileAtomic';

/** A path given on the command line, and what gave it: `--vcd`, or `the scenario` for an input. */
export interface GivenPath {
  readonly path: string;
  /** The option or argument, as the message names it. */
  readonly given: string;
}

/** The closest of `dir` and its parents that exists: where a recursive mkdir will start. */
const closestExisting = (dir: string): string => {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
};

/**
 * Checks, before any work, that `path` can be written: its directory exists
 * (or, with `createDirectory`, can be made) and is writable, and the path is
 * not a directory. Failing early means a long run never ends in an
 * unwritable output.
 * @param option - the option that named it, for the message (`--vcd`)
 * @param options - `createDirectory`: the command makes the directory first (`race --out`)
 * @throws CliError naming the option, the path and the reason
 */
export const checkOutputPath = (path: string, option: string, options: { readonly createDirectory?: boolean } = {}): void => {
  const dir = dirname(resolve(path));
  try {
    const existing = options.createDirectory === true ? closestExisting(dir) : dir;
    if (!statSync(existing).isDirectory()) throw new Error(`${existing} is not a directory`);
    accessSync(existing, constants.W_OK);
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

/**
 * What `path` names, such that two paths to one file get one key: the
 * device and inode of an existing file (through links, `..`, case-folding
 * file systems), else the real path of its directory and its name.
 */
const fileKey = (path: string): string => {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    // not there yet
  }
  const dir = dirname(resolve(path));
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    // its directory is made later (race --out): compare as given
  }
  return join(real, basename(path));
};

/**
 * Checks a command's outputs before it runs: each can be written
 * ({@link checkOutputPath}), no two name the same file, and none is one of
 * its inputs (writing it would destroy what the run reads).
 * @param outputs - the output paths, each with its option
 * @param inputs - the files the command reads (the scenario, the recording)
 * @param options - as {@link checkOutputPath}'s
 * @throws CliError naming the option and path at fault, and the other one
 */
export const checkOutputPaths = (
  outputs: readonly GivenPath[],
  inputs: readonly GivenPath[] = [],
  options: { readonly createDirectory?: boolean } = {},
): void => {
  for (const o of outputs) checkOutputPath(o.path, o.given, options);
  const inputKeys = inputs.map((i) => ({ ...i, key: fileKey(i.path) }));
  const seen: (GivenPath & { readonly key: string })[] = [];
  for (const o of outputs) {
    const key = fileKey(o.path);
    const input = inputKeys.find((i) => i.key === key);
    if (input !== undefined) throw new CliError(`${o.given} ${o.path}: is ${input.given} (${input.path}); writing it would destroy the input, give another path`, USAGE_ERROR);
    const twin = seen.find((s) => s.key === key);
    if (twin !== undefined) throw new CliError(`${o.given} ${o.path}: is also the ${twin.given} output (${twin.path}); give each output its own path`, USAGE_ERROR);
    seen.push({ ...o, key });
  }
};
