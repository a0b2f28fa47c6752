import type { SchedulerLike, Subscription } from 'rxjs';
import { BottomHalf, type BottomHalfPayload } from '../../clock/BottomHalf';
import { isTaggedScheduler, type TaggedScheduler } from '../../clock/scheduleTagged';
import { PTimerCallbackError } from '../../ptimer/errors';
import { PTimer, type PTimerTrigger } from '../../ptimer/PTimer';
import type { PTimerPolicy } from '../../ptimer/PTimerPolicy';
import type { PTimerTiming } from '../../ptimer/PTimerSnapshot';
import type { TraceSink } from '../../trace/TraceSink';
import type { TriggerDelivery } from './TriggerDelivery';

/** Options of {@link deviceTimer}. */
export interface DeviceTimerOptions {
  /** The device's name: the `source` of the timer's `expiry` events. */
  readonly device: string;
  /** The timer's name, `<device>.<timer>` by convention (explorers find the device by it). */
  readonly name: string;
  /** The timer's policy flags (each device states its set, with a reason per flag). */
  readonly policy: readonly PTimerPolicy[];
  /** Delivery of its triggers: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** QEMU's periodic rate clamp (default off; QEMU timing only). */
  readonly rateClamp?: boolean;
  /**
   * How the timer keeps time (see `PTimerOptions.timing`). Default `'exact'`, unlike a bare
   * PTimer's: a device models hardware, whose k-th tick of a 24 MHz clock is at k·41⅔ ns,
   * not up to k ns early; `'qemu'` reproduces QEMU's rounding, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
  /**
   * The device's handler: runs in the timer's expiry step under `sync` (in
   * its callback context, where it and anything it calls may program the
   * timer, G3), in the bottom half under `bottom-half`.
   */
  readonly onExpiry: (trigger: PTimerTrigger) => void;
  /** Where the timer's `expiry` trace event goes (the device's {@link EventOutlet}); it is recorded just before `onExpiry` runs. */
  readonly events: TraceSink;
  /** The device's lifetime: disposing it disposes the timer and cancels a pending bottom half. */
  readonly lifetime: Subscription;
}

/**
 * A device's timer with its expiries wired the one way every device needs
 * (a device kit piece): one synchronous path from the timer to the
 * device, so that
 * - an error thrown on the expiry path (the device's handler, a listener of
 *   its interrupt line, a trace sink) surfaces from the clock call that ran
 *   the expiry as a `PTimerCallbackError`, with the timer consistent and no
 *   trigger lost or doubled (G5); under `bottom-half` it surfaces from the
 *   clock call that ran the bottom half, wrapped the same way;
 * - each delivery records one `expiry` trace event (`source` the device,
 *   `timer` the timer's name, `cause`) before the handler runs;
 * - observers on a {@link VirtualClock} hear each trigger's emission and
 *   delivery (trigger notes, see `ClockObserver.trigger`), and a pending
 *   bottom half is `bottom-half` work owned by the timer.
 *
 * Ordering: `sync` preserves G1 (the handler runs in the expiry step) and
 * G3 (in the callback context); `bottom-half` breaks G1 on purpose: one
 * delivery per pending period, of the latest trigger, after the work already
 * queued for the instant.
 *
 * ## Example
 * ```ts
 * this.timer = deviceTimer(scheduler, {
 *   device: this.name, name: `${this.name}.counter`, policy: POLICY, delivery: options.delivery,
 *   onExpiry: (t) => this.onExpiry(t), events: this.outlet, lifetime: this.lifetime,
 * });
 * ```
 * @param scheduler - virtual time (1 unit = 1 ns)
 * @param options - names, policy, delivery, timing, handler, event sink, lifetime
 * @returns the timer
 */
export const deviceTimer = (scheduler: SchedulerLike, options: DeviceTimerOptions): PTimer => wired(scheduler, options, wiringFor(scheduler, options));

/** Options of {@link channelTimer}: as {@link DeviceTimerOptions}, with a shared handler given the device and channel. */
export interface ChannelTimerOptions<D> extends Omit<DeviceTimerOptions, 'onExpiry'> {
  /** The device, given to `onExpiry`. */
  readonly owner: D;
  /** The timer's channel in the device, given to `onExpiry`. */
  readonly channel: number;
  /** The device's handler, one function for every timer of the class (as `DeviceTimerOptions.onExpiry`). */
  readonly onExpiry: (owner: D, channel: number, trigger: PTimerTrigger) => void;
}

/**
 * As {@link deviceTimer}, for a handler shared by every timer of a device class
 * (a static function) that is given the device and the timer's channel: no
 * closure per timer, about 100 bytes fewer each (#19).
 *
 * Ordering: as {@link deviceTimer}.
 *
 * ## Example
 * ```ts
 * this.timers = [0, 1].map((channel) => channelTimer(scheduler, {
 *   device: this.name, name: `${this.name}.timer${channel}`, policy: POLICY, delivery: options.delivery,
 *   owner: this, channel, onExpiry: MyTimer.expired, events: this.outlet, lifetime: this.lifetime,
 * }));
 * ```
 * @param scheduler - virtual time (1 unit = 1 ns)
 * @param options - names, policy, delivery, timing, device, channel, handler, event sink, lifetime
 * @returns the timer
 */
export const channelTimer = <D>(scheduler: SchedulerLike, options: ChannelTimerOptions<D>): PTimer => {
  const wiring = wiringFor(scheduler, options as unknown as DeviceTimerOptions);
  wiring.owner = options.owner;
  wiring.channel = options.channel;
  return wired(scheduler, options, wiring);
};

/** Options of {@link channelTimers}: as {@link ChannelTimerOptions}, for every channel of a device at once. */
export interface ChannelTimersOptions<D> extends Omit<ChannelTimerOptions<D>, 'name' | 'channel'> {
  /** Each timer's name, `<device>.<timer>` by convention: timer `i` is channel `i`. */
  readonly names: readonly string[];
}

/**
 * As {@link channelTimer} for channels `0` to `names.length - 1` of a device,
 * made at once so that under `sync` delivery they share one wiring: the
 * timers cost nothing beyond themselves (about 140 bytes fewer each than
 * {@link channelTimer}, #19), and the handler finds the channel from the
 * trigger's timer. Under `bottom-half` each timer has its own wiring, as
 * with {@link channelTimer}.
 *
 * Ordering: as {@link deviceTimer}.
 *
 * ## Example
 * ```ts
 * this.timers = channelTimers(scheduler, {
 *   device: this.name, names: [this.name + '.timer0', this.name + '.timer1'], policy: POLICY, delivery: options.delivery,
 *   owner: this, onExpiry: MyTimer.expired, events: this.outlet, lifetime: this.lifetime,
 * });
 * ```
 * @param scheduler - virtual time (1 unit = 1 ns)
 * @param options - names, policy, delivery, timing, device, handler, event sink, lifetime
 * @returns the timers, channel 0 first
 */
export const channelTimers = <D>(scheduler: SchedulerLike, options: ChannelTimersOptions<D>): PTimer[] => {
  const { names, ...common } = options;
  if ((options.delivery ?? 'sync') !== 'sync') return names.map((name, channel) => channelTimer(scheduler, { ...common, name, channel }));
  const wiring = new ChannelsWiring(scheduler, { ...common, name: '' } as unknown as DeviceTimerOptions);
  wiring.owner = options.owner;
  const onTrigger = wiring.emitSync.bind(wiring);
  const timers = names.map((name) => new PTimer(scheduler, timerOptions(options, name, onTrigger)));
  wiring.timers = timers;
  options.lifetime.add(wiring);
  return timers;
};

/** A device timer's PTimer options. */
const timerOptions = (options: Omit<DeviceTimerOptions, 'onExpiry' | 'name'>, name: string, onTrigger: (trigger: PTimerTrigger) => void) => ({
  name,
  policy: options.policy,
  rateClamp: options.rateClamp ?? false,
  timing: options.timing ?? 'exact',
  onTrigger,
});

/** The timer for a wiring, registered in the device's lifetime. */
const wired = (scheduler: SchedulerLike, options: Omit<DeviceTimerOptions, 'onExpiry'>, wiring: TimerWiring): PTimer => {
  const onTrigger = wiring instanceof DeferredWiring ? wiring.emitDeferred.bind(wiring) : wiring.emitSync.bind(wiring);
  const timer = new PTimer(scheduler, timerOptions(options, options.name, onTrigger));
  wiring.timer = timer;
  // The wiring is its own teardown (an object with `unsubscribe`): no closure per timer.
  options.lifetime.add(wiring);
  return timer;
};

/** A `deviceTimer`'s wiring: the handler takes the trigger only. */
const NO_OWNER: unique symbol = Symbol('no owner');

/**
 * The path from one timer to its device: methods on the prototype, so a
 * device's timers cost one small object each, not a set of closures (#19).
 */
class TimerWiring {
  constructor(scheduler: SchedulerLike, options: DeviceTimerOptions) {
    this.scheduler = scheduler;
    this.device = options.device;
    this.onExpiry = options.onExpiry;
    this.events = options.events;
    this.notes = isTaggedScheduler(scheduler) ? scheduler : undefined;
  }

  /** `sync`: delivered in the expiry step itself. */
  emitSync(trigger: PTimerTrigger): void {
    this.notes?.noteTrigger('emitted', trigger.timer.name);
    this.deliver(trigger);
  }

  unsubscribe(): void {
    this.timer?.dispose();
  }

  timer: PTimer | undefined = undefined;
  /** `channelTimer`'s device and channel, given to its shared handler. */
  owner: unknown = NO_OWNER;
  channel = 0;

  protected deliver(trigger: PTimerTrigger): void {
    const name = trigger.timer.name;
    try {
      this.events.record({ kind: 'expiry', time: this.scheduler.now(), source: this.device, timer: name, cause: trigger.cause });
      if (this.owner === NO_OWNER) this.onExpiry(trigger);
      else (this.onExpiry as unknown as (owner: unknown, channel: number, trigger: PTimerTrigger) => void)(this.owner, this.channelOf(trigger.timer), trigger);
    } finally {
      this.notes?.noteTrigger('delivered', name);
    }
  }

  /** The channel `timer` is, for the shared handler. */
  protected channelOf(_timer: PTimer): number {
    return this.channel;
  }

  protected readonly scheduler: SchedulerLike;
  protected readonly notes: TaggedScheduler | undefined;
  private readonly device: string;
  private readonly onExpiry: (trigger: PTimerTrigger) => void;
  private readonly events: TraceSink;
}

/** The `bottom-half` wiring: the fields only the legacy delivery needs, so a `sync` timer does not carry them (#19). */
class DeferredWiring extends TimerWiring implements BottomHalfPayload {
  constructor(scheduler: SchedulerLike, options: DeviceTimerOptions) {
    super(scheduler, options);
    // With itself as the payload: a fork of the system notes the trigger a pending bottom half delivers.
    this.bottomHalf = new BottomHalf(scheduler, options.name, () => this.runBottomHalf(), 0, this);
  }

  /** One pending delivery carries the latest trigger, as a QEMU bottom half reads the state when it runs. */
  emitDeferred(trigger: PTimerTrigger): void {
    this.notes?.noteTrigger('emitted', this.timer!.name);
    this.latest = trigger;
    this.bottomHalf.schedule();
  }

  override unsubscribe(): void {
    this.bottomHalf.dispose();
    super.unsubscribe();
  }

  savePayload(): unknown {
    return this.latest;
  }

  loadPayload(value: unknown): void {
    this.latest = value as PTimerTrigger | undefined;
  }

  private runBottomHalf(): void {
    const trigger = this.latest!;
    this.latest = undefined;
    try {
      this.deliver(trigger);
    } catch (error) {
      throw new PTimerCallbackError(this.timer!.name, this.scheduler.now(), [error]);
    }
  }

  private readonly bottomHalf: BottomHalf;
  private latest: PTimerTrigger | undefined = undefined;
}

/** `channelTimers`' one `sync` wiring for all of a device's timers: the channel is the timer's place among them. */
class ChannelsWiring extends TimerWiring {
  override unsubscribe(): void {
    for (const timer of this.timers) timer.dispose();
  }

  protected override channelOf(timer: PTimer): number {
    return this.timers.indexOf(timer);
  }

  timers: readonly PTimer[] = [];
}

/** The wiring `delivery` asks for. */
const wiringFor = (scheduler: SchedulerLike, options: DeviceTimerOptions): TimerWiring =>
  (options.delivery ?? 'sync') === 'sync' ? new TimerWiring(scheduler, options) : new DeferredWiring(scheduler, options);
