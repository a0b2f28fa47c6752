import { describe, expect, it } from 'vitest';
import { expectSame, openSnapshot, RegisterSnapshotError, restoreAtomically } from '../../index';
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
