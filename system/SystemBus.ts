import { Subject, type Observable } from 'rxjs';
import { AccessPort } from '../src/bus/AccessPort';
import type { Device } from '../src/bus/Device';
import type { AccessSize } from '../src/bus/GuestAccess';
import type { GuestErrorEvent, TraceEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import { AddressMap } from './AddressMap';

/** A device's place on a system bus. */
export interface BusRegion {
  /** The device mapped there. */
  readonly device: Device;
  /** First byte address. */
  readonly base: number;
  /** Bytes the region spans. */
  readonly size: number;
}

/** Source name of the bus's own events (accesses to no device). */
export const BUS_SOURCE = 'bus';

/**
 * The guest's view of a system: absolute addresses routed to devices. It is a
 * `Device` itself, so `runDriver` programs run on it unchanged. Each access is
 * traced once, under the device's name and offset (not the bus's), after the
 * events the device raised while handling it (each device through its
 * {@link AccessPort}); an address no device claims is a `bus` guest error
 * (`unmapped`) that reads 0.
 */
export class SystemBus implements Device {
  /** Always `bus`. */
  readonly name = BUS_SOURCE;
  /** The bus's own guest errors (accesses to no device). */
  readonly events$: Observable<TraceEvent>;
  private readonly mapped = new AddressMap<BusRegion>();
  /** Each mapped device's port: where its accesses are performed and its refusals reported. */
  private readonly ports = new Map<Device, AccessPort>();
  private readonly errors = new Subject<TraceEvent>();

  /**
   * Creates an empty bus; devices are added with {@link SystemBus.map}.
   * @param now - virtual time for the trace
   * @param sink - receives one `AccessEvent` per access
   * @param onAccess - sees each access before it is performed (recording)
   */
  constructor(
    private readonly now: () => number,
    private readonly sink: TraceSink,
    private readonly onAccess: (kind: 'read' | 'write', address: number, size: AccessSize, value: number) => void,
  ) {
    this.events$ = this.errors.asObservable();
  }

  /** Maps a device; the caller has checked the range is free. */
  map(region: BusRegion): void {
    this.mapped.insert(region);
    this.ports.set(region.device, new AccessPort(region.device));
  }

  /** The region holding `address`, if any. */
  regionAt(address: number): BusRegion | undefined {
    return this.mapped.at(address);
  }

  /** The regions in address order. */
  get regions(): readonly BusRegion[] {
    return this.mapped.all;
  }

  /** A region that `size` bytes from `base` would overlap, if any. */
  overlapping(base: number, size: number): BusRegion | undefined {
    return this.mapped.overlapping(base, size);
  }

  read(address: number, size: AccessSize): number {
    this.onAccess('read', address, size, 0);
    return this.access('read', address, size, 0);
  }

  write(address: number, size: AccessSize, value: number): void {
    this.onAccess('write', address, size, value);
    this.access('write', address, size, value);
  }

  /** The bus holds no state of its own. */
  reset(): void {}

  snapshot(): {
    /** Always `bus`. */
    device: string;
    /** Snapshot format version (always 1; the bus has no state to save). */
    version: number;
  } {
    return { device: BUS_SOURCE, version: 1 };
  }

  restore(): void {}

  /** Stops listening to the mapped devices and completes `events$` (the system is disposed; the regions stay readable). */
  dispose(): void {
    for (const port of this.ports.values()) port.close();
    this.errors.complete();
  }

  private access(kind: 'read' | 'write', address: number, size: AccessSize, written: number): number {
    const region = this.regionAt(address);
    const time = this.now();
    if (region === undefined) {
      const error: GuestErrorEvent = {
        time,
        source: BUS_SOURCE,
        kind: 'guest-error',
        offset: address,
        size,
        reason: 'unmapped',
        detail: `no device at 0x${address.toString(16)}`,
      };
      this.sink.record(error);
      this.errors.next(error);
      this.sink.record({ time, source: BUS_SOURCE, kind, offset: address, size, value: 0, error: 'unmapped' });
      return 0;
    }
    return this.ports.get(region.device)!.perform(kind, address - region.base, size, written, time, this.sink).value;
  }
}
