import { Subject, type Observable } from 'rxjs';
import { AccessPort } from '../src/bus/AccessPort';
import type { Device, DeviceSnapshot } from '../src/bus/Device';
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

/** A region as the bus keeps it: with the port its accesses go through. */
interface MappedRegion {
  readonly base: number;
  readonly size: number;
  readonly region: BusRegion;
  readonly port: AccessPort;
  readonly device: Device;
  /** The device's name (its accesses' source), read once. */
  readonly name: string;
  /**
   * The device's `read` and `write`, taken once when it is mapped: the bus calls devices of
   * dozens of classes, and looking the method up on each at every access was a lookup among all
   * their shapes (#19).
   */
  readonly read: Device['read'];
  readonly write: Device['write'];
}

/**
 * A sink that may only count accesses (the system's recorder when it keeps
 * nothing of them): then the bus calls the device directly, without the port
 * that finds each access's refusal for the access event (#19: a fifteenth of
 * an untraced run went to describing accesses nobody saw).
 * @internal
 */
export interface AccessCounter {
  /** Whether accesses are only counted now (read at each access: a watcher may come later). */
  readonly countsAccessesOnly: boolean;
  /** Counts one access to `source` (a device) at `offset`, in place of recording it. */
  countAccess(source: string, kind: 'read' | 'write', offset: number): void;
}

/** The region an access last reached, where the next one most likely goes (see {@link BusView}). @internal */
export interface RecentRegion {
  last: MappedRegion | undefined;
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
  /** Each region with its device's port (where its accesses are performed and its refusals reported), found in one lookup. */
  private readonly mapped = new AddressMap<MappedRegion>();
  private readonly errors = new Subject<TraceEvent>();

  /**
   * Creates an empty bus; devices are added with {@link SystemBus.map}.
   * @param now - virtual time for the trace
   * @param sink - receives one `AccessEvent` per access (a system's recorder may only count them instead)
   * @param onAccess - sees each access before it is performed (recording)
   */
  constructor(
    private readonly now: () => number,
    sink: TraceSink,
    private readonly onAccess: (kind: 'read' | 'write', address: number, size: AccessSize, value: number) => void,
  ) {
    this.events$ = this.errors.asObservable();
    // The counting side is internal (the system's recorder has it): the published signature takes a plain sink.
    this.sink = sink;
  }

  private readonly sink: TraceSink & Partial<AccessCounter>;

  /** Maps a device; the caller has checked the range is free. */
  map(region: BusRegion): void {
    const { device } = region;
    this.mapped.insert({ base: region.base, size: region.size, region, port: new AccessPort(device), device, name: device.name, read: device.read, write: device.write });
  }

  /** The region holding `address`, if any. */
  regionAt(address: number): BusRegion | undefined {
    return this.mapped.at(address)?.region;
  }

  /** The regions in address order (a new array). */
  get regions(): readonly BusRegion[] {
    return this.mapped.all.map((m) => m.region);
  }

  /** A region that `size` bytes from `base` would overlap, if any. */
  overlapping(base: number, size: number): BusRegion | undefined {
    return this.mapped.overlapping(base, size)?.region;
  }

  read(address: number, size: AccessSize): number {
    return this.readVia(this.shared, address, size);
  }

  write(address: number, size: AccessSize, value: number): void {
    this.writeVia(this.shared, address, size, value);
  }

  /**
   * One guest's way onto the bus (see {@link BusView}): the same accesses, remembering the region
   * this guest reached last.
   * @internal
   */
  view(): Device {
    return new BusView(this);
  }

  /** {@link SystemBus.read}, with `recent` remembering the region reached. @internal */
  readVia(recent: RecentRegion, address: number, size: AccessSize): number {
    if (this.recordsInputs) this.onAccess('read', address, size, 0);
    return this.access(recent, 'read', address, size, 0);
  }

  /** {@link SystemBus.write}, with `recent` remembering the region reached. @internal */
  writeVia(recent: RecentRegion, address: number, size: AccessSize, value: number): void {
    if (this.recordsInputs) this.onAccess('write', address, size, value);
    this.access(recent, 'write', address, size, value);
  }

  /** What the bus's own accesses remember (those not made through a view). */
  private readonly shared: RecentRegion = { last: undefined };

  /**
   * Whether `onAccess` is called: off when the system records no inputs (its guest runner
   * says so), so that a guest access does not pay a call that would only return.
   * @internal
   */
  recordsInputs = true;

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
    for (const { port } of this.mapped.all) port.close();
    this.errors.complete();
  }

  private access(recent: RecentRegion, kind: 'read' | 'write', address: number, size: AccessSize, written: number): number {
    let mapped = recent.last;
    if (mapped === undefined || address < mapped.base || address >= mapped.base + mapped.size) {
      mapped = this.mapped.at(address);
      if (mapped !== undefined) recent.last = mapped;
    }
    if (mapped === undefined) {
      const time = this.now();
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
    const { sink } = this;
    if (sink.countsAccessesOnly === true) {
      let seen = written;
      if (kind === 'read') seen = mapped.read.call(mapped.device, address - mapped.base, size);
      else mapped.write.call(mapped.device, address - mapped.base, size, written);
      sink.countAccess!(mapped.name, kind, address - mapped.base);
      return seen;
    }
    return mapped.port.performValue(kind, address - mapped.base, size, written, this.now(), sink);
  }
}

/**
 * One guest's way onto a {@link SystemBus}: its accesses are the bus's, with
 * the region this guest reached last remembered here. A guest step's
 * accesses mostly go to one device, but guests take turns: a memory shared
 * by all of them missed at nearly every step and searched the map (#19).
 * @internal
 */
class BusView implements Device, RecentRegion {
  readonly name: string;
  readonly events$: Observable<TraceEvent>;
  last: MappedRegion | undefined = undefined;

  constructor(private readonly bus: SystemBus) {
    this.name = bus.name;
    this.events$ = bus.events$;
  }

  read(address: number, size: AccessSize): number {
    return this.bus.readVia(this, address, size);
  }

  write(address: number, size: AccessSize, value: number): void {
    this.bus.writeVia(this, address, size, value);
  }

  reset(): void {
    this.bus.reset();
  }

  snapshot(): DeviceSnapshot {
    return this.bus.snapshot();
  }

  restore(): void {
    this.bus.restore();
  }
}
