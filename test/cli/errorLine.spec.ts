import { describe, expect, it } from 'vitest';
import { errorLine } from '../../cli/errorLine';

describe('errorLine', () => {
  it('leaves a plain message, non-ASCII letters and symbols included, as it is', () => {
    const message = 'devices[1].clocks.pclk: "25 µs" is invalid: unknown unit; Gerät 時計 ×2 → 🙂';
    expect(errorLine(message)).toBe(message);
  });

  it.each([
    ['a line break', 'a\nb', 'a\\nb'],
    ['a carriage return and a tab', 'a\r\tb', 'a\\r\\tb'],
    ['a terminal escape (clears the screen)', 'x\u001b[2Jy', 'x\\u001b[2Jy'],
    ['NUL, DEL and a C1 control', '\u0000\u007f\u009b', '\\u0000\\u007f\\u009b'],
    ['a zero-width space, joiner and word joiner', 'a\u200bb\u200dc\u2060d', 'a\\u200bb\\u200dc\\u2060d'],
    ['a byte order mark and a soft hyphen', '\ufeffab\u00adc', '\\ufeffab\\u00adc'],
    ['a right-to-left override (bidi)', 'file\u202egnp.exe', 'file\\u202egnp.exe'],
    ['a no-break space (looks like a space, is not one)', '10\u00a0ms', '10\\u00a0ms'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
    ['a tag character (astral, invisible)', 'a\u{e0041}b', 'a\\u{e0041}b'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ])('escapes %s', (_what, message, shown) => {
    expect(errorLine(message)).toBe(shown);
  });

  it('cuts a word too long to read (a path, a raw argument) and gives its length', () => {
    const long = `/tmp/${'d'.repeat(5_000)}/x.json`;
    const line = errorLine(`cannot read ${long}: ENOENT: no such file or directory`);
    // the word is the path and its colon
    expect(line).toBe(`cannot read ${long.slice(0, 160)}… (${long.length + 1} chars) ENOENT: no such file or directory`);
  });

  it('keeps a value describeValue already cut whole', () => {
    const cutValue = `"${'a'.repeat(158)}…" (5242880 chars)`;
    expect(errorLine(`--until: ${cutValue} is invalid: needs a unit`)).toBe(`--until: ${cutValue} is invalid: needs a unit`);
  });

  it('bounds the whole line, and never returns a line break', () => {
    const line = errorLine(`known types: ${Array.from({ length: 2_000 }, (_, i) => `type-${i}`).join(', ')}\nsecond line`);
    expect(line.length).toBeLessThan(1_100);
    expect(line).toMatch(/… \(\d+ chars\)$/);
    expect(line).not.toMatch(/[\n\r]/);
  });
});
