import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputPath, checkOutputPaths } from '../../cli/checkOutputPath';
import { CliError } from '../../cli/CliError';
import { StreamedFiles, writeFileAtomic, writeFilesAtomic, type WriteFs } from '../../cli/writeFileAtomic';
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

/**
 * Node's file system, except that each write takes at most `chunk` bytes, and the writes after the
 * first `fullAfter` bytes do what a full disk does: `'ENOSPC'` throws, `'zero'` takes no byte.
 */
const shortWrites = (chunk: number, fullAfter = Infinity, full: 'ENOSPC' | 'zero' = 'ENOSPC'): WriteFs & { readonly calls: number[] } => {
  let total = 0;
  const calls: number[] = [];
  return {
    ...fs,
    calls,
    writeSync: ((fd: number, buffer: Uint8Array, offset: number, length: number): number => {
      calls.push(length);
      const room = Math.max(0, fullAfter - total);
      if (room === 0) {
        if (full === 'zero') return 0;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      }
      const n = fs.writeSync(fd, buffer, offset, Math.min(length, chunk, room));
      total += n;
      return n;
    }) as WriteFs['writeSync'],
  };
};

describe('writeFileAtomic: short writes', () => {
  it('a short write on a full disk (the next write fails with ENOSPC) is an error: the old file stays, no temporary file', () => {
    const dir = tmp();
    const path = join(dir, 'out.vcd');
    writeFileSync(path, 'old');
    const io = shortWrites(4, 4);
    const error = thrown(() => writeFileAtomic(path, 'a longer new text', io));
    expect(io.calls).toEqual([17, 13]); // asked for all 17 bytes, got 4; asked for the other 13: ENOSPC
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe(`cannot write ${path}: ENOSPC: no space left on device`);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.vcd']);
  });

  it('a write that takes no byte after a short one is an error too, naming how much was written', () => {
    const dir = tmp();
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    const error = thrown(() => writeFileAtomic(path, 'héllo wörld', shortWrites(5, 5, 'zero')));
    expect((error as Error).message).toBe(`cannot write ${path}: short write: 5 of 13 bytes written (is the disk full?)`);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('short writes that go on taking bytes complete the file (POSIX lets a write take fewer bytes than asked)', () => {
    const dir = tmp();
    const io = shortWrites(3);
    writeFileAtomic(join(dir, 'a.txt'), 'µs and ns\n', io);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('µs and ns\n');
    expect(io.calls).toEqual([11, 8, 5, 2]);
  });
});

describe('writeFilesAtomic', () => {
  it('writes every file, replacing old ones only once all are complete', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a'), 'old a');
    const order: string[] = [];
    writeFilesAtomic([
      { path: join(dir, 'a'), text: () => (order.push('a'), 'new a') },
      { path: join(dir, 'b'), text: () => (order.push('b'), 'new b') },
    ]);
    expect(order).toEqual(['a', 'b']);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('new a');
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('new b');
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it('all or nothing: when the last file cannot be written (disk full), every old file stays and no temporary file is left', () => {
    const dir = tmp();
    for (const name of ['a', 'b', 'c']) writeFileSync(join(dir, name), `old ${name}`);
    const error = thrown(() =>
      writeFilesAtomic(
        ['a', 'b', 'c'].map((name) => ({ path: join(dir, name), text: () => `new ${name}, twelve bytes more` })),
        shortWrites(8, 60),
      ),
    );
    expect((error as Error).message).toBe(`cannot write ${join(dir, 'c')}: ENOSPC: no space left on device`);
    for (const name of ['a', 'b', 'c']) expect(readFileSync(join(dir, name), 'utf8')).toBe(`old ${name}`);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a text that cannot be made ends the write with its own error, nothing replaced', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a'), 'old a');
    const failure = new RangeError('too many slots');
    const error = thrown(() =>
      writeFilesAtomic([
        { path: join(dir, 'a'), text: () => 'new a' },
        {
          path: join(dir, 'b'),
          text: () => {
            throw failure;
          },
        },
      ]),
    );
    expect(error).toBe(failure);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old a');
    expect(readdirSync(dir)).toEqual(['a']);
  });
});

describe('checkOutputPaths', () => {
  it('refuses an output that is an input: the same path, spelt another way, or a link to it', () => {
    const dir = tmp();
    const scenario = join(dir, 's.json');
    writeFileSync(scenario, '{}');
    symlinkSync(scenario, join(dir, 'link.json'));
    const input = [{ path: scenario, given: 'the scenario' }];
    for (const path of [scenario, join(dir, '..', dir.split('/').at(-1)!, 's.json'), join(dir, 'link.json')]) {
      const error = thrown(() => checkOutputPaths([{ path, given: '--trace' }], input));
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      expect((error as Error).message).toBe(`--trace ${path}: is the scenario (${scenario}); writing it would destroy the input, give another path`);
    }
    expect(readFileSync(scenario, 'utf8')).toBe('{}');
  });

  it('refuses two outputs with one path, naming both options', () => {
    const dir = tmp();
    const error = thrown(() =>
      checkOutputPaths([
        { path: join(dir, 'a.out'), given: '--vcd' },
        { path: join(dir, 'b.out'), given: '--wavedrom' },
        { path: join(dir, '.', 'a.out'), given: '--svg' },
      ]),
    );
    expect((error as Error).message).toBe(`--svg ${join(dir, 'a.out')}: is also the --vcd output (${join(dir, 'a.out')}); give each output its own path`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('createDirectory: a missing directory is fine when its closest existing parent is a writable directory, not when it is a file', () => {
    const dir = tmp();
    expect(() => checkOutputPaths([{ path: join(dir, 'new', 'deeper', 'x.vcd'), given: '--out' }], [], { createDirectory: true })).not.toThrow();
    expect(existsSync(join(dir, 'new'))).toBe(false);
    writeFileSync(join(dir, 'file'), '');
    expect((thrown(() => checkOutputPaths([{ path: join(dir, 'file', 'x.vcd'), given: '--out' }], [], { createDirectory: true })) as Error).message).toMatch(
      /^--out .*file\/x\.vcd: cannot write there \(.*file is not a directory\)$/,
    );
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

describe('StreamedFiles (outputs written while a run goes)', () => {
  it('writes outputs in pieces, reads a scratch file back whole (multi-byte characters across chunks), and leaves only the outputs', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.vcd'), 'old');
    const files = new StreamedFiles();
    const out = files.output(join(dir, 'a.vcd'));
    const scratch = files.scratch(join(dir, 'a.vcd'), 'body');
    const piece = 'µs-ns '.repeat(20_000); // over a chunk, with 2-byte characters
    scratch.write(piece);
    scratch.write(piece);
    expect(readFileSync(join(dir, 'a.vcd'), 'utf8')).toBe('old'); // nothing replaced before commit
    out.write('head\n');
    for (const chunk of scratch.read()) out.write(chunk);
    files.commit();
    expect(readFileSync(join(dir, 'a.vcd'), 'utf8')).toBe(`head\n${piece}${piece}`);
    expect(readdirSync(dir)).toEqual(['a.vcd']);
  });

  it('a short write on a full disk is an error naming the output: every temporary file goes, the old files stay', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.vcd'), 'old a');
    const files = new StreamedFiles({ ...shortWrites(1000, 3000), readSync: fs.readSync });
    const a = files.output(join(dir, 'a.vcd'));
    files.scratch(join(dir, 'b.jsonl'), 'steps').write('x');
    const error = thrown(() => {
      for (let i = 0; i < 100; i++) a.write('y'.repeat(10_000));
      files.commit();
    });
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe(`cannot write ${join(dir, 'a.vcd')}: ENOSPC: no space left on device`);
    expect(readFileSync(join(dir, 'a.vcd'), 'utf8')).toBe('old a');
    expect(readdirSync(dir)).toEqual(['a.vcd']);
  });

  it('discard (a failed run) removes every temporary file and keeps the old outputs', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.vcd'), 'old a');
    const files = new StreamedFiles();
    files.output(join(dir, 'a.vcd')).write('new');
    files.scratch(join(dir, 'a.vcd'), 'body').write('body');
    files.discard();
    expect(readdirSync(dir)).toEqual(['a.vcd']);
    expect(readFileSync(join(dir, 'a.vcd'), 'utf8')).toBe('old a');
  });
});
