/**
 * Minimal timer: the smallest device that shows the LP #1777777 race, built only from the
 * framework; registers in the map below, IRQ line = INTSTATUS.IRQ && CTRL.IRQEN. LEGACY_POLICY
 * on purpose: QEMU's SP804, the device of the race, uses it. `delivery: 'bottom-half'` shows the race.
 */
import { type Observable, type SchedulerLike } from 'rxjs';
import { deliverTriggers, type TriggerDelivery } from '../../operators/deliverTriggers';
import { bit, defineRegisterMap, RegisterBank, reg32, type AccessSize, type Device, type DeviceSnapshot } from '../../src/bus';
import { IrqLine } from '../../src/irq/IrqLine';
import { LEGACY_POLICY, PTimer } from '../../src/ptimer';
import type { TraceEvent } from '../../src/trace';

/** The register map: LOAD restarts the count from the value written; EN runs the timer periodic. */
export const MINIMAL_TIMER_REGISTERS = defineRegisterMap({
  LOAD: reg32(0x0),
  VALUE: reg32(0x4, {}, { access: 'ro' }), // the counter
  CTRL: reg32(0x8, { EN: bit(0), IRQEN: bit(1) }),
  INTSTATUS: reg32(0xc, { IRQ: bit(0, 'w1c') }), // set at each expiry
});

/** The minimal timer device (see the module header). */
export class MinimalTimer implements Device {
  readonly name: string;
  readonly irq: IrqLine;
  readonly timer: PTimer;
  readonly events$: Observable<TraceEvent>;
  private readonly bank;

  /** @param options - tick period in ns; `delivery` of triggers, default `sync` (at the expiry instant, G1) */
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

  private onExpiry(): void {
    this.bank.setField('INTSTATUS', 'IRQ', 1);
    this.updateIrq();
  }

  private updateIrq(): void {
    this.irq.set(this.bank.field('INTSTATUS', 'IRQ') === 1 && this.bank.field('CTRL', 'IRQEN') === 1);
  }
}
