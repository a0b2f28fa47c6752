import { Observable, type Subscriber } from 'rxjs';
import type { TraceEvent } from '../../trace/TraceEvent';
import type { TraceSink } from '../../trace/TraceSink';

/** Shared by every outlet with no sink or observer (most of them, most of the time). */
const NONE: readonly never[] = Object.freeze([]);

/**
 * Where a device's own events (guest errors, unimplemented features,
 * expiries) go: first to the sinks connected with
 * {@link EventOutlet.connect}, synchronously, so an error a sink throws
 * surfaces from the access or the clock step that emitted the event (G5);
 * then to the subscribers of `events$`, which are for observers (rxjs
 * reports their errors itself).
 *
 * A device kit piece: a device makes one, hands it to its register bank as
 * the bank's sink and to its timers' expiry wiring, and exposes
 * `events$` and `traceTo`.
 */
export class EventOutlet implements TraceSink {
  private sinks: readonly TraceSink[] = NONE;
  private observers: readonly Subscriber<TraceEvent>[] = NONE;
  private closed = false;
  private stream: Observable<TraceEvent> | undefined = undefined;

  /** The events, hot (no replay); completes when the outlet is closed. Made on first use: most devices are traced through `connect`. */
  get events$(): Observable<TraceEvent> {
    return (this.stream ??= new Observable<TraceEvent>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return undefined;
      }
      this.observers = [...this.observers, subscriber];
      return () => {
        this.observers = this.observers.filter((o) => o !== subscriber);
      };
    }));
  }

  record(event: TraceEvent): void {
    if (this.closed) return;
    const sinks = this.sinks;
    let failure: { error: unknown } | undefined;
    for (let i = 0; i < sinks.length; i++) {
      try {
        sinks[i]!.record(event);
      } catch (error) {
        failure ??= { error };
      }
    }
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.next(event);
    if (failure !== undefined) throw failure.error;
  }

  /**
   * Connects a synchronous sink (a system's trace): it receives every later event, in order.
   * @param sink - the sink
   * @returns a function that disconnects it (idempotent)
   */
  connect(sink: TraceSink): () => void {
    this.sinks = [...this.sinks, sink];
    return () => {
      this.sinks = this.sinks.filter((s) => s !== sink);
    };
  }

  /** Completes `events$` and drops the sinks (the device is disposed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sinks = NONE;
    const observers = this.observers;
    this.observers = NONE;
    for (const o of observers) o.complete();
  }
}
