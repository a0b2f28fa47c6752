import { describe, expect, it } from 'vitest';
import { expectSame, openSnapshot, RegisterSnapshotError, restoreAtomically, restoreParts } from '../../index';
import { thrown } from '../support/errors';

describe('openSnapshot', () => {
  it('returns a snapshot of the expected version as a record', () => {
    const s = openSnapshot({ version: 2, device: 'd', registers: {} }, 'Dev', 2);
    expect(s.registers).toEqual({});
  });

  it.each([null, 7, 'x', [1]])('rejects %j as (root), naming the class that makes snapshots', (value) => {
    const e = thrown(() => openSnapshot(value, 'Dev', 1)) as RegisterSnapshotError;
    expect(e).toBeInstanceOf(RegisterSnapshotError);
    expect(e.field).toBe('(root)');
    expect(e.message).toContain('must be an object made by Dev.snapshot()');
  });

  it('rejects another version, naming it', () => {
    const e = thrown(() => openSnapshot({ version: 1 }, 'Dev', 2)) as RegisterSnapshotError;
    expect([e.field, e.value]).toEqual(['version', 1]);
    expect(e.message).toContain('must be 2');
  });
});

describe('expectSame', () => {
  it('accepts the current value and names the field and the rule otherwise', () => {
    expect(() => expectSame('pclkHz', 25, 25, "PCLK's frequency now")).not.toThrow();
    const e = thrown(() => expectSame('pclkHz', 50, 25, "PCLK's frequency now")) as RegisterSnapshotError;
    expect([e.field, e.value]).toEqual(['pclkHz', 50]);
    expect(e.message).toContain("must equal PCLK's frequency now (25)");
  });
});

describe('restoreAtomically', () => {
  it('runs the load, and on an error rolls back and rethrows the same error', () => {
    const state = { a: 1, b: 1 };
    restoreAtomically(() => Object.assign(state, { a: 2, b: 2 }), () => Object.assign(state, { a: 1, b: 1 }));
    expect(state).toEqual({ a: 2, b: 2 });
    const boom = new Error('bad part');
    const e = thrown(() =>
      restoreAtomically(
        () => {
          state.a = 3;
          throw boom;
        },
        () => Object.assign(state, { a: 2, b: 2 }),
      ),
    );
    expect(e).toBe(boom);
    expect(state).toEqual({ a: 2, b: 2 });
  });
});

describe('restoreParts', () => {
  /** A part that records its loads and refuses snapshots marked bad (validating before changing anything). */
  const part = (name: string, log: string[], state = { v: 0 }) => ({
    state,
    snapshot: () => ({ v: state.v }),
    restore: (s: unknown) => {
      const v = (s as { v: unknown }).v;
      if (typeof v !== 'number') throw new Error(`${name} refuses ${String(v)}`);
      log.push(`${name}=${v}`);
      state.v = v;
    },
  });

  it('loads every part in order, then runs the check', () => {
    const log: string[] = [];
    const a = part('a', log);
    const b = part('b', log);
    restoreParts([[a, { v: 1 }], [b, { v: 2 }]], () => log.push('check'));
    expect(log).toEqual(['a=1', 'b=2', 'check']);
  });

  it('a refused part: the parts loaded before it are put back, the later ones never touched', () => {
    const log: string[] = [];
    const a = part('a', log, { v: 5 });
    const b = part('b', log, { v: 6 });
    const c = part('c', log, { v: 7 });
    expect(() => restoreParts([[a, { v: 1 }], [b, { v: 'bad' }], [c, { v: 3 }]])).toThrow('b refuses bad');
    expect(log).toEqual(['a=1', 'a=5']);
    expect([a.state.v, b.state.v, c.state.v]).toEqual([5, 6, 7]);
  });

  it('a failing check puts every part back, and its error comes out', () => {
    const log: string[] = [];
    const a = part('a', log, { v: 5 });
    const timerLike = { snapshot: () => ({ v: 9 }), restoreState: (s: unknown) => log.push(`t=${(s as { v: number }).v}`) };
    expect(() =>
      restoreParts([[a, { v: 1 }], [timerLike, { v: 2 }]], () => {
        throw new RegisterSnapshotError('timer.limit', 2, 'must match');
      }),
    ).toThrow(RegisterSnapshotError);
    expect(log).toEqual(['a=1', 't=2', 'a=5', 't=9']);
  });
});
