// Transactions and the callback context: reference/qemu-ptimer.md §1.5,
// §1.8, §1.11, §5.1 (Q4, Q5), DESIGN.md G2, G3, G5.
import { describe, expect, it } from 'vitest';
import {
  PTimer,
  PTimerCallbackError,
  PTimerTransactionError,
  VirtualClock,
  type PTimerOptions,
  type PTimerTrigger,
} from '../../index';
import { thrown } from '../support/errors';

/** Starts a LEGACY periodic timer: P = 1000 ns, limit `limit`, at the clock's now. */
const periodic = (clock: VirtualClock, limit: number, options: PTimerOptions = {}): PTimer => {
  const timer = new PTimer(clock, { name: 'dut', ...options });
  timer.transaction((t) => {
    t.setPeriod(1_000);
    t.setLimit(limit, true);
    t.run(false);
  });
  return timer;
};

describe('transaction() and begin()/commit()', () => {
  it('G2: a trigger caused inside is delivered once, inside commit, after all changes', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const timer = periodic(clock, 10, {
      onTrigger: ({ cause, timer: t }) => log.push(`trigger ${cause} count=${t.getCount()} limit=${t.getLimit()}`),
    });
    clock.advanceTo(2_500);
    timer.begin();
    timer.setCount(0); // would trigger…
    timer.setLimit(4, false); // …but only after this change too
    log.push('before commit');
    timer.commit();
    log.push('after commit');
    expect(log).toEqual(['before commit', 'trigger commit count=0 limit=4', 'after commit']);
    // LEGACY: zero count reloads from the (new) limit at once.
    expect(timer.getCount()).toBe(4n);
    expect(timer.deadline).toBe(6_500n);
  });

  it('G3: the callback never runs while a user transaction is open, even if a change makes the count 0', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const timer = periodic(clock, 10, { onTrigger: ({ time }) => fired.push(time) });
    timer.begin();
    timer.setCount(0);
    timer.setCount(0);
    expect(fired).toEqual([]); // Q1: no callback from mutators
    timer.commit();
    expect(fired).toEqual([0]);
  });

  it('transaction() commits even if the body throws, and rethrows the body\'s error', () => {
    const clock = new VirtualClock();
    const timer = periodic(clock, 10);
    clock.advanceTo(2_500);
    const boom = new Error('boom');
    expect(() =>
      timer.transaction((t) => {
        t.setCount(3);
        throw boom;
      }),
    ).toThrow(boom);
    expect(timer.inTransaction).toBe(false);
    expect(timer.getCount()).toBe(3n); // the change made before the throw was committed
    expect(timer.deadline).toBe(5_500n);
  });

  it('if the body throws and its commit throws too, both errors come out in an AggregateError, body first', () => {
    const clock = new VirtualClock();
    const timer = periodic(clock, 10, {
      onTrigger: () => {
        throw new Error('callback failed');
      },
    });
    const body = new Error('body failed');
    let error: unknown;
    try {
      timer.transaction((t) => {
        t.setCount(0); // LEGACY: triggers at commit, and the callback throws
        throw body;
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregateError);
    const [first, second] = (error as AggregateError).errors as unknown[];
    expect(first).toBe(body);
    expect(second).toBeInstanceOf(PTimerCallbackError);
    expect((second as Error).message).toContain('callback failed');
    expect(timer.inTransaction).toBe(false);
    expect(timer.getCount()).toBe(10n); // committed: reloaded from the limit
  });

  it('a transaction left open while the clock passes a deadline: the expiry throws, and the trigger comes after commit (not lost)', () => {
    const clock = new VirtualClock();
    const fired: Array<[number, string]> = [];
    const timer = periodic(clock, 2, { onTrigger: ({ time, cause }) => fired.push([time, cause]) });
    clock.advanceTo(500);
    timer.begin();
    let error: unknown;
    try {
      clock.advanceTo(3_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PTimerTransactionError);
    expect((error as Error).message).toContain("ptimer 'dut'");
    expect((error as Error).message).toContain('transaction was left open');
    expect(clock.now()).toBe(2_000); // the clock stopped at the failing instant
    expect(fired).toEqual([]); // G3: not delivered into the half-done transaction
    expect(timer.inTransaction).toBe(true);
    timer.commit();
    clock.advanceTo(3_000);
    expect(fired).toEqual([[2_000, 'expiry']]);
    expect(timer.getCount()).toBe(1n); // reloaded at 2000 to 2, one period gone
    clock.advanceTo(4_000);
    expect(fired).toEqual([
      [2_000, 'expiry'],
      [4_000, 'expiry'],
    ]);
  });

  it('G5: the expiry held by an open transaction is still delivered when that transaction rewrites the count', () => {
    const clock = new VirtualClock();
    const fired: Array<[number, string]> = [];
    const timer = periodic(clock, 2, { onTrigger: ({ time, cause }) => fired.push([time, cause]) });
    clock.advanceTo(500);
    timer.begin();
    expect(() => clock.advanceTo(3_000)).toThrow(PTimerTransactionError); // deadline 2000 passed
    timer.setCount(5); // restarts the countdown at commit (2000 + 5 × 1000)
    timer.commit();
    clock.advanceTo(3_000);
    // The countdown that reached 0 at 2000 must still produce its one trigger.
    expect(fired.filter(([, cause]) => cause === 'expiry')).toHaveLength(1);
  });
});

describe('callback context (§1.11, Q4, Q5)', () => {
  it('the callback runs with the transaction open and may call setters directly: stopping its own timer', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    let inTx: boolean | undefined;
    const timer = periodic(clock, 3, {
      onTrigger: ({ time, timer: t }) => {
        fired.push(time);
        inTx = t.inTransaction;
        t.stop();
      },
    });
    clock.advanceTo(3_000);
    expect(inTx).toBe(true);
    expect(timer.inTransaction).toBe(false);
    expect(timer.mode).toBe('stopped');
    // It was reloaded (to 3, at the anchor) before the callback, so stop latched 3.
    expect(timer.getCount()).toBe(3n);
    expect(clock.pending).toBe(0);
    clock.advanceTo(20_000);
    expect(fired).toEqual([3_000]);
  });

  it('a one-shot callback that reprograms limit and re-runs periodic: restarts anchored at the expiry instant', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const timer = new PTimer(clock, {
      onTrigger: ({ time, timer: t }) => {
        fired.push(time);
        if (fired.length === 1) {
          t.setLimit(5, true);
          t.run(false);
        }
      },
    });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setCount(3);
      t.run(true);
    });
    clock.advanceTo(3_000);
    expect(timer.mode).toBe('periodic');
    expect(timer.getCount()).toBe(5n);
    expect(timer.deadline).toBe(8_000n);
    clock.advanceTo(3_001);
    expect(timer.getCount()).toBe(4n);
    clock.advanceTo(13_000);
    expect(fired).toEqual([3_000, 8_000, 13_000]);
  });

  it('a periodic callback that sets a new count: the countdown restarts from it at the expiry instant', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const timer = periodic(clock, 3, {
      onTrigger: ({ time, timer: t }) => {
        fired.push(time);
        if (fired.length === 1) t.setCount(10);
      },
    });
    clock.advanceTo(3_000);
    expect(timer.getCount()).toBe(10n);
    expect(timer.deadline).toBe(13_000n);
    clock.advanceTo(16_000);
    expect(fired).toEqual([3_000, 13_000, 16_000]); // then back to the limit 3
  });

  it('Q5: a re-trigger caused by the callback is delivered after it returns, never nested', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    let depth = 0;
    let maxDepth = 0;
    const timer = periodic(clock, 3, {
      onTrigger: ({ time, cause, timer: t }) => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        log.push(`enter ${cause}@${time}`);
        if (cause === 'expiry') t.setCount(0); // LEGACY: a zero count triggers at (the internal) commit
        log.push(`leave ${cause}@${time}`);
        depth--;
      },
    });
    clock.advanceTo(3_000);
    expect(log).toEqual(['enter expiry@3000', 'leave expiry@3000', 'enter commit@3000', 'leave commit@3000']);
    expect(maxDepth).toBe(1);
    // After the commit-round reload: count = limit, anchored at 3000.
    expect(timer.getCount()).toBe(3n);
    expect(timer.deadline).toBe(6_000n);
  });

  it('Q5 with a user commit (R policy): the callback re-triggers twice, each delivered after the previous returns', () => {
    // NO_IMMEDIATE_RELOAD keeps the zero count the callback writes (§1.7 step 3 skipped),
    // so each commit-loop round sees count 0 again and triggers again.
    const clock = new VirtualClock();
    const causes: string[] = [];
    let depth = 0;
    let maxDepth = 0;
    const timer = periodic(clock, 3, {
      policy: ['NO_IMMEDIATE_RELOAD'],
      onTrigger: ({ cause, timer: t }) => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        causes.push(cause);
        if (causes.length < 3) t.setCount(0);
        depth--;
      },
    });
    clock.advanceTo(500);
    timer.transaction((t) => t.setCount(0));
    expect(causes).toEqual(['commit', 'commit', 'commit']);
    expect(maxDepth).toBe(1);
    // Last round: count 0, R waits one period (§1.7 step 8) before the reload.
    expect(timer.getCount()).toBe(0n);
    expect(timer.deadline).toBe(1_500n);
    clock.advanceTo(1_500);
    expect(timer.getCount()).toBe(3n); // silent reload (EXPIRY_NOADJ, no T)
    expect(causes).toHaveLength(3);
  });

  it('LEGACY: a callback that always writes count 0 cannot loop: the immediate reload overwrites it in the same round', () => {
    // §1.7: step 1 calls the callback, step 2 reads delta (0 again), step 3 reloads it from the
    // limit; the next commit-loop round then sees count 3 and does not trigger.
    const clock = new VirtualClock();
    const causes: string[] = [];
    const timer = periodic(clock, 3, {
      onTrigger: ({ cause, timer: t }) => {
        causes.push(cause);
        t.setCount(0);
      },
    });
    clock.advanceTo(500);
    timer.transaction((t) => t.setCount(0));
    expect(causes).toEqual(['commit']);
    expect(timer.getCount()).toBe(3n);
    expect(timer.deadline).toBe(3_500n);
    // From an expiry: the expiry callback's zero triggers once more at the internal commit.
    clock.advanceTo(3_500);
    expect(causes).toEqual(['commit', 'expiry', 'commit']);
    expect(timer.getCount()).toBe(3n);
    expect(timer.deadline).toBe(6_500n);
  });

  // Changed on purpose (#13): begin()/commit()/transaction() in the callback context join it instead of throwing.
  it('begin()/commit() inside the callback join the callback context (#13): no nested transaction; the new countdown is anchored at the commit, as a guest write right after would be', () => {
    const clock = new VirtualClock();
    const seen: [boolean, bigint | undefined][] = [];
    let once = true;
    const timer = periodic(clock, 3, {
      onTrigger: ({ timer: t }) => {
        if (!once) return;
        once = false;
        t.begin();
        t.setLimit(5, true);
        t.commit();
        // Still in the callback context, and the countdown already re-anchored at the expiry instant.
        seen.push([t.inTransaction, t.deadline]);
      },
    });
    clock.advanceTo(3_000);
    expect(seen).toEqual([[true, 8_000n]]);
    expect(timer.inTransaction).toBe(false);
    // Counting 5 periods from the expiry instant.
    expect(timer.deadline).toBe(8_000n);
  });

  it('a handler in the callback context that writes a count and then stops sees its own write, as a guest writing right after does (#13)', () => {
    const run = (inCallback: boolean): [bigint, string][] => {
      const clock = new VirtualClock();
      let once = true;
      const handler = (t: PTimer): void => {
        t.transaction((x) => x.setCount(2)); // one register write ...
        t.transaction((x) => x.stop()); // ... and the next: stop latches what it reads
      };
      const timer = periodic(clock, 3, {
        onTrigger: ({ timer: t }) => {
          if (!once) return;
          once = false;
          if (inCallback) handler(t);
          else clock.schedule(() => handler(t), 0);
        },
      });
      const seen: [bigint, string][] = [];
      for (const at of [3_000, 3_500, 9_000]) {
        clock.advanceTo(at);
        seen.push([timer.getCount(), timer.mode]);
      }
      return seen;
    };
    expect(run(true)).toEqual(run(false));
    expect(run(true)[0]).toEqual([2n, 'stopped']);
  });

  it('a zero count written in the callback context still triggers once, after the callback returns, never recursively (#13)', () => {
    const clock = new VirtualClock();
    const causes: string[] = [];
    let depth = 0;
    let maxDepth = 0;
    periodic(clock, 3, {
      onTrigger: ({ timer: t, cause, time }) => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        causes.push(`${cause}@${time}`);
        if (causes.length === 1) t.transaction((x) => x.setCount(0));
        depth--;
      },
    });
    clock.advanceTo(3_000);
    expect(causes).toEqual(['expiry@3000', 'commit@3000']);
    expect(maxDepth).toBe(1);
  });

  it('transaction() inside the callback joins it (#13); a commit() without begin() still throws', () => {
    const clock = new VirtualClock();
    const errors: unknown[] = [];
    let once = true;
    const timer = periodic(clock, 3, {
      onTrigger: ({ timer: t }) => {
        if (!once) return;
        once = false;
        t.transaction((tx) => tx.stop());
        try {
          t.commit();
        } catch (e) {
          errors.push(e);
        }
      },
    });
    clock.advanceTo(3_000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PTimerTransactionError);
    expect((errors[0] as Error).message).toContain('commit()');
    expect(timer.mode).toBe('stopped');
  });

  it('a begin() in the callback left without commit() still applies its changes, and is reported as PTimerCallbackError from the clock (#13)', () => {
    const clock = new VirtualClock();
    let once = true;
    const timer = periodic(clock, 3, {
      onTrigger: ({ timer: t }) => {
        if (!once) return;
        once = false;
        t.begin();
        t.stop();
      },
    });
    const error = thrown(() => clock.advanceTo(3_000));
    expect(error).toBeInstanceOf(PTimerCallbackError);
    expect(((error as PTimerCallbackError).errors[0] as Error).message).toContain('without a matching commit()');
    expect(timer.inTransaction).toBe(false);
    expect(timer.mode).toBe('stopped');
    // A nested begin() outside a callback context still throws.
    timer.begin();
    expect(() => timer.begin()).toThrow(PTimerTransactionError);
    timer.commit();
  });

  it('commit-loop bound: an R-policy callback that always sets count 0 ends in PTimerTransactionError, no hang (user commit)', () => {
    const clock = new VirtualClock();
    let calls = 0;
    const timer = periodic(clock, 3, {
      policy: ['NO_IMMEDIATE_RELOAD'],
      onTrigger: ({ timer: t }) => {
        calls++;
        t.setCount(0);
      },
    });
    let error: unknown;
    try {
      timer.transaction((t) => t.setCount(0));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PTimerTransactionError);
    expect((error as Error).message).toMatch(/ptimer 'dut': re-triggered more than \d+ times/);
    expect(calls).toBeGreaterThan(1);
    expect(timer.inTransaction).toBe(false);
  });

  it('commit-loop bound from an expiry: advanceTo throws PTimerTransactionError instead of hanging', () => {
    const clock = new VirtualClock();
    const timer = periodic(clock, 3, { policy: ['NO_IMMEDIATE_RELOAD'], onTrigger: ({ timer: t }) => t.setCount(0) });
    let error: unknown;
    try {
      clock.advanceTo(3_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PTimerTransactionError);
    expect((error as Error).message).toMatch(/ptimer 'dut': re-triggered more than \d+ times at 3000 ns/);
    expect(timer.inTransaction).toBe(false);
    // The timer is usable again: the device can reprogram it.
    timer.transaction((t) => t.stop());
    expect(timer.mode).toBe('stopped');
  });

  it('§1.11: from a one-shot expiry the callback sees the timer stopped with count 0, inside the transaction', () => {
    const clock = new VirtualClock();
    const seen: unknown[] = [];
    const timer = new PTimer(clock, {
      onTrigger: ({ timer: t, cause }) => seen.push([cause, t.mode, t.getCount(), t.deadline, t.inTransaction]),
    });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(9, false);
      t.setCount(3);
      t.run(true);
    });
    clock.advanceTo(3_000);
    expect(seen).toEqual([['expiry', 'stopped', 0n, undefined, true]]);
  });

  it.each([
    // Without T the callback runs inside the reload, before the C re-arm: old deadline still set.
    ['C', ['CONTINUOUS_TRIGGER'], 1_000n],
    // With T it runs after the reload: the next deadline is already armed.
    ['C+T', ['CONTINUOUS_TRIGGER', 'NO_IMMEDIATE_TRIGGER'], 2_000n],
  ] as const)('§1.11: periodic limit 0 under %s: at the expiry at 1000 the callback sees count 0 and deadline %s', (_n, policy, deadline) => {
    const clock = new VirtualClock();
    const seen: unknown[] = [];
    const timer = new PTimer(clock, {
      policy,
      onTrigger: ({ time, timer: t }) => seen.push([time, t.getCount(), t.deadline]),
    });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.run(false);
    });
    seen.length = 0; // C alone also triggers at the commit at 0
    clock.advanceTo(1_000);
    expect(seen).toEqual([[1_000, 0n, deadline]]);
    expect(timer.deadline).toBe(2_000n);
  });

  it('a callback that reads the timer from a commit trigger sees the pre-reload state (Q9)', () => {
    const clock = new VirtualClock({ start: 1_234 });
    const seen: Array<[bigint, bigint | undefined]> = [];
    const timer = periodic(clock, 3, {
      onTrigger: ({ timer: t }) => seen.push([t.getCount(), t.deadline]),
    });
    clock.advanceTo(1_500);
    timer.transaction((t) => t.setCount(0));
    expect(seen).toEqual([[0n, 1_500n]]);
    expect(timer.deadline).toBe(4_500n);
  });
});

describe('G5 and a throwing onTrigger', () => {
  it('from an expiry: advanceTo throws PTimerCallbackError with the cause; state consistent; triggers$ emitted; keeps running', () => {
    const clock = new VirtualClock();
    const fault = new Error('device fault');
    let calls = 0;
    const timer = periodic(clock, 2, {
      onTrigger: () => {
        calls++;
        if (calls === 1) throw fault;
      },
    });
    const emitted: number[] = [];
    timer.triggers$.subscribe(({ time }) => emitted.push(time));
    let error: unknown;
    try {
      clock.advanceTo(2_500);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PTimerCallbackError);
    const cbError = error as PTimerCallbackError;
    expect(cbError.cause).toBe(fault);
    expect(cbError.errors).toEqual([fault]);
    expect(cbError.timer).toBe('dut');
    expect(cbError.time).toBe(2_000);
    expect(cbError.message).toBe("ptimer 'dut': trigger callback threw at 2000 ns: device fault");
    // The step completed: reloaded to 2, next deadline armed, transaction closed.
    expect(emitted).toEqual([2_000]);
    expect(timer.inTransaction).toBe(false);
    expect(timer.getCount()).toBe(2n);
    expect(timer.deadline).toBe(4_000n);
    expect(clock.nextDeadline()).toBe(4_000);
    clock.advanceTo(6_000);
    expect(calls).toBe(3);
    expect(emitted).toEqual([2_000, 4_000, 6_000]);
  });

  it('a second timer on the same clock is unaffected: its expiry at the failing instant still runs, once', () => {
    const clock = new VirtualClock();
    let thrown = false;
    periodic(clock, 2, {
      name: 'a',
      onTrigger: () => {
        if (!thrown) {
          thrown = true;
          throw new Error('a failed');
        }
      },
    });
    const b: number[] = [];
    periodic(clock, 1, { name: 'b', onTrigger: ({ time }) => b.push(time) });
    // Both expire at 2000; a's action was armed first, so it runs (and throws) first.
    expect(() => clock.advanceTo(5_000)).toThrow(PTimerCallbackError);
    expect(b).toEqual([1_000]);
    clock.advanceTo(5_000);
    expect(b).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it('from a commit: commit() throws PTimerCallbackError after the reload, the timer is consistent', () => {
    const clock = new VirtualClock();
    const fault = new Error('irq controller missing');
    const timer = periodic(clock, 4, { onTrigger: ({ cause }) => { if (cause === 'commit') throw fault; } });
    clock.advanceTo(500);
    timer.begin();
    timer.setCount(0);
    let error: unknown;
    try {
      timer.commit();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PTimerCallbackError);
    expect((error as PTimerCallbackError).cause).toBe(fault);
    expect((error as PTimerCallbackError).time).toBe(500);
    expect((error as Error).message).toContain('trigger callback threw at 500 ns: irq controller missing');
    expect(timer.inTransaction).toBe(false);
    expect(timer.getCount()).toBe(4n);
    expect(timer.deadline).toBe(4_500n);
  });

  it('two throwing callbacks in one step (expiry, then the re-trigger at its commit) are both reported', () => {
    const clock = new VirtualClock();
    const timer = periodic(clock, 3, {
      onTrigger: ({ cause, timer: t }) => {
        if (cause === 'expiry') t.setCount(0); // LEGACY: re-triggers once at the internal commit
        throw new Error(`${cause} failed`);
      },
    });
    let error: unknown;
    try {
      clock.advanceTo(3_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PTimerCallbackError);
    expect((error as PTimerCallbackError).errors.map((e) => (e as Error).message)).toEqual(['expiry failed', 'commit failed']);
    expect((error as Error).message).toBe("ptimer 'dut': trigger callback threw at 3000 ns: expiry failed (and 1 more)");
    expect(timer.getCount()).toBe(3n);
    expect(timer.deadline).toBe(6_000n);
  });

  it('a non-Error throw is reported too', () => {
    const clock = new VirtualClock();
    periodic(clock, 1, {
      onTrigger: () => {
        throw 'plain string'; // eslint-disable-line no-throw-literal
      },
    });
    let error: unknown;
    try {
      clock.advanceTo(1_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PTimerCallbackError);
    expect((error as PTimerCallbackError).errors).toEqual(['plain string']);
    expect((error as Error).message).toContain('plain string');
  });

  it('G5: a triggers$ subscriber that unsubscribes does not drop or double triggers for the others', () => {
    const clock = new VirtualClock();
    const viaCallback: number[] = [];
    const timer = periodic(clock, 1, { onTrigger: ({ time }) => viaCallback.push(time) });
    const first: number[] = [];
    const second: number[] = [];
    const sub = timer.triggers$.subscribe((t: PTimerTrigger) => {
      first.push(t.time);
      if (first.length === 2) sub.unsubscribe();
    });
    timer.triggers$.subscribe((t) => second.push(t.time));
    clock.advanceTo(5_000);
    expect(first).toEqual([1_000, 2_000]);
    expect(second).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(viaCallback).toEqual(second);
  });

  it('triggers$ carries the timer, the time and the cause, right after onTrigger', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const timer = periodic(clock, 2, { onTrigger: ({ time }) => log.push(`callback ${time}`) });
    timer.triggers$.subscribe((t) => log.push(`stream ${t.time} ${t.cause} ${t.timer === timer}`));
    clock.advanceTo(2_000);
    timer.transaction((t) => t.setCount(0));
    expect(log).toEqual(['callback 2000', 'stream 2000 expiry true', 'callback 2000', 'stream 2000 commit true']);
  });
});
