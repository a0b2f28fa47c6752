import { periodOfClock } from '../ptimer/arith';
import { ratioOfClock } from '../ptimer/exact';
import type { PTimerMode } from '../ptimer/PTimerState';
import { describeValue } from '../shared/describeValue';
import type { RegisterDef } from './defineRegisterMap';
import { RegisterSnapshotError } from './errors';
import { bottomHalvesPutBack } from './bottomHalvesPutBack';
import type { TimerPartView } from './timerPart';

/**
 * The cross-field rules of device snapshots, in one grammar: each names the
 * field it refuses (its full path), the value found there, and the rule,
 * which names the other fields it is compared with. A device states which of
 * its invariants hold by construction (its contract header) and checks them
 * with these before it loads anything, so a snapshot no run of the device
 * could produce is refused rather than loaded.
 */

/** Where a device snapshot keeps its register bank's values: `registers.registers.<NAME>`. */
export const registerPath = (register: string, field?: string): string =>
  field === undefined ? `registers.registers.${register}` : `registers.registers.${register}.${field}`;

/**
 * Refuses a snapshot: `path` holds `value`, which breaks `rule`.
 * @throws RegisterSnapshotError always
 */
export const refuseSnapshot = (path: string, value: unknown, rule: string): never => {
  throw new RegisterSnapshotError(path, value, rule);
};

const modeWords = (modes: readonly PTimerMode[]): string => modes.map((m) => `'${m}'`).join(' or ');

/**
 * A rule's reason, in words, or a function that words it: a device checks
 * its rules at every restore (the ordering explorer restores at nearly every
 * schedule), and a reason is read only when a rule refuses.
 */
export type SnapshotReason = string | (() => string);

const worded = (because: SnapshotReason): string => (typeof because === 'string' ? because : because());

/**
 * The timer's mode must be one of `allowed`, `because` the registers say so.
 * @param view - the timer part
 * @param allowed - the modes the device's registers allow
 * @param because - the reason, naming the fields it comes from (`while registers.registers.CTRL.EN is 0`)
 * @throws RegisterSnapshotError at `<timer>.mode`
 */
export const expectTimerMode = (view: TimerPartView, allowed: readonly PTimerMode[], because: SnapshotReason): void => {
  if (!allowed.includes(view.mode)) refuseSnapshot(`${view.where}.mode`, view.mode, `must be ${modeWords(allowed)} ${worded(because)}`);
};

/**
 * A running timer must run one-shot or periodic as its device's registers say.
 * @param view - the timer part
 * @param oneshot - whether the registers make it one-shot
 * @param because - the reason, naming the fields it comes from
 * @throws RegisterSnapshotError at `<timer>.mode`
 */
export const expectRunningMode = (view: TimerPartView, oneshot: boolean, because: SnapshotReason): void => {
  if (view.mode === 'stopped' || view.mode === (oneshot ? 'oneshot' : 'periodic')) return;
  expectTimerMode(view, [oneshot ? 'oneshot' : 'periodic'], because);
};

/**
 * The timer's reload value must be `limit`.
 * @throws RegisterSnapshotError at `<timer>.limit`
 */
export const expectTimerLimit = (view: TimerPartView, limit: bigint | number, because: SnapshotReason): void => {
  const want = BigInt(limit);
  if (view.limit !== want) refuseSnapshot(`${view.where}.limit`, view.limit.toString(), `must be ${want} ${worded(because)}`);
};

/**
 * The timer's count (its `delta`) must not exceed `max`.
 * @throws RegisterSnapshotError at `<timer>.delta`
 */
export const expectTimerCountAtMost = (view: TimerPartView, max: bigint | number, because: SnapshotReason): void => {
  const most = BigInt(max);
  if (view.delta > most) refuseSnapshot(`${view.where}.delta`, view.delta.toString(), `must not exceed ${most} ${worded(because)}`);
};

/** The periods `setPeriodFromClock(hz, divisor)` gives in each timing, worked out once per rate and divider (BigInt arithmetic). */
const periods = new Map<number, Map<number, { readonly exact: { readonly num: bigint; readonly den: bigint }; readonly qemu: { readonly ns: bigint; readonly frac: bigint } }>>();

const periodsOf = (hz: number, divisor: number): { readonly exact: { readonly num: bigint; readonly den: bigint }; readonly qemu: { readonly ns: bigint; readonly frac: bigint } } => {
  let byDivisor = periods.get(hz);
  if (byDivisor === undefined) periods.set(hz, (byDivisor = new Map()));
  let found = byDivisor.get(divisor);
  if (found === undefined) {
    found = { exact: ratioOfClock(BigInt(hz), BigInt(divisor)), qemu: periodOfClock(BigInt(hz), BigInt(divisor)) };
    byDivisor.set(divisor, found);
  }
  return found;
};

/**
 * The timer's period must be what `setPeriodFromClock(hz, divisor)` gives
 * in the timer's own timing (exactly 10^9·divisor/hz ns, or QEMU's 64.32
 * fixed point): the rate its device's clock input and prescaler give. The
 * message names the part that differs.
 * @param view - the timer part
 * @param hz - the clock's rate, above 0
 * @param divisor - the prescaler's division
 * @param because - what the period is, in words
 * @throws RegisterSnapshotError at `<timer>.periodNum`/`periodDen` (exact) or `<timer>.period`/`periodFrac` (QEMU)
 */
export const expectTimerPeriod = (view: TimerPartView, hz: number, divisor: number, because: SnapshotReason): void => {
  const { exact, qemu } = periodsOf(hz, divisor);
  if (view.timing === 'exact') {
    const { num, den } = exact;
    if (view.periodNum === num && view.periodDen === den) return;
    const rule = `must be ${num}/${den} ns, exactly 10^9·${divisor}/${hz} (the period ${worded(because)})`;
    if (view.periodNum !== num) refuseSnapshot(`${view.where}.periodNum`, view.periodNum.toString(), rule);
    refuseSnapshot(`${view.where}.periodDen`, view.periodDen.toString(), rule);
  }
  if (view.period === qemu.ns && view.periodFrac === qemu.frac) return;
  const rule = `must be ${qemu.ns} ns + ${qemu.frac}/2^32, QEMU's period of ${hz} Hz ÷ ${divisor} (the period ${worded(because)})`;
  if (view.period !== qemu.ns) refuseSnapshot(`${view.where}.period`, view.period.toString(), rule);
  refuseSnapshot(`${view.where}.periodFrac`, view.periodFrac.toString(), rule);
};

/**
 * The timer's period must be exactly `ns` whole nanoseconds (what `setPeriod(ns)` gives in
 * either timing), for a period no clock rate gives (a frozen counter's, say).
 * @param view - the timer part
 * @param ns - the period in whole ns
 * @param because - what the period is, in words
 * @throws RegisterSnapshotError at `<timer>.periodNum`/`periodDen` (exact) or `<timer>.period`/`periodFrac` (QEMU)
 */
export const expectTimerPeriodNs = (view: TimerPartView, ns: bigint, because: SnapshotReason): void => {
  const rule = (): string => `must be ${ns} ns exactly (the period ${worded(because)})`;
  if (view.timing === 'exact') {
    if (view.periodNum !== ns) refuseSnapshot(`${view.where}.periodNum`, view.periodNum.toString(), rule());
    if (view.periodDen !== 1n) refuseSnapshot(`${view.where}.periodDen`, view.periodDen.toString(), rule());
    return;
  }
  if (view.period !== ns) refuseSnapshot(`${view.where}.period`, view.period.toString(), rule());
  if (view.periodFrac !== 0n) refuseSnapshot(`${view.where}.periodFrac`, view.periodFrac.toString(), rule());
};

/**
 * Registers the device never changes after reset (ID registers, registers
 * whose reads are computed and store nothing) must hold their reset value.
 * @param registers - the snapshot's register values by name
 * @param defs - the registers' definitions (their reset values)
 * @throws RegisterSnapshotError at the first register that differs
 */
export const expectResetValues = (registers: Readonly<Record<string, number>>, defs: readonly RegisterDef[]): void => {
  for (const def of defs) {
    const value = registers[def.name];
    if (value !== def.reset) {
      refuseSnapshot(registerPath(def.name), value, `must be ${describeValue(def.reset)}, its reset value: the device never changes it`);
    }
  }
};

/**
 * A timer stopped at a count of 0 between its countdown's expiry and the
 * legacy bottom half that plans the next countdown is taken only by a
 * restore after which the pending bottom halves are put back (see
 * {@link bottomHalvesPutBack}): restored alone, it would stay stopped.
 * @param view - the timer part (stopped, `delta` 0)
 * @param what - what ended, for the message (`a countdown`, `the tick segment`)
 * @throws RegisterSnapshotError at `<timer>.delta` outside such a restore
 */
export const expectBottomHalfPutBack = (view: TimerPartView, what: string): void => {
  if (bottomHalvesPutBack()) return;
  refuseSnapshot(
    `${view.where}.delta`,
    '0',
    `is ${what} that ended and waits for its bottom half, which plans the next: a pending bottom half is not device state, so this restore would leave it stopped (a restore after which the pending bottom halves are put back takes it: withBottomHalvesPutBack)`,
  );
};
