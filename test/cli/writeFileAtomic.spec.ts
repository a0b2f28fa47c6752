import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputPath } from '../../cli/checkOutputPath';
import { CliError } from '../../cli/CliError';
import { writeFileAtomic } from '../../cli/writeFileAtomic';
import { thrown } from '../support/errors';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ptimer-rx-atomic-'));

describe('writeFileAtomic', () => {
  it('writes the whole text and leaves no temporary file', () => {
    const dir = tmp();
    writeFileAtomic(join(dir, 'a.txt'), 'hello\n');
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello\n');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('replaces an existing file only once the new one is complete', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.txt'), 'old');
    writeFileAtomic(join(dir, 'a.txt'), 'new');
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('new');
  });

  it('fails with a CliError naming the path, leaving the old file and no temporary file', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    const error = thrown(() => writeFileAtomic(join(dir, 'sub'), 'x')); // a directory is in the way
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(/^cannot write .*sub: /);
    expect(readdirSync(dir)).toEqual(['sub']);
    expect(thrown(() => writeFileAtomic(join(dir, 'missing', 'a.txt'), 'x'))).toBeInstanceOf(CliError);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});

describe('checkOutputPath', () => {
  it('accepts a new file in a writable directory', () => {
    expect(() => checkOutputPath(join(tmp(), 'x.vcd'), '--vcd')).not.toThrow();
  });

  it('rejects a missing directory and a directory path, naming the option', () => {
    const dir = tmp();
    expect((thrown(() => checkOutputPath(join(dir, 'no', 'x.vcd'), '--vcd')) as Error).message).toMatch(/^--vcd .*x\.vcd: cannot write there \(ENOENT/);
    expect((thrown(() => checkOutputPath(dir, '--svg')) as Error).message).toMatch(/: is a directory, expected a file path$/);
  });
});
