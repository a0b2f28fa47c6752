/**
 * A tiny device for the operator specs: a few 32-bit registers, an interrupt
 * line, and every kind of guest error, with no timer (tests drive time and
 * the line themselves). Not a model of any hardware.
 *
 * | offset | name    | access | behaviour                                              |
 * |--------|---------|--------|--------------------------------------------------------|
 * | 0x00   | DATA    | rw     | holds a value (reset 0)                                |
 * | 0x04   | IRQ     | rw     | bit 0 drives `irq`; reads the line's level as 0/1      |
 * | 0x08   | ID      | ro     | reads {@link FAKE_ID}; a write is a `read-only` error  |
 * | 0x0c   | CMD     | wo     | a write is logged; a read is a `write-only` error      |
 * | 0x10   | FEATURE | —      | any access reports `unimplemented` (not a guest error) |
 * | 0x14   | BROKEN  | —      | any access throws (a model bug, not a guest error)     |
 *
 * Accesses must be 4 bytes (`bad-size`) and 4-aligned (`misaligned`); other
 * offsets are `unmapped`. A refused access emits its `guest-error` event on
 * `events$` synchronously, reads 0 and changes nothing, as `Device` requires.
 */
import { Observable, Subject, type SchedulerLike } from 'rxjs';
import type { Device, DeviceSnapshot } from '../../src/bus/Device';
import type { AccessSize, GuestErrorReason } from '../../src/bus/GuestAccess';
import { IrqLine } from '../../src/irq/IrqLine';
import type { TraceEvent } from '../../src/trace/TraceEvent';

/** Register offsets of the fake device. */
export const FAKE = { DATA: 0x00, IRQ: 0x04, ID: 0x08, CMD: 0x0c, FEATURE: 0x10, BROKEN: 0x14 } as const;

/** What ID reads. */
export const FAKE_ID = 0xfa4e;

/** The fake device, with hooks for tests. */
export interface FakeDevice extends Device {
  /** The interrupt line (IRQ bit 0). */
  readonly irq: IrqLine;
  /** DATA's value; tests may set it directly (device-side work). */
  data: number;
  /** Every access that reached a register, as `'read DATA 5'` / `'write CMD 7'`, refused ones as `'refused read 0x40 (unmapped)'`. */
  readonly log: readonly string[];
  /** How many subscribers `events$` has now. */
  eventObservers(): number;
  /** Emits an arbitrary event on `events$` (as if the device did, outside any access). */
  emit(event: TraceEvent): void;
}

const NAMES: Record<number, string> = {
  [FAKE.DATA]: 'DATA',
  [FAKE.IRQ]: 'IRQ',
  [FAKE.ID]: 'ID',
  [FAKE.CMD]: 'CMD',
  [FAKE.FEATURE]: 'FEATURE',
  [FAKE.BROKEN]: 'BROKEN',
};

/**
 * Creates a fake device.
 * @param scheduler - virtual time in ns, for its events' time
 * @param name - device name (default `'fake'`)
 */
export const fakeDevice = (scheduler: SchedulerLike, name = 'fake'): FakeDevice => {
  const events = new Subject<TraceEvent>();
  let observers = 0;
  const events$ = new Observable<TraceEvent>((subscriber) => {
    observers++;
    const subscription = events.subscribe(subscriber);
    return () => {
      observers--;
      subscription.unsubscribe();
    };
  });
  const irq = new IrqLine(`${name}.irq`);
  const log: string[] = [];

  const refuse = (kind: 'read' | 'write', offset: number, size: AccessSize, reason: GuestErrorReason): void => {
    log.push(`refused ${kind} 0x${offset.toString(16)} (${reason})`);
    events.next({
      kind: 'guest-error',
      time: scheduler.now(),
      source: name,
      offset,
      size,
      reason,
      detail: NAMES[offset] ?? `offset 0x${offset.toString(16)}`,
    });
  };

  /** The register name, or undefined after reporting why the access is refused. */
  const decode = (kind: 'read' | 'write', offset: number, size: AccessSize): string | undefined => {
    if (offset % 4 !== 0) return void refuse(kind, offset, size, 'misaligned');
    const reg = NAMES[offset];
    if (reg === undefined) return void refuse(kind, offset, size, 'unmapped');
    if (size !== 4) return void refuse(kind, offset, size, 'bad-size');
    if (reg === 'BROKEN') throw new Error(`${name}: BROKEN register accessed (a model bug)`);
    if (reg === 'FEATURE') {
      log.push(`${kind} FEATURE (unimplemented)`);
      events.next({ kind: 'unimplemented', time: scheduler.now(), source: name, offset, feature: 'FEATURE' });
      return undefined;
    }
    return reg;
  };

  const device: FakeDevice = {
    name,
    irq,
    data: 0,
    log,
    read(offset: number, size: AccessSize): number {
      const reg = decode('read', offset, size);
      if (reg === undefined) return 0;
      if (reg === 'CMD') {
        refuse('read', offset, size, 'write-only');
        return 0;
      }
      const value = reg === 'DATA' ? device.data : reg === 'IRQ' ? (irq.level ? 1 : 0) : FAKE_ID;
      log.push(`read ${reg} ${value}`);
      return value;
    },
    write(offset: number, size: AccessSize, value: number): void {
      const reg = decode('write', offset, size);
      if (reg === undefined) return;
      if (reg === 'ID') {
        refuse('write', offset, size, 'read-only');
        return;
      }
      log.push(`write ${reg} ${value}`);
      if (reg === 'DATA') device.data = value;
      else if (reg === 'IRQ') irq.set((value & 1) === 1);
    },
    reset(): void {
      device.data = 0;
      irq.lower();
    },
    snapshot(): DeviceSnapshot {
      return { device: name, version: 1, data: device.data, irq: irq.level };
    },
    restore(snapshot: unknown): void {
      const s = snapshot as { device?: unknown; version?: unknown; data?: unknown; irq?: unknown } | null;
      if (typeof s !== 'object' || s === null || s.device !== name || s.version !== 1) {
        throw new TypeError(`${name}: not a version 1 snapshot of this device`);
      }
      if (typeof s.data !== 'number' || typeof s.irq !== 'boolean') throw new TypeError(`${name}: malformed snapshot`);
      device.data = s.data;
      irq.set(s.irq);
    },
    events$,
    eventObservers: () => observers,
    emit: (event) => events.next(event),
  };
  return device;
};
