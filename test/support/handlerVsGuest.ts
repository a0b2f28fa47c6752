/**
 * G3 for a device's own interrupt handlers (#13): the same scenario run twice, once with
 * `handler` called by a listener of `line` inside the expiry step that raised it (the
 * timer's callback context), once in a guest step queued at that instant right after the
 * expiry step. The two runs must log the same events and line levels at the same times
 * and leave the same snapshots: then an interrupt handler may act from the listener.
 * (test/devices/catalogue.expiryPath.spec.ts does the same for every catalogue channel
 * with its acknowledge and start recipes; this one takes any handler.)
 */
import type { Device, IrqLine, VirtualClock } from '../../index';

/** What a test rig needs here: the device and its clock. */
export interface HandlerRig {
  readonly clock: VirtualClock;
  readonly device: Device;
}

/** One run of {@link handlerVsGuest}. */
export interface HandlerRun {
  /** How many times the handler ran. */
  readonly handled: number;
  /** `<time> <event kind>` and `<time> <line>=<level>`, in order. */
  readonly log: readonly string[];
  /** The device's snapshot (as JSON data) at each of the sample times. */
  readonly states: readonly unknown[];
}

/**
 * Runs the scenario in both ways.
 * @param make - a fresh rig
 * @param line - the device's line (a key of its `lines`) whose rising edges run the handler
 * @param start - programs the device at time 0
 * @param handler - what the interrupt handler does
 * @param options - at most `rounds` handler runs; a snapshot at each of `times`
 * @returns the run with the handler in the listener, and the run with it in a guest step
 */
export const handlerVsGuest = <R extends HandlerRig>(
  make: () => R,
  line: string,
  start: (rig: R) => void,
  handler: (rig: R) => void,
  options: { readonly rounds: number; readonly times: readonly number[] },
): { readonly inListener: HandlerRun; readonly byGuest: HandlerRun } => {
  const run = (inStep: boolean): HandlerRun => {
    const rig = make();
    const { clock, device } = rig;
    const lines = device.lines as Readonly<Record<string, IrqLine>>;
    const log: string[] = [];
    device.events$.subscribe((e) => log.push(`${clock.now()} ${e.kind}`));
    for (const [name, l] of Object.entries(lines)) l.watch((level) => log.push(`${clock.now()} ${name}=${level}`));
    let handled = 0;
    lines[line]!.watch((level) => {
      if (!level || handled >= options.rounds) return;
      handled++;
      if (inStep) handler(rig);
      else clock.schedule(() => handler(rig), 0); // a guest step at the same instant, after the expiry step
    });
    start(rig);
    const states = options.times.map((t) => {
      clock.advanceTo(t);
      return JSON.parse(JSON.stringify(device.snapshot())) as unknown;
    });
    return { handled, log, states };
  };
  return { inListener: run(true), byGuest: run(false) };
};
