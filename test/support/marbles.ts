/**
 * Marble-test support: rxjs-marbles configured for vitest, and a small rig
 * that turns a timer scenario into one merged, labelled stream.
 *
 * ## Time
 * `marbles(m => …)` runs on rxjs's `TestScheduler` in run mode: one frame is
 * one unit of `m.scheduler.now()`. Timers run on
 * `scaleScheduler(m.scheduler, NS_PER_FRAME)` (see ./clock.ts):
 * 1 frame = NS_PER_FRAME ns = 1 timer tick at PERIOD_NS. So a timer started
 * at frame 0 with limit 6 expires at frame 6 (or 6, 13, 20, … with
 * WRAP_AFTER_ONE_PERIOD, whose later rounds span limit + 1 ticks).
 * Time progression in marbles (`'10ms '`) would mean frames here: never use it.
 * Spaces in run-mode marbles take no time; they only align diagrams.
 *
 * ## Same-frame order
 * Work due at one frame runs FIFO by when it was armed (G4). The rig arranges
 * every guest access and every `at()` in the synchronous setup of the test,
 * before any timer runs, so:
 * - guest `b` (and `at(…, 'before')`) runs before a timer expiry due at that frame;
 * - guest `a` (and `at(…, 'after')`) hops once through the scheduler at that
 *   frame, so it runs after the work already queued for it (an expiry armed
 *   earlier, and everything that expiry did synchronously).
 * So start timers through `device({ start })` or `at()`, never directly in the
 * test body: a timer armed during setup could get ahead of the guest.
 *
 * ## The merged stream
 * `sim.events$` carries, in order, every trigger of every rig timer, every
 * guest read, every error thrown by timer work, and any marker the test logs.
 * Events are strings made by the label helpers below (`read`, `trigger`,
 * `irq`, `errorLabel`), so expected values read like a trace. It replays
 * what happened before `m.expect` subscribed (the frame-0 setup), so expect
 * it from frame 0.
 *
 * A run stops after `horizon` frames (work due later never runs), so a
 * periodic timer cannot make the flush endless.
 */
import { ReplaySubject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { configure, type Context } from 'rxjs-marbles';
import { describe, expect, it } from 'vitest';
import { PTimer, scaleScheduler, type PTimerPolicy, type PTimerTrigger, type PTimerTriggerCause } from '../../index';
import { NS_PER_FRAME, PERIOD_NS, probeScheduler } from './clock';

export { NS_PER_FRAME, PERIOD_NS } from './clock';
export type { Context } from 'rxjs-marbles';

interface Message {
  readonly frame: number;
  readonly notification: { readonly kind: 'N' | 'E' | 'C'; readonly value?: unknown; readonly error?: unknown };
}

const isMessage = (x: unknown): x is Message =>
  typeof x === 'object' && x !== null && 'frame' in x && 'notification' in x;

/** A TestScheduler message as `[frame, value]`, `[frame, '<complete>']` or `[frame, '<error>', error]`, for short diffs. */
const compact = (x: unknown): unknown => {
  if (!Array.isArray(x) || !x.every(isMessage)) return x;
  return x.map(({ frame, notification: n }) =>
    n.kind === 'N' ? [frame, n.value] : n.kind === 'C' ? [frame, '<complete>'] : [frame, '<error>', n.error],
  );
};

/**
 * `it('…', marbles((m) => { … }))`: a TestScheduler run per test (run mode),
 * assertions through vitest's `expect`; notifications are compared as
 * `[frame, value]` pairs so a failure shows a short diff.
 */
export const { marbles } = configure({
  run: true,
  assert: (value: unknown, message: string) => expect(value, message).toBeTruthy(),
  assertDeepEqual: (actual: unknown, expected: unknown) => expect(compact(actual)).toStrictEqual(compact(expected)),
  frameworkMatcher: true,
});

/**
 * rxjs-marbles' `cases` for vitest: one `describe(name)` with one marble test
 * per entry of `table`, named by its key. (No `only`/`skip`: the suite runs
 * every case.)
 */
export const cases = <C extends object>(
  name: string,
  test: (m: Context, c: C & { readonly name: string }) => void,
  table: Readonly<Record<string, C>>,
): void => {
  describe(name, () => {
    for (const [caseName, c] of Object.entries(table)) {
      it(
        caseName,
        marbles((m: Context) => test(m, { ...c, name: caseName })),
      );
    }
  });
};

// ---- policy sets named like the devices that use them (reference §1.14, §3) ----

const W = 'WRAP_AFTER_ONE_PERIOD';
const C = 'CONTINUOUS_TRIGGER';
const T = 'NO_IMMEDIATE_TRIGGER';
const R = 'NO_IMMEDIATE_RELOAD';
const D = 'NO_COUNTER_ROUND_DOWN';
const O = 'TRIGGER_ONLY_ON_DECREMENT';

/** Policy sets the ordering tests sweep, by the name tests print. */
export const POLICY_SETS = {
  /** No flags: QEMU's legacy quirks (SP804, the LP #1777777 device). */
  legacy: [],
  /** Hardware-like reads (floor + 1). */
  'd': [D],
  /** Rests at 0 for one period after each expiry, hardware-like reads. */
  'w+d': [W, D],
  /** CMSDK APB timer. */
  'cmsdk w+o+r+d': [W, O, R, D],
  /** Arm MPTimer. */
  'mptimer w+c+t+r+d': [W, C, T, R, D],
} as const satisfies Record<string, readonly PTimerPolicy[]>;

export type PolicySetName = keyof typeof POLICY_SETS;

// ---- labels: the values of the merged stream ----

/** A guest read of the counter and the interrupt-status register. */
export const read = (count: bigint | number, pending: boolean, device = 'dev'): string =>
  `${device}: read ${BigInt(count)} ${pending ? 'pending' : 'clear'}`;

/** A trigger of a timer, as seen on its `triggers$`. */
export const trigger = (cause: PTimerTriggerCause = 'expiry', timer = 'dev'): string => `${timer}: trigger (${cause})`;

/** The device's interrupt-pending flag rising. */
export const irq = (device = 'dev'): string => `${device}: irq`;

/** An error thrown by scheduled timer work (or caught by the test and logged). */
export const errorLabel = (error: unknown): string => {
  if (!(error instanceof Error)) return `error ${String(error)}`;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `error ${error.name}${cause}`;
};

/** What a callback sees of its timer: the count and limit as it reads them. */
export const view = (timer: PTimer): string => `${timer.name}: sees count ${timer.getCount()} limit ${timer.getLimit()}`;

// ---- the rig -----------------------------------------------------------------

/** Where, within its frame, a scheduled access runs (see the header). */
export type Phase = 'before' | 'after';

/** How to program a timer when the run starts (frame 0). */
export interface StartConfig {
  /** Limit and initial count (`setLimit(limit, true)`). */
  readonly limit: number;
  /** Period in ns; default PERIOD_NS (1 tick per frame). */
  readonly periodNs?: number;
  /** One-shot instead of periodic. */
  readonly oneshot?: boolean;
}

/** Options of {@link Sim.device}. */
export interface DeviceOptions {
  /** Device and timer name, used in labels (default `'dev'`). */
  readonly name?: string;
  readonly policy?: readonly PTimerPolicy[];
  /**
   * Whether the timer's `onTrigger` raises the device's interrupt (default
   * true, the synchronous delivery of G1). `false` leaves delivery to the
   * test, e.g. through an asynchronous hop to show the bottom-half race.
   */
  readonly wired?: boolean;
  /** More callback work, run inside `onTrigger` after the interrupt is raised. */
  readonly onTrigger?: (trigger: PTimerTrigger, device: Device) => void;
  /** Program and start the timer at frame 0 (default: left stopped). */
  readonly start?: StartConfig;
  /** Log each trigger into the merged stream (default true). */
  readonly logTriggers?: boolean;
  /** Log each rise of the interrupt-pending flag (default false). */
  readonly logIrq?: boolean;
}

/** A minimal device: one timer and an interrupt-status register with a pending bit. */
export interface Device {
  readonly name: string;
  readonly timer: PTimer;
  /** The interrupt-status register's pending bit. */
  readonly pending: boolean;
  /** Sets the pending bit (what the expiry callback does). */
  raise(): void;
  /** Clears the pending bit (the guest's write-1-to-clear). */
  clear(): void;
  /** The guest reads the counter, then the status register: one label. */
  read(): string;
}

/** The simulation rig of one marble test. */
export interface Sim {
  readonly m: Context;
  /** The marble scheduler in nanoseconds (errors thrown by its work are logged, see {@link errorLabel}). */
  readonly ns: SchedulerLike;
  /** How many pieces of work scheduled through `ns` are still queued (timer expiries, `ticks$` ticks, hops). */
  pending(): number;
  /** The merged, labelled stream (see the header). */
  readonly events$: Observable<string>;
  /** Every event so far with its frame, for comparing whole runs. */
  readonly trace: readonly (readonly [frame: number, label: string])[];
  /** Appends a marker to the merged stream. */
  log(label: string): void;
  /** Creates a timer on `ns` whose triggers are logged (unless `logTriggers` is false). */
  timer(name?: string, policy?: readonly PTimerPolicy[], logTriggers?: boolean): PTimer;
  /** Creates a {@link Device} (and its timer). */
  device(options?: DeviceOptions): Device;
  /**
   * Guest accesses to `device`, one letter per access at its frame:
   * `b` read before the frame's timer work, `a` read after it,
   * `c` clear the pending bit (before the frame's timer work).
   */
  guest(accesses: string, device?: Device): void;
  /** Runs `work` at `frame`, before or after the work already queued for it (see the header). */
  at(frame: number, work: () => void, phase?: Phase): void;
}

/** Options of {@link rig}. */
export interface RigOptions {
  /** Last frame that runs (default 60). */
  readonly horizon?: number;
}

/**
 * Builds the rig for one marble test. Call everything (devices, guest, `at`)
 * synchronously in the test body, then `m.expect(sim.events$)`.
 *
 * ## Example
 * ```ts
 * it('G1: …', marbles((m) => {
 *   const sim = rig(m, { horizon: 10 });
 *   sim.device({ start: { limit: 6 } });
 *   sim.guest(                         '----c-(ba)');
 *   m.expect(sim.events$).toBeObservable('------(otn)', { o: read(0, false), t: trigger(), n: read(6, true) });
 * }));
 * ```
 */
export const rig = (m: Context, options: RigOptions = {}): Sim => {
  const scheduler = m.scheduler;
  scheduler.maxFrames = options.horizon ?? 60;
  const log$ = new ReplaySubject<string>();
  const trace: [number, string][] = [];
  const log = (label: string): void => {
    trace.push([scheduler.now(), label]);
    log$.next(label);
  };
  // The probe sits under the scaling, where every arm of a timer is a fresh schedule it can count.
  const probe = probeScheduler(scheduler, (error) => log(errorLabel(error)));
  const ns = scaleScheduler(probe, NS_PER_FRAME);
  const subscriptions: Subscription[] = [];
  let firstDevice: Device | undefined;

  const at = (frame: number, work: () => void, phase: Phase = 'before'): void => {
    scheduler.schedule(() => {
      if (phase === 'before') work();
      else scheduler.schedule(work);
    }, frame - scheduler.now());
  };

  const timer = (name = 'dev', policy: readonly PTimerPolicy[] = [], logTriggers = true): PTimer => {
    const t = new PTimer(ns, { name, policy });
    if (logTriggers) subscriptions.push(t.triggers$.subscribe((tr) => log(trigger(tr.cause, tr.timer.name))));
    return t;
  };

  const device = (o: DeviceOptions = {}): Device => {
    const name = o.name ?? 'dev';
    let pending = false;
    const dev: Device = {
      name,
      get timer() {
        return t;
      },
      get pending() {
        return pending;
      },
      raise() {
        if (!pending && o.logIrq === true) log(irq(name));
        pending = true;
      },
      clear() {
        pending = false;
      },
      read() {
        const count = t.getCount();
        return read(count, pending, name);
      },
    };
    const t = new PTimer(ns, {
      name,
      policy: o.policy ?? [],
      onTrigger: (tr) => {
        if (o.wired !== false) dev.raise();
        o.onTrigger?.(tr, dev);
      },
    });
    if (o.logTriggers !== false) subscriptions.push(t.triggers$.subscribe((tr) => log(trigger(tr.cause, tr.timer.name))));
    const start = o.start;
    if (start !== undefined) {
      at(0, () =>
        t.transaction((tx) => {
          tx.setPeriod(start.periodNs ?? PERIOD_NS);
          tx.setLimit(start.limit, true);
          tx.run(start.oneshot ?? false);
        }),
      );
    }
    firstDevice ??= dev;
    return dev;
  };

  const guest = (accesses: string, dev: Device | undefined = firstDevice): void => {
    if (dev === undefined) throw new Error('guest(): create a device first');
    const target = dev;
    m.cold(accesses).subscribe((access: string) => {
      switch (access) {
        case 'b':
          log(target.read());
          break;
        case 'a':
          scheduler.schedule(() => log(target.read()));
          break;
        case 'c':
          target.clear();
          break;
        default:
          throw new Error(`guest(): unknown access '${access}' (use b, a or c)`);
      }
    });
  };

  return { m, ns, pending: () => probe.pending(), events$: log$.asObservable(), trace, log, timer, device, guest, at };
};

/**
 * A marble of `letter` at frames `first`, `first + span`, `first + 2·span`, …
 * up to `horizon`, with '-' elsewhere: for long periodic runs that are too
 * long to write out.
 */
export const periodicMarble = (letter: string, first: number, span: number, horizon: number): string => {
  let out = '';
  for (let frame = 0; frame <= horizon; frame++) {
    out += frame >= first && (frame - first) % span === 0 ? letter : '-';
  }
  return out;
};
