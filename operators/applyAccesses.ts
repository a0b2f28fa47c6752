import { Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { AccessPort } from '../src/bus/AccessPort';
import type { Device } from '../src/bus/Device';
import type { AccessResult, GuestAccess } from '../src/bus/GuestAccess';
import type { TraceSink } from '../src/trace/TraceSink';
import { accessRule, checkDevice, checkScheduler, checkSink, OperatorArgumentError } from './errors';
import { isWellFormedAccess } from './isWellFormedAccess';

/**
 * Performs each guest access on `device` the moment it arrives and emits what
 * the guest saw: the value read (or written), at the virtual time of the
 * access, with the device's guest-error reason when it refused it.
 *
 * The access runs synchronously inside the source's emission, so its time is
 * the source's (`scheduler.now()`), and results come out in arrival order,
 * one per access. Each access goes through an {@link AccessPort}, held while
 * subscribed: a `guest-error` event the device emits *during* an access sets
 * that result's `error` (the first one, if it emits several); events emitted
 * between accesses are not attributed to any. With a `sink`, each result is
 * also recorded as an `AccessEvent` (source = device name) before it is
 * emitted.
 *
 * Errors and completion of the source pass through. A value that is not a
 * guest access errors the stream with an {@link OperatorArgumentError}; a
 * device (or sink) that throws errors the stream with what it threw (a
 * refused guest access never throws: it is a guest-error event).
 *
 * Ordering: relies on G1 — an access runs in the step of the emission that
 * carries it, between two scheduled actions of the timers, so it sees each
 * device either before or after an expiry, never in between; preserves G4 —
 * accesses at one instant are performed and emitted in arrival order.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns; a = guestWrite(DATA, 5), b = guestRead(DATA)
 * const accesses = m.cold('a-b|', { a: guestWrite(DATA, 5), b: guestRead(DATA) });
 * const results = accesses.pipe(applyAccesses(device, ns));
 * m.expect(results).toBeObservable('x-y|', {
 *   x: { time: 0,     device: 'fake', kind: 'write', offset: DATA, size: 4, value: 5 },
 *   y: { time: 2_000, device: 'fake', kind: 'read',  offset: DATA, size: 4, value: 5 },
 * });
 * ```
 *
 * @param device - the device the guest accesses
 * @param scheduler - virtual time in ns (the clock the device's timers run on)
 * @param sink - optional: receives an `AccessEvent` per access
 * @returns an operator from guest accesses to their results
 * @throws OperatorArgumentError for a device, scheduler or sink of the wrong shape
 * @see AccessPort for how one access is performed
 * @see accessesFrom to build an access stream from timed entries
 * @see runDriver for a guest that reacts to what it reads
 */
export const applyAccesses = (
  device: Device,
  scheduler: SchedulerLike,
  sink?: TraceSink,
): OperatorFunction<GuestAccess, AccessResult> => {
  checkDevice(device, 'applyAccesses(device)');
  checkScheduler(scheduler, 'applyAccesses(scheduler)');
  checkSink(sink, 'applyAccesses(sink)');
  return (source) =>
    new Observable<AccessResult>((subscriber) => {
      const port = new AccessPort(device);
      subscriber.add(() => port.close());
      subscriber.add(
        source.subscribe({
          next: (access) => {
            // A source that emits synchronously on subscribe can go on after we errored: touch nothing then.
            if (subscriber.closed) return;
            let result: AccessResult;
            try {
              // The quick check settles the usual case; anything else gets the full check (and its message).
              if (!isWellFormedAccess(access)) {
                const rule = accessRule(access);
                if (rule !== undefined) throw new OperatorArgumentError(access, rule, 'applyAccesses(access)');
              }
              const value = access.kind === 'write' ? access.value : 0;
              result = port.perform(access.kind, access.offset, access.size, value, scheduler.now(), sink);
            } catch (error) {
              subscriber.error(error);
              return;
            }
            subscriber.next(result);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
    });
};
