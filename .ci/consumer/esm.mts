// A consumer of the packed package, as an ES module: the public API, typed, with no path into dist/.
import { bottomHalvesPutBack, fieldHandle, IrqLine, isAccessValue, maxAccessValue, PTimer, RegisterBank, registerHandle, SP804_REGISTERS, VirtualClock, withBottomHalvesPutBack, type FieldHandle, type PTimerTrigger, type PTimerSnapshot, type RegisterHandle, type RegisterShapeOf } from 'ptimer-rx';
import { createQueuePool, QueueError, runQueueWorker, type QueuePoolOptions, type QueueWorkerOptions } from 'ptimer-rx/queue';

const clock = new VirtualClock();
const seen: number[] = [];
const timer = new PTimer(clock, { timing: 'exact', onTrigger: (t: PTimerTrigger) => void seen.push(t.time) });
timer.transaction((t) => {
  t.setPeriodFromClock(24_000_000);
  t.setLimit(1, true);
  t.run(false);
});
clock.advanceTo(200);
const snap: PTimerSnapshot = timer.snapshot();
const expected = [41, 83, 125, 166];
if (seen.join() !== expected.join() || snap.timing !== 'exact') {
  throw new Error(`ESM consumer: expiries ${seen.join()} (expected ${expected.join()}), timing ${snap.timing}`);
}

// The count as a number, and register handles, as the published types give them.
const count: number = timer.getCountNumber();
if (count !== Number(timer.getCount())) throw new Error(`ESM consumer: getCountNumber ${count}, getCount ${timer.getCount()}`);
const iten: FieldHandle<RegisterShapeOf<typeof SP804_REGISTERS>> = fieldHandle(SP804_REGISTERS, 'TimerITCR', 'ITEN');
const itcr: RegisterHandle<RegisterShapeOf<typeof SP804_REGISTERS>> = registerHandle(SP804_REGISTERS, 'TimerITCR');
if (iten.max !== 1 || itcr.register !== 'TimerITCR') throw new Error(`ESM consumer: handles ${iten.max} ${itcr.register}`);
const bank = new RegisterBank(SP804_REGISTERS, { name: 'sp804', scheduler: clock });
bank.setAt(itcr, 1);
if (bank.get('TimerITCR') !== 1 || maxAccessValue(2) !== 0xffff || isAccessValue(0x10000, 2)) throw new Error(`ESM consumer: setAt ${bank.get('TimerITCR')}, maxAccessValue(2) ${maxAccessValue(2)}`);

// A line's listener without a stop function: listen, then unwatch.
const line = new IrqLine('irq');
const levels: boolean[] = [];
const listener = (level: boolean): void => void levels.push(level);
line.listen(listener);
line.raise();
line.unwatch(listener);
line.lower();
if (levels.join() !== 'true') throw new Error(`ESM consumer: listen/unwatch saw ${levels.join()}`);

// A queue put back in a listing's order when it holds that work; left alone when it does not.
const later = new VirtualClock();
const ran: string[] = [];
for (const name of ['a', 'b']) later.scheduleLabeled(name, () => void ran.push(name), 5);
const listing = later.pendingEvents();
const swapped = [listing[1]!, listing[0]!];
if (!later.restoreOrder(swapped) || later.restoreOrder(listing.slice(1))) throw new Error('ESM consumer: restoreOrder');
later.advanceTo(5);
if (ran.join() !== 'b,a') throw new Error(`ESM consumer: restoreOrder ran ${ran.join()}`);

// Restores a bottom half follows: the flag holds inside, and only inside.
if (bottomHalvesPutBack() || !withBottomHalvesPutBack(() => bottomHalvesPutBack()) || bottomHalvesPutBack()) throw new Error('ESM consumer: withBottomHalvesPutBack');

// ptimer-rx/queue (Node only, ESM): loads with its ioredis and BullMQ, and a Redis that is not there is its typed error.
const poolOptions: QueuePoolOptions = { parts: 2, connectMillis: 1_000 };
const workerOptions: QueueWorkerOptions = { concurrency: 1, lockMillis: 1_000, connectMillis: 1_000 };
for (const open of [() => createQueuePool('redis://127.0.0.1:1', poolOptions), () => runQueueWorker('redis://127.0.0.1:1', workerOptions)]) {
  const error = await open().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof QueueError) || !error.message.startsWith('cannot reach Redis at 127.0.0.1:1')) {
    throw new Error(`ESM consumer: ptimer-rx/queue with no Redis: ${String(error)}`);
  }
}
console.log('esm consumer ok');
