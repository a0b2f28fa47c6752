import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTemps } from '../../cli/removeStaleTemps';
import { StreamedFiles, writeFileAtomic } from '../../cli/writeFileAtomic';

const dir = (): string => mkdtempSync(join(tmpdir(), 'ptimer-rx-stale-'));

describe('removeStaleTemps: what a killed run left beside an output', () => {
  it("removes the output's temporary files of processes that are gone, and nothing else", () => {
    const d = dir();
    const names = ['.out.vcd.111.tmp', '.out.vcd.222.body.tmp', '.out.vcd.333.tmp', '.other.vcd.111.tmp', 'out.vcd', '.out.vcd.111.tmp.keep', `.out.vcd.${process.pid}.tmp`];
    for (const n of names) writeFileSync(join(d, n), 'x');
    const removed = removeStaleTemps(join(d, 'out.vcd'), (pid) => pid === 333);
    expect(removed.map((p) => p.slice(d.length + 1)).sort()).toStrictEqual(['.out.vcd.111.tmp', '.out.vcd.222.body.tmp']);
    expect(readdirSync(d).sort()).toStrictEqual(['.other.vcd.111.tmp', '.out.vcd.111.tmp.keep', `.out.vcd.${process.pid}.tmp`, '.out.vcd.333.tmp', 'out.vcd'].sort());
  });

  it('a name with pattern characters matches only itself; an unreadable directory is no error', () => {
    const d = dir();
    writeFileSync(join(d, '.a+b.vcd.111.tmp'), 'x');
    writeFileSync(join(d, '.aab.vcd.111.tmp'), 'x');
    expect(removeStaleTemps(join(d, 'a+b.vcd'), () => false)).toStrictEqual([join(d, '.a+b.vcd.111.tmp')]);
    expect(existsSync(join(d, '.aab.vcd.111.tmp'))).toBe(true);
    expect(removeStaleTemps(join(d, 'missing', 'x.vcd'))).toStrictEqual([]);
  });

  it('the atomic writers tidy before they write: a dead process id (beyond pid_max) is removed', () => {
    const d = dir();
    const dead = 2 ** 22 + 1; // above Linux's largest pid_max: never a running process
    writeFileSync(join(d, `.a.json.${dead}.tmp`), 'half');
    writeFileSync(join(d, `.b.vcd.${dead}.tmp`), 'half');
    writeFileAtomic(join(d, 'a.json'), '{}');
    const files = new StreamedFiles();
    files.output(join(d, 'b.vcd')).write('$end');
    files.commit();
    expect(readdirSync(d).sort()).toStrictEqual(['a.json', 'b.vcd']);
  });
});
