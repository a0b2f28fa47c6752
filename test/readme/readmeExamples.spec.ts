// Every TypeScript block in the README is the text of a region of a file that runs (issue 15
// item 14): a block is preceded by `<!-- example: PATH[#REGION] -->` and must equal the lines
// between `// #region REGION` and `// #endregion REGION` in PATH (default region `readme`),
// dedented. The example files under examples/readme run here and check their own claims;
// examples/orderingTest.spec.ts runs with the suite.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8').split('\n');

interface Block {
  readonly line: number;
  readonly ref: string | undefined;
  readonly text: string;
}

const tsBlocks = (): Block[] => {
  const blocks: Block[] = [];
  for (let i = 0; i < readme.length; i++) {
    if (readme[i]!.trim() !== '```ts') continue;
    const end = readme.findIndex((l, j) => j > i && l.trim() === '```');
    const marker = /^<!-- example: (\S+) -->$/.exec(readme[i - 1] ?? '');
    blocks.push({ line: i + 1, ref: marker?.[1], text: readme.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
};

const regionOf = (ref: string): string => {
  const [path, name = 'readme'] = ref.split('#');
  const lines = readFileSync(`${root}${path}`, 'utf8').split('\n');
  const starts = lines.flatMap((l, i) => (new RegExp(`^\\s*// #region ${name}(\\s|$)`).test(l) ? [i] : []));
  const end = lines.findIndex((l) => new RegExp(`^\\s*// #endregion ${name}(\\s|$)`).test(l));
  if (starts.length !== 1 || end < starts[0]!) throw new Error(`${ref}: needs exactly one '// #region ${name}' before its '// #endregion ${name}'`);
  const body = lines.slice(starts[0]! + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
};

describe('the README', () => {
  const blocks = tsBlocks();

  it('has TypeScript blocks, each marked with the example file it is taken from', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    expect(blocks.filter((b) => b.ref === undefined).map((b) => `README.md:${b.line}`)).toEqual([]);
  });

  it.each(blocks.filter((b) => b.ref !== undefined).map((b) => [`README.md:${b.line} <- ${b.ref}`, b] as const))(
    '%s: the block is the region, word for word',
    (_, block) => {
      expect(block.text).toBe(regionOf(block.ref!));
    },
  );

  it('shows every example under examples/readme', () => {
    const shown = new Set(blocks.map((b) => b.ref?.split('#')[0]));
    const files = readdirSync(`${root}examples/readme`).map((f) => `examples/readme/${f}`);
    expect(files.filter((f) => !shown.has(f))).toEqual([]);
  });
});

describe('the README examples run', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Imports an example (it asserts its own claims) and returns what it printed. */
  const run = async (name: string): Promise<unknown[][]> => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await import(`../../examples/readme/${name}.ts`);
    return log.mock.calls;
  };

  it('PTimer: the first expiry, the counter resting at 0 for one period', async () => {
    expect(await run('ptimer')).toEqual([[0n, true]]);
  });

  it('the clock observer sees each expiry and trigger', async () => {
    await run('observe');
  });

  it('exact timing: the instants its comment gives, and QEMU timing\'s', async () => {
    await run('exactTiming');
  });

  it('a transaction evaluates only its final state', async () => {
    await run('transaction');
  });

  it('System: progress once per hundredth a step reached, rising, then the trace and its digest', async () => {
    const printed = await run('system');
    const times = printed.slice(0, -1).map(([t]) => t as number);
    expect(times.at(-1)).toBe(10_000_000);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    // The CMSDK timer's only steps after the guest's writes at 0 are its expiries, 25 000 cycles
    // of 40 ns apart (the first round, from the enable at VALUE 0, one cycle shorter), each past
    // one report point; then the end.
    expect(times).toEqual([...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((ms) => ms * 1_000_000 - 40), 10_000_000]);
    const [events, digest] = printed.at(-1)!;
    expect(events).toBeGreaterThan(10);
    expect(digest).toMatch(/^[0-9a-f]{16}$/);
  });
});
