import type { AccessEvent, TraceEvent } from '../trace/TraceEvent';
import type { TraceSink } from '../trace/TraceSink';
import type { Device } from './Device';
import type { AccessResult, AccessSize, GuestErrorReason } from './GuestAccess';

/**
 * A device as its guest reaches it: the one place a guest access is
 * performed and its refusal reported. {@link AccessPort.perform} runs one
 * load or store on the device and returns what the guest saw, with the
 * reason of the first `guest-error` event the device emitted *during* that
 * access (a device never throws at a bad access: it reports it on `events$`,
 * reads 0 and changes nothing); with a sink, it also records the access as an
 * `AccessEvent` (source: the device's name), after the events the device
 * raised while handling it. `applyAccesses` and a system's bus both go
 * through it.
 *
 * The port listens to the device (through `traceTo` when it has it, else
 * `device.events$`) from its creation until
 * {@link AccessPort.close}. An access that leads, synchronously, to another
 * access on the same device (an interrupt handler on one of its lines) gets
 * its own refusal; the outer one keeps its own.
 *
 * Ordering: relies on G1 (a device reports a refusal synchronously, inside
 * the access); preserves G4: the access event follows the events the access
 * caused.
 *
 * ## Example
 * ```ts
 * const port = new AccessPort(timer);
 * port.perform('write', 0x004, 4, 1, clock.now(), trace);
 * // { time, device: 'timer0', kind: 'write', offset: 4, size: 4, value: 1, error: 'read-only' }
 * port.close();
 * ```
 */
export class AccessPort {
  private readonly stop: () => void;
  private closed = false;
  /** Whether an access is under way (only then is a refusal attributed). */
  private capturing = false;
  /** The first refusal of the access under way. */
  private captured: GuestErrorReason | undefined;

  /**
   * Opens a port on `device`: starts listening for its refusals.
   * @param device - the device the guest accesses
   */
  constructor(readonly device: Device) {
    const listen = (event: TraceEvent): void => {
      if (this.capturing && this.captured === undefined && event.kind === 'guest-error') this.captured = event.reason;
    };
    // A device that takes sinks hands its events to a plain call: an rxjs observer would cost every event the
    // device emits (each expiry) a subscriber chain, for the rare refusal (#19).
    if (device.traceTo !== undefined) this.stop = device.traceTo({ record: listen });
    else {
      const subscription = device.events$.subscribe(listen);
      this.stop = () => subscription.unsubscribe();
    }
  }

  /**
   * Performs one guest access on the device.
   * @param kind - a load or a store
   * @param offset - byte offset in the device's region
   * @param size - bytes
   * @param value - the value stored (ignored for a load)
   * @param time - virtual time of the access, for the result and the event
   * @param sink - optional: receives the `AccessEvent`
   * @returns what the guest saw: the value read (or written) and the refusal, if any
   * @throws whatever the device (or the sink) throws: a caller's bug, never a guest's
   */
  perform(kind: 'read' | 'write', offset: number, size: AccessSize, value: number, time: number, sink?: TraceSink): AccessResult {
    const seen = this.access(kind, offset, size, value, time, sink);
    const error = this.refusal;
    return error === undefined
      ? { time, device: this.device.name, kind, offset, size, value: seen }
      : { time, device: this.device.name, kind, offset, size, value: seen, error };
  }

  /**
   * {@link AccessPort.perform} for a caller that needs only the value the
   * guest saw (a system's bus, on every guest access): the same access and
   * event, without the result object.
   * @returns the value read (or written); 0 for a refused access
   */
  performValue(kind: 'read' | 'write', offset: number, size: AccessSize, value: number, time: number, sink?: TraceSink): number {
    return this.access(kind, offset, size, value, time, sink);
  }

  /** The refusal of the last access performed (read right after it). */
  private refusal: GuestErrorReason | undefined;

  private access(kind: 'read' | 'write', offset: number, size: AccessSize, value: number, time: number, sink: TraceSink | undefined): number {
    const { device } = this;
    // Two fields rather than an object per access (bench/accesses.ts: this runs once per guest
    // access); a nested access saves them in its frame and restores them after.
    const outerCapturing = this.capturing;
    const outerCaptured = this.captured;
    this.capturing = true;
    this.captured = undefined;
    let seen = value;
    let error: GuestErrorReason | undefined;
    try {
      if (kind === 'read') seen = device.read(offset, size);
      else device.write(offset, size, value);
      error = this.captured;
    } finally {
      this.capturing = outerCapturing;
      this.captured = outerCaptured;
    }
    if (sink !== undefined) {
      // Given as fields where the sink takes them: no event object per access.
      if (sink.recordAccess !== undefined) sink.recordAccess(time, device.name, kind, offset, size, seen, error);
      else {
        const event: AccessEvent =
          error === undefined
            ? { time, source: device.name, kind, offset, size, value: seen }
            : { time, source: device.name, kind, offset, size, value: seen, error };
        sink.record(event);
      }
    }
    this.refusal = error;
    return seen;
  }

  /** Stops listening to the device (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
  }
}
