import type { PendingEvent } from '../src/clock/VirtualClock';
import { SystemSnapshotError } from './errors';
import { isGuestWork, type SystemSnapshot } from './SystemSnapshot';

/** `kind owner` of a piece of work's tag: what a restore matches work by, with its time. @internal */
export const tagKey = (e: Pick<PendingEvent, 'tag'>): string => `${e.tag.kind} ${e.tag.owner}`;

/** `time kind owner` of a piece of work. @internal */
export const eventKey = (e: Pick<PendingEvent, 'time' | 'tag'>): string => `${e.time} ${tagKey(e)}`;

/**
 * Checks that the device (non-guest) work pending after a restore re-created
 * the devices is exactly the snapshot's, compared by time and work tag. A
 * device timer whose restored state is due at another time than listed is
 * reported at `pending[i].time`, naming the device; listed work no device
 * re-created (a legacy bottom half, which is not device state) at
 * `pending[i]`; work a device queued that is not listed at `devices.<name>`.
 * @param now - the clock's pending events after the devices were restored
 * @param snapshot - the snapshot restored
 * @param createdBy - the device that queued the work of each tag (`kind owner`)
 * @throws SystemSnapshotError for the first mismatch, in the snapshot's order
 * @internal
 */
export const checkPendingWork = (now: readonly PendingEvent[], snapshot: SystemSnapshot, createdBy: ReadonlyMap<string, string>): void => {
  const left = new Map<string, PendingEvent[]>();
  for (const e of now) {
    if (isGuestWork(e.tag)) continue;
    const k = eventKey(e);
    left.set(k, [...(left.get(k) ?? []), e]);
  }
  const missing: number[] = [];
  snapshot.pending.forEach((e, i) => {
    if (isGuestWork(e.tag)) return;
    const same = left.get(eventKey(e));
    if (same === undefined || same.length === 0) missing.push(i);
    else same.pop();
  });
  const extra = [...left.values()].flat();
  const device = (e: Pick<PendingEvent, 'tag'>): string | undefined => createdBy.get(tagKey(e));
  const i = missing[0];
  if (i !== undefined) {
    const e = snapshot.pending[i]!;
    const moved = extra.find((x) => tagKey(x) === tagKey(e));
    if (moved !== undefined) {
      const by = device(moved);
      throw new SystemSnapshotError(
        `pending[${i}].time`,
        e.time,
        `the restored state of ${by === undefined ? 'the devices' : `device "${by}"`} has ${e.label} due at ${moved.time} ns: pending work must be what the devices re-create`,
      );
    }
    throw new SystemSnapshotError(
      `pending[${i}]`,
      e,
      'was pending at the snapshot, but no device re-created it (a legacy bottom half is not device state: snapshot where none is pending)',
    );
  }
  const e = extra[0];
  if (e === undefined) return;
  const by = device(e);
  const queued = `${e.label} at ${e.time} ns, which pending does not list: pending work must be what the devices re-create`;
  if (by === undefined) throw new SystemSnapshotError('pending', snapshot.pending, `the restore queued ${queued}`);
  throw new SystemSnapshotError(`devices.${by}`, snapshot.devices[by], `its restored state queues ${queued}`);
};
