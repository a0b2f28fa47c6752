import { Observable, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { AccessPort } from '../src/bus/AccessPort';
import type { Device } from '../src/bus/Device';
import type { AccessResult, GuestWrite } from '../src/bus/GuestAccess';
import { VirtualAction } from '../src/clock/VirtualAction';
import type { IrqSignal } from '../src/irq/IrqLine';
import type { TraceSink } from '../src/trace/TraceSink';
import { checkCommand, type DriverCommand, type DriverInput } from './driverCommands';
import { PrecheckedIterator } from './prechecked';
import {
  checkDevice,
  checkFunction,
  checkScheduler,
  checkSink,
  DriverRunawayError,
  OperatorArgumentError,
} from './errors';

/** Default of {@link RunDriverOptions.maxCommandsPerInstant}. */
export const DEFAULT_MAX_COMMANDS_PER_INSTANT = 1_000_000;

/**
 * A guest driver: a generator function (called once per subscription) that
 * yields {@link DriverCommand}s and receives, for each, the value read (for a
 * read) or `undefined` (for anything else).
 */
export type DriverProgram = () => Iterator<DriverCommand, unknown, DriverInput>;

/** Options of {@link runDriver}. */
export interface RunDriverOptions {
  /** The device the driver accesses. */
  readonly device: Device;
  /** Virtual time in ns (the clock the device's timers run on). */
  readonly scheduler: SchedulerLike;
  /** Receives an `AccessEvent` per access (optional). */
  readonly sink?: TraceSink;
  /**
   * Runaway guard: the most commands the driver may yield at one virtual
   * instant (accesses and waits that do not let time move) before the stream
   * errors with a {@link DriverRunawayError}. Default
   * {@link DEFAULT_MAX_COMMANDS_PER_INSTANT} (1 000 000).
   */
  readonly maxCommandsPerInstant?: number;
  /**
   * Told each time the driver suspends: `'time'` at a `wait`/`waitUntil`,
   * `'level'` at a `waitForIrq` whose line is not at its level yet, `'woken'`
   * when that line gets there (its step is then queued). A system's forks
   * note it of each guest (see `systemForks`).
   */
  readonly onWait?: (wait: DriverWait) => void;
  /**
   * The driver resumes a program that was woken from a `waitForIrq` whose
   * step had not run yet: its first command, that wait, is taken as woken
   * (its step queued at once, whatever the line's level), as the wake-up was.
   * How a system rewound to a fork puts such a guest back.
   */
  readonly resumeWoken?: boolean;
}

/** How a driver is suspended (see `RunDriverOptions.onWait`). */
export type DriverWait = 'time' | 'level' | 'woken';

/**
 * Runs a guest driver written as a generator function, and emits the result
 * of every access it makes, in order.
 *
 * The driver starts when the stream is subscribed, at that instant, and runs
 * until it yields a wait:
 * - a guest access (`guestRead`/`guestWrite`) is performed at once, at the
 *   current instant (through {@link applyAccesses}, so results and trace
 *   events are the same); its result is emitted, then the driver resumes
 *   with the value read (`undefined` for a write);
 * - `wait(ns)` resumes it `ns` later, `waitUntil(time)` at `time` (both
 *   through `scheduler`; `wait(0)` lets the work already queued for the
 *   instant run first);
 * - `waitForIrq(signal, level)` goes on at once if the line is already at
 *   `level`, else resumes in a step of its own at the instant the line gets
 *   there (see `waitForIrq` for why not inside the change).
 *
 * The stream completes when the generator returns and errors with what it
 * throws. Unsubscribing stops the driver: its pending wake-up is cancelled
 * and the generator is closed (its `finally` blocks run). A yielded value
 * that is not a valid command errors the stream with a
 * {@link DriverCommandError} naming it; more than `maxCommandsPerInstant`
 * commands at one instant errors it with a {@link DriverRunawayError} naming
 * the instant, so a polling loop that never waits cannot hang the run.
 *
 * Subscribe from the top level or from scheduled work, not from inside a
 * device's callback: the driver's first step runs inside `subscribe`.
 *
 * Ordering: relies on G1 — the driver runs only at subscription and in its
 * own scheduled steps, never inside a timer's expiry, so each access sees
 * every device either before or after an expiry, never half-way; preserves
 * G4 — wake-ups are scheduled like any other work (FIFO at their instant),
 * and accesses made in one step happen, and are emitted, in order.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns; the device's irq rises at frame 5
 * const results = runDriver(function* () {
 *   yield guestWrite(CTRL, ENABLE);          // frame 0
 *   yield waitForIrq(device.irq);
 *   const status = yield guestRead(STATUS);  // frame 5
 *   yield guestWrite(STATUS, status ?? 0);   // frame 5: write 1 to clear
 * }, { device, scheduler: ns });
 * m.expect(results).toBeObservable('e----(rc|)', { e, r, c });
 * ```
 *
 * @param program - the driver, a generator function
 * @param options - device, scheduler, optional sink and runaway bound
 * @returns a cold stream of the results of the driver's accesses
 * @throws OperatorArgumentError for a program that is not a function, or bad options
 * @see wait
 * @see waitUntil
 * @see waitForIrq
 * @see applyAccesses
 */
export const runDriver = (program: DriverProgram, options: RunDriverOptions): Observable<AccessResult> => driverStream(program, options, true);

/**
 * {@link runDriver}, with the results emitted or not. Without them (a system's
 * guests, which record their accesses through the bus), an access goes to the
 * device directly: no result object and no refusal capture per access.
 * @param emitResults - whether the stream emits each access's result
 * @internal
 */
export const driverStream = (program: DriverProgram, options: RunDriverOptions, emitResults: boolean): Observable<AccessResult> => {
  checkFunction(program, 'runDriver(program)');
  if (typeof options !== 'object' || options === null) {
    throw new OperatorArgumentError(options, 'must be an object { device, scheduler, sink?, maxCommandsPerInstant? }', 'runDriver(options)');
  }
  const { device, scheduler, sink, onWait } = options;
  checkDevice(device, 'runDriver(options.device)');
  checkScheduler(scheduler, 'runDriver(options.scheduler)');
  checkSink(sink, 'runDriver(options.sink)');
  const limit = options.maxCommandsPerInstant ?? DEFAULT_MAX_COMMANDS_PER_INSTANT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new OperatorArgumentError(limit, 'must be a positive integer', 'runDriver(options.maxCommandsPerInstant)');
  }
  return new Observable<AccessResult>((subscriber) => {
    // Accesses are performed through an AccessPort, as applyAccesses performs them (same results
    // and trace events), called directly: no Subject and operator chain per access.
    const port = emitResults || sink !== undefined ? new AccessPort(device) : undefined;
    if (port !== undefined) subscriber.add(() => port.close());

    let iterator: Iterator<DriverCommand, unknown, DriverInput>;
    try {
      iterator = program();
    } catch (error) {
      subscriber.error(error);
      return;
    }
    if (typeof iterator !== 'object' || iterator === null || typeof iterator.next !== 'function') {
      subscriber.error(
        new OperatorArgumentError(iterator, 'must return an iterator (write the driver as a generator function)', 'runDriver(program)()'),
      );
      return;
    }
    const driver = iterator;
    // Its `next` taken once, as a for-of loop takes it: drivers of many classes share this loop, so looking it up
    // on the driver at each command was a lookup among all their shapes.
    const advance = driver.next;
    /** Its commands were checked when its program was built: only a wait-until's time is checked at a yield. */
    const prechecked = PrecheckedIterator.is(driver);
    /** The generator returned, threw, or was closed: never touch it again. */
    let ended = false;
    /** The generator is executing (it cannot be closed from inside itself). */
    let running = false;
    const close = (): void => {
      if (ended || running) return;
      ended = true;
      driver.return?.();
    };
    subscriber.add(close);

    let instant = Number.NaN;
    let commands = 0;
    /** The first wait-for-irq is taken as woken (see `resumeWoken`). */
    let resumeWoken = options.resumeWoken === true;

    // The first change to the level wanted schedules one wake-up step (not observeOn, which
    // would also schedule a step for the completion: two same-instant steps for one guest).
    // Through the line's `watch` (a listener, no Observable per wait: a tick handler waits once
    // per tick); the driver only sleeps when the line is not at `level`, so it needs no replay.
    // One finalizer on the subscriber, for its whole life, stops the watch in progress.
    // One listener for the driver's whole life (not a closure per wait): it acts only for the
    // watch in progress (`sleeping`), and only once per wait.
    let unwatch: (() => void) | undefined;
    /** The signal followed with `listen` (one with `unwatch(listener)`: no function made per wait), until the wake. */
    let listened: IrqSignal | undefined;
    let watching = false;
    let sleeping = false;
    let wanted = false;
    // The watch ends in the woken step, not here: stopping it inside the line's emission would make the line
    // copy its listener list (it walks the one it started with). Until then the listener ignores the line
    // (`sleeping` is off), and the listeners' order is the same either way (a removal keeps the others' order).
    const onLevel = (l: boolean): void => {
      if (!sleeping || l !== wanted) return;
      sleeping = false;
      onWait?.('woken');
      sleepFor(0);
    };
    const sleepUntil = (signal: IrqSignal, level: boolean): void => {
      if (!watching) {
        watching = true;
        subscriber.add(() => {
          unwatch?.();
          listened?.unwatch!(onLevel);
        });
      }
      wanted = level;
      sleeping = true;
      try {
        if (signal.listen !== undefined && signal.unwatch !== undefined) {
          signal.listen(onLevel);
          listened = signal;
        } else unwatch = signal.watch(onLevel);
      } catch (error) {
        sleeping = false;
        subscriber.error(error);
      }
    };

    // A timed wait is one scheduled action. On a VirtualClock (a system's guests) the action
    // that ran the last wake-up is re-armed for the next (its documented re-arm, no allocation),
    // so a long-running driver holds one action for its whole life; on another scheduler each
    // wait schedules anew and the action is released once it has run.
    let pending: Subscription | undefined;
    let rearm: VirtualAction<unknown> | undefined;
    function wake(this: SchedulerAction<unknown>): void {
      if (this instanceof VirtualAction) {
        // Kept (held by the subscriber until it ends) to be re-armed by the next wait.
        rearm = this;
        pending = undefined;
      } else {
        fired = true;
        if (pending !== undefined) {
          const done = pending;
          pending = undefined;
          done.unsubscribe(); // also removes it from the subscriber
        }
      }
      resume(undefined);
    }
    let fired = false;
    const sleepFor = (delay: number): void => {
      const action = rearm;
      if (action !== undefined && !action.closed) {
        rearm = undefined;
        pending = action.schedule(undefined, delay);
        return;
      }
      fired = false;
      const scheduled = scheduler.schedule(wake, delay);
      if (scheduled instanceof VirtualAction) {
        subscriber.add(scheduled);
        return;
      }
      if (!fired) {
        pending = scheduled;
        subscriber.add(scheduled);
      }
    };

    const resume = (input: DriverInput): void => {
      const stop = unwatch;
      if (stop !== undefined) {
        unwatch = undefined;
        stop();
      }
      const followed = listened;
      if (followed !== undefined) {
        listened = undefined;
        followed.unwatch!(onLevel);
      }
      let next = input;
      // One instant for the whole step: the driver's commands run synchronously, and nothing they do moves the clock.
      const now = scheduler.now();
      if (now !== instant) {
        instant = now;
        commands = 0;
      }
      for (;;) {
        if (subscriber.closed) {
          close();
          return;
        }
        let step: IteratorResult<DriverCommand, unknown>;
        running = true;
        try {
          step = advance.call(driver, next);
        } catch (error) {
          ended = true;
          running = false;
          subscriber.error(error);
          return;
        }
        running = false;
        if (step.done === true) {
          ended = true;
          subscriber.complete();
          return;
        }
        // Unsubscribed by the driver's own code while it ran: close it now.
        if (subscriber.closed) {
          close();
          return;
        }
        if (++commands > limit) {
          subscriber.error(new DriverRunawayError(now, limit));
          return;
        }
        let command = step.value;
        if (!prechecked) {
          try {
            command = checkCommand(command, now);
          } catch (error) {
            subscriber.error(error);
            return;
          }
        }
        // The kind read once: commands come in several shapes, so each read of it is a lookup.
        const kind = command.kind;
        switch (kind) {
          case 'read':
          case 'write': {
            if (port === undefined) {
              try {
                if (kind === 'read') next = device.read(command.offset, command.size);
                else {
                  device.write(command.offset, command.size, (command as GuestWrite).value);
                  next = undefined;
                }
              } catch (error) {
                subscriber.error(error);
                return;
              }
              break;
            }
            let result: AccessResult;
            try {
              result = port.perform(command.kind, command.offset, command.size, command.kind === 'write' ? command.value : 0, now, sink);
            } catch (error) {
              subscriber.error(error);
              return;
            }
            if (emitResults) subscriber.next(result);
            next = command.kind === 'read' ? result.value : undefined;
            break;
          }
          case 'wait':
            onWait?.('time');
            sleepFor(command.ns);
            return;
          case 'wait-until':
            // A prechecked program sets its wait-until's time in place: the one thing checked at its yield
            // (checkCommand, for its error, only when it is not a whole ns from now on).
            if (prechecked && !(Number.isSafeInteger(command.time) && command.time >= now)) {
              try {
                checkCommand(command, now);
              } catch (error) {
                subscriber.error(error);
                return;
              }
            }
            onWait?.('time');
            sleepFor(command.time - now);
            return;
          case 'wait-for-irq': {
            const { signal, level } = command;
            if (resumeWoken) {
              resumeWoken = false;
              onWait?.('woken');
              sleepFor(0);
              return;
            }
            if (signal.level === level) {
              next = undefined;
              break;
            }
            // A step of its own at the instant of the change (see waitForIrq).
            onWait?.('level');
            sleepUntil(signal, level);
            return;
          }
        }
      }
    };

    resume(undefined);
  });
};
