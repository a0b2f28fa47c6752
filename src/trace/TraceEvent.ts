import type { AccessSize } from '../shared/AccessSize';
import type { GuestErrorReason } from '../shared/GuestErrorReason';

/** Fields every trace event has. */
interface TraceBase {
  /** Virtual time (ns). */
  readonly time: number;
  /** The device, timer or line the event belongs to (its name). */
  readonly source: string;
}

/** A guest access and what it returned (`value` is the value read or written). */
export interface AccessEvent extends TraceBase {
  /** Discriminant: a guest load or store. */
  readonly kind: 'read' | 'write';
  /** Byte offset of the access in the device's region. */
  readonly offset: number;
  /** Width of the access in bytes. */
  readonly size: AccessSize;
  /** The value read, or the value written. */
  readonly value: number;
  /** Present when the device refused the access (then it read 0 and changed nothing). */
  readonly error?: GuestErrorReason;
}

/** A refused guest access: unmapped, wrong size, misaligned, read-only, write-only or locked. */
export interface GuestErrorEvent extends TraceBase {
  /** Discriminant. */
  readonly kind: 'guest-error';
  /** Byte offset of the refused access. */
  readonly offset: number;
  /** Width of the refused access in bytes. */
  readonly size: AccessSize;
  /** Why the device refused it. */
  readonly reason: GuestErrorReason;
  /** Human-readable detail, e.g. the register's name. */
  readonly detail: string;
}

/** The guest used a feature the model does not implement (the access is otherwise ignored). */
export interface UnimplementedEvent extends TraceBase {
  /** Discriminant. */
  readonly kind: 'unimplemented';
  /** Byte offset of the access that used the feature. */
  readonly offset: number;
  /** What is missing, e.g. `CTRL.SELEXTEN`. */
  readonly feature: string;
}

/** A timer reached zero (or a committed change made it trigger): the device callback ran. */
export interface ExpiryEvent extends TraceBase {
  /** Discriminant. */
  readonly kind: 'expiry';
  /** The timer's name. */
  readonly timer: string;
  /** Whether the deadline passed (`expiry`) or a committed change caused the trigger (`commit`). */
  readonly cause: 'expiry' | 'commit';
}

/** A trigger reached the device: at once (`sync`) or later, through a legacy bottom half. */
export interface TriggerEvent extends TraceBase {
  /** Discriminant. */
  readonly kind: 'trigger';
  /** The timer's name. */
  readonly timer: string;
  /** How the trigger reached the device: at the expiry instant (`sync`) or deferred (`bottom-half`). */
  readonly delivery: 'sync' | 'bottom-half';
}

/** An interrupt line changed level. */
export interface IrqEvent extends TraceBase {
  /** Discriminant. */
  readonly kind: 'irq';
  /** The line's new level (`true` = raised). */
  readonly level: boolean;
}

/** A labelled value from a stream (see the `traceAs` operator), or a user's marker. */
export interface MarkEvent extends TraceBase {
  /** Discriminant. */
  readonly kind: 'mark';
  /** The marker's or the stream's label. */
  readonly label: string;
  /** JSON-safe payload (bigints as decimal strings). */
  readonly data?: unknown;
}

/** An invariant check failed (see the `assertInvariant` operator). */
export interface ViolationEvent extends TraceBase {
  /** Discriminant. */
  readonly kind: 'violation';
  /** A readable account of what broke (from `assertInvariant`: the invariant's name, the instant and the values). */
  readonly message: string;
}

/**
 * Everything a simulation can record. Events are plain, JSON-safe data; the
 * discriminant is `kind`, and {@link traceEventName} gives the
 * `<source>.<kind>` name used in exports (`cmsdk-apb-timer.read`, `irq0.irq`).
 */
export type TraceEvent =
  | AccessEvent
  | GuestErrorEvent
  | UnimplementedEvent
  | ExpiryEvent
  | TriggerEvent
  | IrqEvent
  | MarkEvent
  | ViolationEvent;

/** The event's `<source>.<kind>` name. */
export const traceEventName = (event: TraceEvent): string => `${event.source}.${event.kind}`;
