// Exact timing on every catalogue device (#14): with a clock that is not a whole number of
// ns per cycle, a counter started periodic keeps exact time however many rounds it runs,
// and `timing: 'qemu'` keeps QEMU's early expiries.
//
// The channel's clock runs at 24 MHz (41⅔ ns a cycle) and `start(1000)` makes every round
// 1000 cycles (the catalogue's recipe, first round included): 1000·10^9/24·10^6 = 125 000/3 ns
// = 41 666⅔ ns. Started at 0, interrupt k is due at k·125 000/3 ns and comes at that ns
// floored; the 1000th at ⌊125 000 000/3⌋ = 41 666 666 ns.
// QEMU timing: the period is ⌊2^32·10^9/24·10^6⌋·2^-32 ns = 41 + 2 863 311 530·2^-32 ns and
// a round of 1000 cycles is floored to 41·1000 + ⌊1000·2 863 311 530·2^-32⌋ = 41 000 + 666
// = 41 666 ns, each round starting at the last one's floored end: interrupt k at 41 666·k,
// the 1000th at 41 666 000 ns, 666 ns early. The i.MX EPIT counts a round as two countdowns
// (the 999 cycles down from LR, then the cycle at 0), floored each: after the first round of
// 41 666 ns, rounds of ⌊999·P⌋ + ⌊P⌋ = (40 959 + ⌊665.9999998⌋) + 41 = 41 665 ns, so its
// 1000th comes at 41 666 + 999·41 665 = 41 665 001 ns. The SysTick's first round is the cycle
// at CVR 0 and the 999 cycles down from RVR, floored each: ⌊P⌋ + ⌊999·P⌋ = 41 + 41 624 = 41 665 ns,
// later rounds 41 666 ns: its k-th interrupt is at 41 666·k - 1.
// A channel with one fixed period (the Versal CAN-FD's wrap, 2^16 cycles) runs rounds of that
// instead, by the same arithmetic: exact, interrupt k at ⌊k·ticks·125/3⌋ ns; QEMU, rounds of
// 41·ticks + ⌊ticks·2 863 311 530·2^-32⌋ ns (2^16: 2 686 976 + 43 690 = 2 730 666 ns).
// The LAN9118 GP timer does not start its next round by itself: the handler re-arms it
// (acknowledgeOf) in the interrupt's instant, a whole ns, so every round counts 1000 cycles from
// a whole-ns start and ends ⌊41 666⅔⌋ = 41 666 ns later in exact timing, and after QEMU's
// floored 41 666 ns in QEMU timing: interrupt k at 41 666·k in both (the fraction a re-arm
// drops is the driver's, as a real handler's latency is).
// A channel with a `divisor` d counts steps of d cycles (the SuperH TMU's Pφ/4, #17): a round of
// `ticks` steps is ticks·d cycles in exact timing; in QEMU timing the step's period is QEMU's
// period of the clock times d (⌊ns·d⌋ plus the carried fraction), and a round is that floored
// the same way: d 4 at 24 MHz gives 166 ns + 2 863 311 528·2^-32, 1000 steps 166 666 ns.
import { describe, expect, it } from 'vitest';
import { ClockInput, VirtualClock, type Device, type GuestAccess, type IrqLine, type PTimerTiming } from '../../index';
import { DEVICE_TYPES } from '../../system/catalogue/catalogue';
import { acknowledgeOf, divisorOf, minTicksOf, type CatalogueChannel, type CatalogueDeviceType } from '../../system/catalogue/CatalogueChannel';

const HZ = 24_000_000;
const TICKS = 1_000;
const ROUNDS = 1_000;

const perform = (device: Device, accesses: readonly GuestAccess[]): void => {
  for (const a of accesses) {
    if (a.kind === 'read') device.read(a.offset, a.size);
    else device.write(a.offset, a.size, a.value);
  }
};

/** The channel's cycles per round: 1000, or its one period if it takes no other. */
const ticksOf = (channel: CatalogueChannel): number => Math.min(Math.max(TICKS, minTicksOf(channel)), channel.maxTicks);

/** Exact timing's instant of interrupt k (1-based): ⌊k·ticks·10^9/24·10^6⌋ ns. */
const exactInterrupt = (ticks: number, k: number): number => Math.floor((k * ticks * 125) / 3);

/** QEMU's period of one step of `divisor` 24 MHz cycles, as 64.32 fixed point (see above). */
const qemuStep = (divisor: number): { ns: bigint; frac: bigint } => {
  const frac = 2_863_311_530n * BigInt(divisor);
  return { ns: 41n * BigInt(divisor) + (frac >> 32n), frac: frac & 0xffff_ffffn };
};

/** QEMU timing's instant of interrupt k (1-based), by device type (see above). */
const qemuInterrupt = (type: string, ticks: number, k: number, divisor = 1): number => {
  const step = qemuStep(divisor);
  const round = Number(step.ns * BigInt(ticks) + ((step.frac * BigInt(ticks)) >> 32n));
  return type === 'imx-epit' ? 41_666 + 41_665 * (k - 1) : type === 'armv7m-systick' ? 41_666 * k - 1 : round * k;
};

/** The instants of the channel's first `ROUNDS` interrupts, each acknowledged as it rises. */
const interrupts = (type: CatalogueDeviceType, channel: CatalogueChannel, timing: PTimerTiming): number[] => {
  const clock = new VirtualClock();
  const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(c.name, c.name === channel.clock ? HZ : c.hz)]));
  const device = type.create(clock, { name: 'dut', clocks, delivery: 'sync', timing });
  const line = device.lines![channel.line] as IrqLine;
  const seen: number[] = [];
  const ticks = ticksOf(channel);
  line.watch((high) => {
    if (!high) return;
    seen.push(clock.now());
    perform(device, acknowledgeOf(channel, ticks));
  });
  perform(device, channel.start(ticks));
  clock.advanceTo((exactInterrupt(ticks * divisorOf(channel), 1) + 1) * ROUNDS);
  return seen.slice(0, ROUNDS);
};

// The minimal timer takes a whole-ns tick, so it cannot run at 24 MHz (its catalogue entry refuses it).
const timers = DEVICE_TYPES.filter((type) => type.type !== 'minimal-timer').flatMap((type) =>
  type.channels.filter((c) => c.kind === 'timer').map((channel) => [`${type.type}.${channel.name}`, type, channel] as const),
);
const channels = timers.filter(([, , channel]) => channel.rearm === undefined);
const rearmed = timers.filter(([, , channel]) => channel.rearm !== undefined);

describe.each(channels)('%s at 24 MHz, 1000 cycles a round (or its one period) (#14)', (_name, type, channel) => {
  const ticks = ticksOf(channel);
  const divisor = divisorOf(channel);
  const cycles = ticks * divisor;

  it('exact timing (the default): interrupt k at ⌊k·ticks·divisor·125/3⌋ ns (1000 cycles: the 1000th at 41 666 666 ns)', () => {
    const seen = interrupts(type, channel, 'exact');
    expect(seen).toHaveLength(ROUNDS);
    if (cycles === TICKS) expect(seen[ROUNDS - 1]).toBe(41_666_666);
    expect(seen).toEqual(seen.map((_, i) => exactInterrupt(cycles, i + 1)));
  });

  it("timing 'qemu': QEMU's floored rounds, each ending up to 1 ns early, the 1000th hundreds of ns early", () => {
    const seen = interrupts(type, channel, 'qemu');
    expect(seen).toHaveLength(ROUNDS);
    expect(seen[ROUNDS - 1]).toBe(qemuInterrupt(type.type, ticks, ROUNDS, divisor));
    expect(exactInterrupt(cycles, ROUNDS) - seen[ROUNDS - 1]!).toBeGreaterThanOrEqual(100);
    expect(seen).toEqual(seen.map((_, i) => qemuInterrupt(type.type, ticks, i + 1, divisor)));
  });
});

describe.each(rearmed)('%s at 24 MHz, 1000 cycles a round, re-armed by its handler (#16)', (_name, type, channel) => {
  it.each(['exact', 'qemu'] as const)("timing '%s': each round counts from the whole-ns re-arm, interrupt k at 41 666·k", (timing) => {
    const seen = interrupts(type, channel, timing);
    expect(seen).toHaveLength(ROUNDS);
    expect(seen).toEqual(seen.map((_, i) => 41_666 * (i + 1)));
  });
});
