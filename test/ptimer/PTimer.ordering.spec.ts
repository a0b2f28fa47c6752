// G1 (atomic expiry) as marble tests, and the bottom-half race it rules out.
//
// 1 frame = 1 timer tick (test/support/clock.ts). 'ms' in marbles would mean frames here: don't use it.
// Guest letters (test/support/marbles.ts): b = read counter and status before the frame's timer work,
// a = read after it, c = clear the pending bit. Expected letters are labels defined next to each test.
import { delay, observeOn } from 'rxjs';
import { describe, it } from 'vitest';
import { NS_PER_FRAME } from '../support/clock';
import { POLICY_SETS, irq, marbles, read, rig, trigger, type Context, type PolicySetName } from '../support/marbles';

/** Every timer here is programmed `setLimit(LIMIT, true)`, periodic, started at frame 0. */
const LIMIT = 6;

/**
 * What a guest reads around an expiry E, per policy (reference §1.9, §1.14 example A):
 * p at E-1, o at E before the expiry (overdue), n at E after it, x at E+1.
 * The pending bit is cleared two frames before each read, so it is set exactly
 * when the read comes after that expiry.
 */
const READS: Record<PolicySetName, Record<'p' | 'o' | 'n' | 'x', string>> = {
  legacy:              { p: read(1, false), o: read(0, false), n: read(LIMIT, true), x: read(LIMIT - 1, true) },
  'd':                 { p: read(2, false), o: read(1, false), n: read(LIMIT, true), x: read(LIMIT, true) },
  'w+d':               { p: read(2, false), o: read(1, false), n: read(0, true),     x: read(0, true) },
  'cmsdk w+o+r+d':     { p: read(2, false), o: read(1, false), n: read(0, true),     x: read(0, true) },
  'mptimer w+c+t+r+d': { p: read(2, false), o: read(1, false), n: read(0, true),     x: read(0, true) },
};

type Placement = 'E-1' | 'E, before the expiry' | 'E, after the expiry' | 'E, before and after' | 'E+1';

/** [guest, expected] per placement, for three expiries. */
type Sweep = Record<Placement, readonly [guest: string, expected: string]>;

// Every round spans LIMIT ticks:                 E = 6, 12, 18
//                                  frame:  0     6     12    18
const EVERY_6: Sweep = {
  'E-1':                   ['---c-b---c-b---c-b',
                            '-----pt----pt----pt'],
  'E, before the expiry':  ['----c-b---c-b---c-b',
                            '------(ot)--(ot)--(ot)'],
  'E, after the expiry':   ['----c-a---c-a---c-a',
                            '------(tn)--(tn)--(tn)'],
  'E, before and after':   ['----c-(ba)c-(ba)c-(ba)',
                            '------(otn)-(otn)-(otn)'],
  'E+1':                   ['-----c-b---c-b---c-b',
                            '------tx----tx----tx'],
};

// W: the first round (from the start's commit) spans LIMIT ticks, later ones LIMIT + 1:
//                                                   E = 6, 13, 20
//                                  frame:  0     6      13     20
const WRAPPED: Sweep = {
  'E-1':                   ['---c-b----c-b----c-b',
                            '-----pt-----pt-----pt'],
  'E, before the expiry':  ['----c-b----c-b----c-b',
                            '------(ot)---(ot)---(ot)'],
  'E, after the expiry':   ['----c-a----c-a----c-a',
                            '------(tn)---(tn)---(tn)'],
  'E, before and after':   ['----c-(ba)-c-(ba)-c-(ba)',
                            '------(otn)--(otn)--(otn)'],
  'E+1':                   ['-----c-b----c-b----c-b',
                            '------tx-----tx-----tx'],
};

/** Past the third expiry's E+1 read, before any fourth expiry (24 for every-6, 27 for wrapped). */
const HORIZON = 22;

const SWEPT: readonly PolicySetName[] = ['legacy', 'd', 'w+d', 'cmsdk w+o+r+d', 'mptimer w+c+t+r+d'];

describe.each(SWEPT)('ptimer policy=%s', (policyName) => {
  const sweep = policyName === 'legacy' || policyName === 'd' ? EVERY_6 : WRAPPED;

  it.each(Object.entries(sweep))(
    'G1: a guest read at %s sees counter and irq agree, over three expiries',
    (_placement, [guest, expected]) =>
      marbles((m: Context) => {
        const sim = rig(m, { horizon: HORIZON });
        sim.device({ policy: POLICY_SETS[policyName], start: { limit: LIMIT } });
        sim.guest(guest);
        m.expect(sim.events$).toBeObservable(expected, { t: trigger(), ...READS[policyName] });
      })(),
  );
});

describe('G1: the expiry is one step', () => {
  it('G1: the reload and the irq rise come in one sync group, between the reads around it', marbles((m) => {
    const sim = rig(m, { horizon: 10 });
    sim.device({ start: { limit: LIMIT }, logIrq: true });
    sim.guest(                           '----c-(ba)');
    const expected =                     '------(oitn)';
    // o: overdue counter, irq clear | i, t: the callback raised the irq, then triggers$ | n: reloaded and pending
    m.expect(sim.events$).toBeObservable(expected, {
      o: read(0, false),
      i: irq(),
      t: trigger(),
      n: read(LIMIT, true),
    });
  }));

  it('G1: a one-shot expiry stops the timer and raises the irq in one step', marbles((m) => {
    const sim = rig(m, { horizon: 12 });
    sim.device({ start: { limit: LIMIT, oneshot: true } });
    sim.guest(                           '----c-(ba)-b');
    const expected =                     '------(otn)b';
    m.expect(sim.events$).toBeObservable(expected, {
      o: read(0, false),
      t: trigger(),
      n: read(0, true),
      b: read(0, true),
    });
  }));
});

// The race of the seed (LP #1777777; reference §4.2, §5.2 pitfall 12): the same device, but the
// trigger reaches it through an asynchronous hop, as a bottom half would. The hop is built inline;
// the real legacy-delivery operator comes later. These tests assert that the stale read EXISTS.
describe('contrast: delivering the trigger through an asynchronous hop re-opens the race', () => {
  const LONG = 8; // E = 8, 16

  it('observeOn(scheduler): in the expiry frame the guest reads the reloaded counter with the irq clear', marbles((m) => {
    const sim = rig(m, { horizon: 15 });
    const dev = sim.device({ start: { limit: LONG }, wired: false, logIrq: true });
    dev.timer.triggers$.pipe(observeOn(sim.ns)).subscribe(() => dev.raise());
    sim.guest(                           '------c-(ba)---b');
    const expected =                     '--------(otsi)-r';
    m.expect(sim.events$).toBeObservable(expected, {
      o: read(0, false),
      t: trigger(),
      s: read(LONG, false), // stale: counter already reloaded, irq not yet pending
      i: irq(),             // the hop lands after the guest's read
      r: read(1, true),     // the irq shows up late, next to a counter that has counted on
    });
  }));

  it('delay(1 frame): a read in the next frame sees the counter wrapped and the irq clear', marbles((m) => {
    const sim = rig(m, { horizon: 15 });
    const dev = sim.device({ start: { limit: LONG }, wired: false, logIrq: true });
    dev.timer.triggers$.pipe(delay(NS_PER_FRAME, sim.ns)).subscribe(() => dev.raise());
    sim.guest(                           '-----c-b-b---b');
    const expected =                     '-------pt(si)r';
    m.expect(sim.events$).toBeObservable(expected, {
      p: read(1, false),
      t: trigger(),
      s: read(LONG - 1, false), // stale: 1 → 7 means the counter wrapped, yet no irq
      i: irq(),
      r: read(3, true),
    });
  }));

  it('the same guest against synchronous delivery never sees that state', marbles((m) => {
    const sim = rig(m, { horizon: 15 });
    sim.device({ start: { limit: LONG } });
    sim.guest(                           '-----c-b-b---b');
    const expected =                     '-------pts---r';
    m.expect(sim.events$).toBeObservable(expected, {
      p: read(1, false),
      t: trigger(),
      s: read(LONG - 1, true), // wrapped, and pending: consistent
      r: read(3, true),
    });
  }));
});
