import type { Device } from '../src/bus/Device';
import type { VirtualClock } from '../src/clock/VirtualClock';
import { ReplayDivergenceError, SystemConfigError } from './errors';
import type { InstantPlacer } from './InstantPlacer';
import { isWhole } from './isWhole';
import type { RecordedStep } from './Recording';

/**
 * Guest inputs to replay, given one step at a time: an array (a
 * {@link Recording}) or any iterable, such as the steps of a recording file
 * read as the replay goes (see `RecordingReader`). A replay takes steps from
 * it only as it reaches them, so an iterable that reads them lazily keeps the
 * replay's memory bounded whatever the recording's length.
 */
export interface StreamedRecording {
  /** Guest steps in the order they ran (read once, in order). */
  readonly steps: Iterable<RecordedStep>;
}

/**
 * Replays recorded steps through `placer`, an instant's steps at a time: the
 * steps of the next instant are taken from `steps` and placed only when the
 * last step of the instant before has run, so at most one instant's steps are
 * ever pending (the whole recording never is). Steps of one instant are
 * placed together, in order, as a recording placed whole would place them:
 * each runs right after the recorded number of device events there.
 *
 * Steps are checked as they are taken (whole ns, in time order, none before
 * the replay's start): the first out of order throws a SystemConfigError
 * from the run that took it, naming its index.
 * @param clock - the system's clock
 * @param placer - puts each step at its place in its instant
 * @param bus - the device the accesses go to (the system bus)
 * @param steps - the steps, read once
 * @internal
 */
export const replaySteps = (clock: VirtualClock, placer: InstantPlacer, bus: Device, steps: Iterable<RecordedStep>): void => {
  const source = steps[Symbol.iterator]();
  let index = 0;
  let taken = 0;
  let last = clock.now();
  /** The first step of the next instant, taken while looking for the end of the one before. */
  let ahead: RecordedStep | undefined;
  const take = (): RecordedStep | undefined => {
    const next = source.next();
    if (next.done === true) return undefined;
    const step = next.value;
    if (!isWhole(step.time) || step.time < last) {
      throw new SystemConfigError(step.time, `must be a whole ns, not before ${last} (steps in time order, none before now)`, `replay(steps[${taken}].time)`);
    }
    last = step.time;
    taken++;
    return step;
  };
  const placeInstant = (): void => {
    const first = ahead ?? take();
    ahead = undefined;
    if (first === undefined) return;
    const batch = [first];
    for (let step = take(); step !== undefined; step = take()) {
      if (step.time !== first.time) {
        ahead = step;
        break;
      }
      batch.push(step);
    }
    batch.forEach((step, i) => {
      const at = index++;
      const isLast = i === batch.length - 1;
      placer.place(
        step.time,
        step.after,
        () => {
          for (const a of step.accesses) {
            if (a.kind === 'read') bus.read(a.address, a.size);
            else bus.write(a.address, a.size, a.value ?? 0);
          }
          // The next instant is later: placing it now never runs it from inside this step.
          if (isLast) placeInstant();
        },
        (seen) => new ReplayDivergenceError(at, step.time, step.after, seen),
      );
    });
  };
  placeInstant();
};
