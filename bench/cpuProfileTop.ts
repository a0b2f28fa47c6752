/**
 * Self time per function from a V8 `.cpuprofile` (what `node --cpu-prof`
 * writes): the rows of a profile's top-N table.
 */
import { readFileSync } from 'node:fs';

/** One function's share of a profile. */
export interface ProfileRow {
  /** Function name (`(anonymous)` for none) and the file it is in. */
  readonly name: string;
  /** Self time, ms. */
  readonly ms: number;
  /** Share of the profile's sampled time, %. */
  readonly percent: number;
}

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * The `top` functions by self time in the profile at `path`. Left out:
 * idle time, and Node's module loading and bootstrap (a fixed start-up
 * cost of the child process, not of the simulation; through tsx it is large).
 * Garbage collection stays: it is part of the cost.
 */
export const cpuProfileTop = (path: string, top: number): ProfileRow[] => {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url } = node.callFrame;
    const file = url === '' ? '' : ` (${url.replace(/^.*\/(src|system|operators|devices|bench|node_modules)\//, '$1/')})`;
    nameOf.set(node.id, `${functionName === '' ? '(anonymous)' : functionName}${file}`);
  }
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const name = nameOf.get(id)!;
    if (name === '(idle)' || name === '(program)' || /\(node:internal\/(modules|bootstrap|main)|\(node:(fs|path|module)\)|receiveMessageOnPort/.test(name)) return;
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    self.set(name, (self.get(name) ?? 0) + us);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / total }));
};
