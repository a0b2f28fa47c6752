import type { RegisterInfo } from '../../src/bus/Device';
import type { System } from '../../system/System';

/** Per timer: triggers emitted and delivered so far, and when the oldest undelivered one was emitted. */
interface Tally {
  emitted: number;
  delivered: number;
  since: number;
}

/**
 * Watches one run for the built-in expiry invariants, live (inside the step
 * where a breach happens):
 * - `atomic-expiry` (G1): no guest reads a device while one of its timers
 *   has emitted a trigger that the device has not yet received;
 * - `exactly-once` (G5): every trigger a timer emits reaches its device once
 *   (a delivery that covers several triggers loses all but one; more
 *   deliveries than triggers double one); at the end, a trigger not yet
 *   delivered must still have its bottom half pending.
 * @internal
 */
export interface ExpiryMonitor {
  /** The first breach, once there is one. */
  readonly violation: string | undefined;
  /** The end-of-run check (undelivered triggers with nothing pending to deliver them). */
  finish(): string | undefined;
  /** Stops watching the clock. */
  detach(): void;
  /** Notes the tallies and the verdict now; the function returned puts them back (for a system rewound in place). */
  checkpoint(): () => void;
}

/**
 * @param system - the run's system (its clock is the devices' scheduler)
 * @param checks - which of the two invariants to watch
 */
export const expiryMonitor = (system: System, checks: { readonly atomic: boolean; readonly exactlyOnce: boolean }): ExpiryMonitor => {
  const tallies = new Map<string, Tally>();
  /** Timers with an undelivered trigger, by device. */
  const undelivered = new Map<string, Set<string>>();
  let violation: string | undefined;
  const clock = system.clock;
  const deviceOf = (timer: string): string => {
    const dot = timer.indexOf('.');
    return dot < 0 ? timer : timer.slice(0, dot);
  };
  const tally = (timer: string): Tally => {
    let t = tallies.get(timer);
    if (t === undefined) tallies.set(timer, (t = { emitted: 0, delivered: 0, since: 0 }));
    return t;
  };
  const emitted = (timer: string): void => {
    const t = tally(timer);
    if (t.emitted === t.delivered) {
      t.since = clock.now();
      const device = deviceOf(timer);
      let set = undelivered.get(device);
      if (set === undefined) undelivered.set(device, (set = new Set()));
      set.add(timer);
    }
    t.emitted++;
  };
  const delivered = (timer: string): void => {
    const t = tally(timer);
    const owed = t.emitted - t.delivered;
    t.delivered = t.emitted;
    undelivered.get(deviceOf(timer))?.delete(timer);
    if (!checks.exactlyOnce || violation !== undefined) return;
    if (owed === 0) violation = `G5 (exactly once) at ${clock.now()} ns: ${timer} delivered a trigger it did not emit`;
    else if (owed > 1) {
      violation = `G5 (exactly once) at ${clock.now()} ns: one delivery for ${owed} triggers of ${timer} (the first emitted at ${t.since} ns): ${owed - 1} lost`;
    }
  };
  // The device kit posts a note when a timer emits a trigger and when its device has handled it.
  const detach = clock.observe({ trigger: (note) => (note.kind === 'emitted' ? emitted(note.timer) : delivered(note.timer)) });
  if (checks.atomic) {
    const names = new Map<string, readonly RegisterInfo[] | undefined>();
    system.watchTrace((event) => {
      if (violation !== undefined || event.kind !== 'read') return;
      const waiting = undelivered.get(event.source);
      if (waiting === undefined || waiting.size === 0) return;
      const timer = [...waiting][0]!;
      if (!names.has(event.source)) names.set(event.source, system.device(event.source).registers);
      const register = names.get(event.source)?.find((r) => r.offset === event.offset)?.name ?? `offset 0x${event.offset.toString(16)}`;
      violation =
        `G1 (atomic expiry) at ${event.time} ns: a guest read ${event.source}.${register} (= ${event.value}) ` +
        `while ${timer}'s trigger of ${tally(timer).since} ns was not yet delivered`;
    });
  }
  return {
    detach,
    checkpoint() {
      // An explorer restores at nearly every fork: the tallies are put back in place (their objects and the maps
      // kept), not rebuilt. Tallies are only ever added, so those made since the checkpoint come last. A device's
      // set of undelivered timers is never dropped either: an empty one counts as none.
      const names = [...tallies.keys()];
      const counts = new Float64Array(3 * names.length);
      let k = 0;
      for (const t of tallies.values()) {
        counts[k++] = t.emitted;
        counts[k++] = t.delivered;
        counts[k++] = t.since;
      }
      const savedUndelivered: (readonly [Set<string>, readonly string[]])[] = [];
      for (const set of undelivered.values()) if (set.size > 0) savedUndelivered.push([set, [...set]]);
      const savedViolation = violation;
      return () => {
        let i = 0;
        for (const [timer, t] of tallies) {
          if (i === names.length || names[i] !== timer) break;
          t.emitted = counts[3 * i]!;
          t.delivered = counts[3 * i + 1]!;
          t.since = counts[3 * i + 2]!;
          i++;
        }
        if (i < tallies.size || i < names.length) {
          // Tallies made since the checkpoint go; those it had and a rewind to an earlier one dropped come back.
          for (const timer of [...tallies.keys()].slice(i)) tallies.delete(timer);
          for (let j = i; j < names.length; j++) tallies.set(names[j]!, { emitted: counts[3 * j]!, delivered: counts[3 * j + 1]!, since: counts[3 * j + 2]! });
        }
        for (const set of undelivered.values()) set.clear();
        for (const [set, timers] of savedUndelivered) for (const timer of timers) set.add(timer);
        violation = savedViolation;
      };
    },
    get violation() {
      return violation;
    },
    finish() {
      if (violation !== undefined || !checks.exactlyOnce) return violation;
      // The queue is listed only for a trigger still undelivered (most runs have none): a bottom half may yet deliver it.
      let pending: Set<string> | undefined;
      for (const [timer, t] of tallies) {
        if (t.emitted <= t.delivered) continue;
        pending ??= new Set(
          clock
            .pendingEvents()
            .filter((e) => e.tag.kind === 'bottom-half')
            .map((e) => e.tag.owner),
        );
        if (!pending.has(timer)) {
          return `G5 (exactly once) at the end (${clock.now()} ns): ${t.emitted - t.delivered} trigger(s) of ${timer} since ${t.since} ns never delivered`;
        }
      }
      return undefined;
    },
  };
};
