/**
 * How a device receives its timers' triggers: `sync`, in the timer's expiry
 * step (the fixed design, G1), or `bottom-half`, a later step of its own
 * (the legacy design, kept only so tests can show the LP #1777777 race).
 */
export type TriggerDelivery = 'sync' | 'bottom-half';

/** Every {@link TriggerDelivery}. */
export const TRIGGER_DELIVERIES: readonly TriggerDelivery[] = Object.freeze(['sync', 'bottom-half']);
