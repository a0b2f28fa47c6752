// Compose a device pipeline in code: a CMSDK APB timer on a virtual clock, a guest
// driver written as a generator, and a trace with a digest. Run: npx tsx examples/composePipeline.ts
import {
  ClockInput,
  CmsdkApbTimer,
  guestRead,
  guestWrite,
  irqEvents,
  runDriver,
  Trace,
  VirtualClock,
  waitForIrq,
} from 'ptimer-rx';

const clock = new VirtualClock(); // 1 unit = 1 ns
const pclk = new ClockInput('pclk', 25_000_000); // 40 ns per cycle
const timer = new CmsdkApbTimer(clock, { pclk, name: 'timer0' });
const trace = new Trace();
timer.events$.subscribe((e) => trace.record(e));
irqEvents(timer.irq, clock).subscribe((e) => trace.record(e));

// CMSDK APB timer registers: CTRL 0x0 (EN bit 0, IRQEN bit 3), VALUE 0x4, RELOAD 0x8, INTSTATUS 0xc.
const ticks: number[] = [];
runDriver(
  function* () {
    yield guestWrite(0x8, 24_999); // RELOAD: a round of 25 000 cycles = 1 ms
    yield guestWrite(0x4, 25_000); // VALUE: the first round
    yield guestWrite(0x0, 0b1001); // EN | IRQEN
    for (let i = 0; i < 3; i++) {
      yield waitForIrq(timer.irq); // resumes in its own step at the expiry instant
      const status = yield guestRead(0xc);
      ticks.push(clock.now());
      yield guestWrite(0xc, status ?? 0); // write 1 to clear
    }
  },
  { device: timer, scheduler: clock, sink: trace },
).subscribe();

clock.advanceTo(5_000_000);
console.log(`ticks at ${ticks.join(', ')} ns`);
console.log(`${trace.events.length} trace events, digest ${trace.digest()}`);
if (ticks.join() !== '1000000,2000000,3000000') throw new Error(`unexpected ticks: ${ticks.join()}`);
