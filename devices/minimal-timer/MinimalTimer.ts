/**
 * Minimal timer: the smallest device that shows the LP #1777777 race, built only from the
 * framework; registers in the map below, IRQ line = INTSTATUS.IRQ && CTRL.IRQEN. LEGACY_POLICY
 * on purpose: QEMU's SP804, the device of the race, uses it. `delivery: 'bottom-half'` shows the race.
 */
import { type Observable, type SchedulerLike } from 'rxjs';
import { deliverTriggers, type TriggerDelivery } from '../../operators/deliverTriggers';
import {
  bit,
  defineRegisterMap,
  RegisterBank,
  reg32,
  registerInfoOf,
  type AccessSize,
  type Device,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterInfo,
} from '../../src/bus';
import { IrqLine } from '../../src/irq/IrqLine';
import { LEGACY_POLICY, PTimer } from '../../src/ptimer';
import type { TraceEvent } from '../../src/trace';

/** The register map: LOAD restarts the count from the value written; EN runs the timer periodic. */
export const MINIMAL_TIMER_REGISTERS = defineRegisterMap({
  /** Limit (reload) value: a write sets the limit and restarts the count from it. */
  LOAD: reg32(0x0),
  /** The counter (read-only; read hook: the timer's count, nothing is stored). */
  VALUE: reg32(0x4, {}, { access: 'ro' }),
  /** Control register. */
  CTRL: reg32(0x8, {
    /** Timer enable: 1 runs the timer periodic, 0 stops it. */
    EN: bit(0),
    /** Interrupt enable: the IRQ line is INTSTATUS.IRQ && IRQEN. */
    IRQEN: bit(1),
  }),
  /** Interrupt status register. */
  INTSTATUS: reg32(0xc, {
    /** Expiry flag: set at each expiry; write 1 to clear. */
    IRQ: bit(0, 'w1c'),
  }),
});

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(MINIMAL_TIMER_REGISTERS);

/** The minimal timer device (see the module header). */
export class MinimalTimer implements Device {
  readonly name: string;
  /** The interrupt output: high while INTSTATUS.IRQ and CTRL.IRQEN are both set. */
  readonly irq: IrqLine;
  /** The ptimer behind the counter (period `options.periodNs`, `LEGACY_POLICY`). */
  readonly timer: PTimer;
  readonly events$: Observable<TraceEvent>;
  private readonly bank;

  /**
   * Creates a stopped minimal timer on `scheduler`, with its registers at their reset values.
   * @param options - tick period in ns; `delivery` of triggers, default `sync` (at the expiry instant, G1)
   */
  constructor(scheduler: SchedulerLike, options: { name?: string; periodNs: number; delivery?: TriggerDelivery }) {
    this.name = options.name ?? 'minimal-timer';
    this.timer = new PTimer(scheduler, { name: `${this.name}.timer`, policy: LEGACY_POLICY });
    // triggers$ emits inside the expiry step, so a sync subscription is as synchronous as onTrigger.
    this.timer.triggers$.pipe(deliverTriggers(options.delivery ?? 'sync', scheduler)).subscribe(() => this.onExpiry());
    this.timer.transaction((t) => t.setPeriod(options.periodNs));
    this.irq = new IrqLine(this.name);
    this.bank = new RegisterBank(MINIMAL_TIMER_REGISTERS, {
      name: this.name,
      scheduler,
      hooks: {
        LOAD: { write: (v) => this.timer.transaction((t) => t.setLimit(v, true)) },
        VALUE: { read: () => Number(this.timer.getCount()) },
        CTRL: { fields: { EN: { change: (en) => this.timer.transaction((t) => (en ? t.run(false) : t.stop())) } } },
      },
    });
    this.events$ = this.bank.events$;
    this.lines = Object.freeze({ irq: this.irq });
    // VALUE's read hook is the count itself: reading it has no side effect.
    this.probes = Object.freeze([Object.freeze({ name: 'value', width: 32, read: () => this.timer.getCount() })]);
  }

  read(offset: number, size: AccessSize): number {
    return this.bank.read(offset, size);
  }

  write(offset: number, size: AccessSize, value: number): void {
    this.bank.write(offset, size, value);
    this.updateIrq();
  }

  reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(0, true);
    });
    this.bank.reset();
    this.updateIrq();
  }

  snapshot(): DeviceSnapshot {
    return { device: this.name, version: 1, registers: this.bank.snapshot(), timer: this.timer.snapshot() };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as { registers?: unknown; timer?: unknown } | null;
    this.bank.restore(s?.registers);
    this.timer.restoreState(s?.timer);
    this.updateIrq();
  }

  /** The output line by local name: `irq` is {@link MinimalTimer.irq}. */
  readonly lines: Readonly<{
    /** The interrupt output, {@link MinimalTimer.irq}. */
    irq: IrqLine;
  }>;
  /** `value`: what a guest read of VALUE returns now (the count), read without an access. */
  readonly probes: readonly DeviceProbe[];
  /** The registers of {@link MINIMAL_TIMER_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  private onExpiry(): void {
    this.bank.setField('INTSTATUS', 'IRQ', 1);
    this.updateIrq();
  }

  private updateIrq(): void {
    this.irq.set(this.bank.field('INTSTATUS', 'IRQ') === 1 && this.bank.field('CTRL', 'IRQEN') === 1);
  }
}
