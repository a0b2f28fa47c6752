// The register sequences real LAN9118 drivers issue on the GP timer and the interrupt path,
// with what the guest must read where it matters. Written from what the drivers do (which
// registers, in which order, with which values), not from their code:
// - Linux drivers/net/ethernet/smsc/smsc911x.c, the mainline driver: the probe's PMT_CTRL.READY
//   poll, BYTE_TEST and ID_REV checks, PHY and soft resets; open()'s interrupt set-up and its
//   software-interrupt test of the IRQ line, with the interrupt handler acknowledging INT_STS;
//   stop(). It does not use the GP timer.
// - Linux's older smc911x.c driver (drivers/net/ethernet/smsc/smc911x.c), which
//   does: enable() starts the GP timer for one second (GPT_CFG = TIMER_EN | 10000) with
//   GPT_INT_EN among its interrupt enables, and its interrupt handler, on GPT_INT, collects TX
//   statuses, re-arms GPT_CFG with the same value and acknowledges INT_STS: a TX status sweep
//   every second.
// - SMSC's own reference driver (smsc9118): a GP timer callback scheduler. Scheduling writes
//   GPT_CFG = TIMER_EN | ticks (rewriting it while the timer runs to schedule a sooner
//   callback) and acknowledges GPT_INT; its handler acknowledges, runs what is due and re-arms
//   for the next; cancelling writes GPT_CFG = 0. Its interrupt handler first checks IRQ_CFG for
//   IRQ_INT | IRQ_EN (0x1100).
// Time base 10 kHz (100 µs a tick), as on the chip. ID_REV is a LAN9118 rev. 1 (0x01180001).
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, waitForIrq, waitUntil, type AccessResult, type DriverCommand, type TraceEvent } from '../../../index';
import {
  BYTE_TEST,
  E2P_CMD,
  GPT_CFG,
  GPT_CNT,
  GPT_INT,
  HW_CFG,
  ID_REV,
  INT_EN,
  INT_STS,
  IRQ_CFG,
  IRQ_EN,
  IRQ_INT,
  IRQ_POL,
  IRQ_TYPE,
  MAC_CSR_CMD,
  MAC_CSR_DATA,
  makeRig,
  PMT_CTRL,
  RSFL,
  RXSTOP_INT,
  SW_INT,
  TDFA,
  TICK,
  TIMER_EN,
  type Rig,
} from './rig';

type Program = () => Generator<DriverCommand, void, number | undefined>;

/** Runs a driver on the rig's device and clock, collecting its access results. */
const drive = (rig: Rig, program: Program): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(program, { device: rig.device, scheduler: rig.clock }).subscribe((r) => results.push(r));
  return results;
};

/** Features of the `unimplemented` events, in order. */
const unimplemented = (events: readonly TraceEvent[]): string[] => events.flatMap((e) => (e.kind === 'unimplemented' ? [e.feature] : []));
const guestErrors = (events: readonly TraceEvent[]): TraceEvent[] => events.filter((e) => e.kind === 'guest-error');

const PMT_CTRL_READY = 1;
const PMT_CTRL_PHY_RST = 1 << 10;
const HW_CFG_SRST = 1;
const MAC_CSR_BUSY = 0x8000_0000;
const INT_EN_SW_INT_EN = SW_INT;
/** smc911x's interrupt enables (TDFA, TSFL, RSFL, GPT_INT, RXDFH_INT, RXE, PHY_INT, RDFO). */
const SMC911X_INT_EN = TDFA | (1 << 7) | RSFL | GPT_INT | (1 << 23) | (1 << 14) | (1 << 18) | (1 << 6);
/** smc911x's TX status sweep period: 10 000 ticks of 100 µs. */
const SWEEP = 10_000;

describe('Linux smsc911x (mainline)', () => {
  /** smsc911x_init(): READY poll, byte order, chip ID; then the PHY reset and the soft reset it makes before registering. */
  function* probe(seen: Record<string, number>): Generator<DriverCommand, void, number | undefined> {
    let pmt = 0;
    for (let tries = 0; tries < 100 && (pmt & (PMT_CTRL_READY | (PMT_CTRL_READY << 16))) === 0; tries++) pmt = (yield guestRead(PMT_CTRL)) ?? 0;
    seen.pmt = pmt;
    seen.byteTest = (yield guestRead(BYTE_TEST)) ?? 0;
    seen.idRev = (yield guestRead(ID_REV)) ?? 0;
    // The PHY reset: PMT_CTRL |= PHY_RST, then wait for PHY_RST to clear.
    const before = (yield guestRead(PMT_CTRL)) ?? 0;
    yield guestWrite(PMT_CTRL, (before | PMT_CTRL_PHY_RST) >>> 0);
    seen.phyReset = (yield guestRead(PMT_CTRL)) ?? 0;
    // The soft reset first powers the PHY up through an MII read (a MAC CSR access), then HW_CFG.SRST and its poll.
    yield guestWrite(MAC_CSR_CMD, (MAC_CSR_BUSY | 0x4000_0006) >>> 0); // read MII_ACC
    seen.macBusy = (yield guestRead(MAC_CSR_CMD)) ?? 0;
    yield guestRead(MAC_CSR_DATA);
    yield guestWrite(HW_CFG, HW_CFG_SRST);
    seen.softReset = (yield guestRead(HW_CFG)) ?? 0;
  }

  it('probe: READY on the first PMT_CTRL read, BYTE_TEST 0x87654321 (no WORD_SWAP), ID_REV a LAN9118 generation 1; the resets complete at once', () => {
    const rig = makeRig();
    const seen: Record<string, number> = {};
    drive(rig, () => probe(seen));
    expect(seen).toEqual({ pmt: PMT_CTRL_READY, byteTest: 0x8765_4321, idRev: 0x0118_0001, phyReset: PMT_CTRL_READY, macBusy: 0, softReset: 0 });
    expect(seen.idRev! >>> 16).toBe(0x0118); // the LAN911x family: generation = the revision, 1
    expect(guestErrors(rig.events)).toEqual([]);
    expect(unimplemented(rig.events)).toEqual([
      'PMT_CTRL[31:1]', // PHY_RST: the PHY is not modelled
      'MAC_CSR_CMD (MAC CSR (and PHY) access)',
      'MAC_CSR_CMD (MAC CSR (and PHY) access)',
      'MAC_CSR_DATA (MAC CSR (and PHY) access)',
      'HW_CFG (hardware configuration and soft reset)',
      'HW_CFG (hardware configuration and soft reset)',
    ]);
  });

  /** The interrupt handler: acknowledges the software interrupt the way smsc911x_irqhandler() does. */
  const handler = (rig: Rig, signal: { raised: number; at: number[] }): Program =>
    function* () {
      for (;;) {
        yield waitForIrq(rig.device.irq);
        const intsts = (yield guestRead(INT_STS)) ?? 0;
        const inten = (yield guestRead(INT_EN)) ?? 0;
        if ((intsts & inten & SW_INT) !== 0) {
          const temp = (yield guestRead(INT_EN)) ?? 0;
          yield guestWrite(INT_EN, (temp & ~INT_EN_SW_INT_EN) >>> 0);
          yield guestWrite(INT_STS, SW_INT);
          signal.raised++;
          signal.at.push(rig.clock.now());
        } else {
          yield waitForIrq(rig.device.irq, false); // not ours: a shared line
        }
      }
    };

  /** smsc911x_open() from the soft reset on, up to its interrupt test and the RX/TX interrupt enables. */
  const open = (rig: Rig, signal: { raised: number }, polarity: 'low' | 'high', result: { passed?: boolean; waitedMs?: number }): Program =>
    function* () {
      yield guestWrite(HW_CFG, HW_CFG_SRST);
      yield guestRead(HW_CFG);
      yield guestWrite(HW_CFG, 0x0005_0000);
      yield guestRead(E2P_CMD); // EEPROM busy: clear
      // smsc911x_disable_irq_chip(): INT_EN = 0, INT_STS = 0xFFFFFFFF.
      yield guestWrite(INT_EN, 0);
      yield guestWrite(INT_STS, 0xffff_ffff);
      // A 100 µs de-assertion interval, the IRQ pin enabled, polarity and buffer type from the board.
      yield guestWrite(IRQ_CFG, ((10 << 24) | IRQ_EN | (polarity === 'high' ? IRQ_POL | IRQ_TYPE : 0)) >>> 0);
      // The test: SW_INT_EN set; the handler must see the software interrupt within 1000 × 1 ms.
      const temp = (yield guestRead(INT_EN)) ?? 0;
      yield guestWrite(INT_EN, (temp | INT_EN_SW_INT_EN) >>> 0);
      let waited = 0;
      while (signal.raised === 0 && waited < 1000) {
        yield waitUntil(rig.clock.now() + 1_000_000);
        waited++;
      }
      result.passed = signal.raised > 0;
      result.waitedMs = waited;
      // The RX/TX sources it then enables are not modelled.
      const enables = (yield guestRead(INT_EN)) ?? 0;
      yield guestWrite(INT_EN, (enables | TDFA | RSFL | RXSTOP_INT) >>> 0);
    };

  it.each(['low', 'high'] as const)(
    'open (IRQ active %s): the software interrupt raises the line at once; the handler clears SW_INT_EN and SW_INT; the test passes',
    (polarity) => {
      const rig = makeRig();
      rig.clock.advanceTo(5_000_000);
      const signal = { raised: 0, at: [] as number[] };
      const result: { passed?: boolean; waitedMs?: number } = {};
      const levels: [number, boolean][] = [];
      rig.device.irq.watch((level) => levels.push([rig.clock.now(), level]));
      drive(rig, handler(rig, signal));
      drive(rig, open(rig, signal, polarity, result));
      rig.clock.advanceTo(10_000_000);
      expect(result).toEqual({ passed: true, waitedMs: 1 });
      expect(signal.at).toEqual([5_000_000]); // in the instant of the INT_EN write, in the handler's step
      expect(levels).toEqual([
        [5_000_000, true],
        [5_000_000, false],
      ]);
      expect(rig.r(INT_STS)).toBe(0);
      expect(rig.r(INT_EN)).toBe(TDFA | RSFL | RXSTOP_INT);
      expect(rig.r(IRQ_CFG)).toBe(((10 << 24) | IRQ_EN | (polarity === 'high' ? IRQ_POL | IRQ_TYPE : 0)) >>> 0);
      expect(guestErrors(rig.events)).toEqual([]);
      expect(unimplemented(rig.events)).toEqual([
        'HW_CFG (hardware configuration and soft reset)',
        'HW_CFG (hardware configuration and soft reset)',
        'HW_CFG (hardware configuration and soft reset)',
        'E2P_CMD (EEPROM)',
        'IRQ_CFG.INT_DEAS', // the de-assertion interval is not modelled
        'INT_EN.RSFL_EN',
        'INT_EN.TDFA_EN',
        'INT_EN.RXSTOP_INT_EN',
      ]);
    },
  );

  it('open with the IRQ pin left disabled (IRQ_EN 0): SW_INT and IRQ_INT are set but the line stays low; the test fails after 1000 ms', () => {
    const rig = makeRig();
    const signal = { raised: 0, at: [] as number[] };
    drive(rig, handler(rig, signal));
    const result: { passed?: boolean } = {};
    drive(rig, function* () {
      yield guestWrite(INT_EN, 0);
      yield guestWrite(INT_STS, 0xffff_ffff);
      yield guestWrite(INT_EN, INT_EN_SW_INT_EN);
      let waited = 0;
      while (signal.raised === 0 && waited < 1000) {
        yield waitUntil(rig.clock.now() + 1_000_000);
        waited++;
      }
      result.passed = signal.raised > 0;
    });
    rig.clock.advanceTo(2_000_000_000);
    expect(result).toEqual({ passed: false });
    expect([rig.r(INT_STS), rig.r(IRQ_CFG), rig.device.irq.level]).toEqual([SW_INT, IRQ_INT, false]);
  });

  it('stop: IRQ_CFG.IRQ_EN cleared lowers the line though a source is still pending', () => {
    const rig = makeRig();
    rig.w(IRQ_CFG, IRQ_EN);
    rig.w(INT_EN, GPT_INT);
    rig.w(GPT_CFG, TIMER_EN | 1);
    rig.clock.advanceTo(TICK);
    expect(rig.device.irq.level).toBe(true);
    drive(rig, function* () {
      const temp = (yield guestRead(IRQ_CFG)) ?? 0;
      yield guestWrite(IRQ_CFG, (temp & ~IRQ_EN) >>> 0);
    });
    expect([rig.device.irq.level, rig.r(IRQ_CFG) & IRQ_INT, rig.r(INT_STS)]).toEqual([false, IRQ_INT, GPT_INT]);
  });
});

describe('Linux smc911x: the GP timer as a one-second TX status sweep', () => {
  /** smc911x_reset()'s interrupt part and smc911x_enable()'s GP timer and interrupt enables. */
  function* enable(): Generator<DriverCommand, void, number | undefined> {
    yield guestWrite(INT_EN, 0);
    yield guestWrite(INT_STS, 0xffff_ffff);
    yield guestWrite(IRQ_CFG, (1 << 24) | IRQ_EN | IRQ_TYPE); // a 10 µs de-assertion, push-pull
    yield guestWrite(GPT_CFG, (TIMER_EN | SWEEP) >>> 0);
    const mask = (yield guestRead(INT_EN)) ?? 0;
    yield guestWrite(INT_EN, (mask | SMC911X_INT_EN) >>> 0);
  }

  /** smc911x_interrupt() for the GP timer: spurious check, mask, status loop (TX statuses, re-arm, acknowledge), unmask. */
  const interrupt = (rig: Rig, sweeps: number[], count: number): Program =>
    function* () {
      for (let k = 0; k < count; k++) {
        yield waitForIrq(rig.device.irq);
        const cfg = (yield guestRead(IRQ_CFG)) ?? 0;
        if ((cfg & (IRQ_INT | IRQ_EN)) !== (IRQ_INT | IRQ_EN)) continue;
        const mask = (yield guestRead(INT_EN)) ?? 0;
        yield guestWrite(INT_EN, 0);
        for (let timeout = 8; timeout > 0; timeout--) {
          const status = ((yield guestRead(INT_STS)) ?? 0) & mask;
          if (status === 0) break;
          if ((status & ((1 << 7) | GPT_INT)) !== 0) {
            yield guestRead(0x80); // TX_FIFO_INF: no TX status to collect
            yield guestWrite(GPT_CFG, (TIMER_EN | SWEEP) >>> 0);
            yield guestWrite(INT_STS, 1 << 7);
            yield guestWrite(INT_STS, ((1 << 7) | GPT_INT) >>> 0);
            sweeps.push(rig.clock.now());
          }
        }
        yield guestWrite(INT_EN, mask);
      }
    };

  it('GPT_INT every second exactly: the handler re-arms GPT_CFG in the interrupt instant (X3; under QEMU the re-arm is ignored and the second sweep comes 6.55 s late)', () => {
    const rig = makeRig();
    const sweeps: number[] = [];
    drive(rig, enable);
    drive(rig, interrupt(rig, sweeps, 5));
    rig.clock.advanceTo(5_500_000_001);
    expect(sweeps).toEqual([1, 2, 3, 4, 5].map((s) => s * 1_000_000_000));
    expect(rig.r(GPT_CFG)).toBe((TIMER_EN | SWEEP) >>> 0);
    expect(rig.r(GPT_CNT)).toBe(5_000); // half-way to the sixth
    expect([rig.r(INT_STS), rig.device.irq.level]).toEqual([0, false]);
    expect(guestErrors(rig.events)).toEqual([]);
  });

  it('without the re-arm (the handler only acknowledging), the GP timer wraps: the second GPT_INT 65 536 ticks after the first (X1)', () => {
    const rig = makeRig();
    const rises: number[] = [];
    drive(rig, enable);
    drive(rig, function* () {
      for (let k = 0; k < 2; k++) {
        yield waitForIrq(rig.device.irq);
        rises.push(rig.clock.now());
        yield guestWrite(INT_STS, GPT_INT);
      }
    });
    rig.clock.advanceTo(10_000_000_000);
    expect(rises).toEqual([1_000_000_000, 1_000_000_000 + 65_536 * TICK]);
  });
});

describe("SMSC's reference driver: a GP timer callback scheduler", () => {
  /** Gpt_ScheduleInterrupt(ticks): GPT_CFG = ticks | TIMER_EN, then a stale GPT_INT acknowledged. */
  function* schedule(ticks: number): Generator<DriverCommand, void, number | undefined> {
    yield guestWrite(GPT_CFG, (Math.min(ticks, 0xffff) | TIMER_EN) >>> 0);
    yield guestWrite(INT_STS, GPT_INT);
  }
  /** Gpt_CancelInterrupt(): GPT_CFG = 0, GPT_INT acknowledged. */
  function* cancel(): Generator<DriverCommand, void, number | undefined> {
    yield guestWrite(GPT_CFG, 0);
    yield guestWrite(INT_STS, GPT_INT);
  }

  it('a 100 ms callback, then a 10 ms one scheduled sooner while the timer runs: the handler runs the 10 ms one, re-arms for the rest, then cancels', () => {
    const rig = makeRig();
    const ran: [string, number][] = [];
    const irqCfg: number[] = [];
    /** Callbacks due, in virtual ns (the driver reads FREE_RUN, not modelled: virtual time stands in for it). */
    const due = new Map<string, number>();
    drive(rig, function* () {
      // Lan_Initialize: TIMER_EN cleared by read-modify-write, interrupts off and acknowledged, the IRQ pin on.
      const cfg = (yield guestRead(GPT_CFG)) ?? 0;
      yield guestWrite(GPT_CFG, (cfg & ~TIMER_EN) >>> 0);
      yield guestWrite(INT_EN, 0);
      yield guestWrite(INT_STS, 0xffff_ffff);
      yield guestWrite(IRQ_CFG, (22 << 24) | IRQ_EN); // a 220 µs de-assertion interval
      yield guestWrite(INT_EN, GPT_INT); // Lan_EnableInterrupt(GPT_INT_EN)
      due.set('measure', 100_000_000);
      yield* schedule(1_000);
      yield waitUntil(30_000_000);
      due.set('burst', 40_000_000);
      yield* schedule(100); // sooner: GPT_CFG rewritten while the timer runs (X3)
    });
    // Smsc9118_ISR: IRQ_CFG must show IRQ_INT | IRQ_EN; Gpt_HandleInterrupt acknowledges, runs what is due, re-arms or cancels.
    drive(rig, function* () {
      for (;;) {
        yield waitForIrq(rig.device.irq);
        irqCfg.push((yield guestRead(IRQ_CFG)) ?? 0);
        const status = ((yield guestRead(INT_STS)) ?? 0) & ((yield guestRead(INT_EN)) ?? 0);
        if ((status & GPT_INT) === 0) {
          yield waitForIrq(rig.device.irq, false);
          continue;
        }
        yield guestWrite(INT_STS, GPT_INT);
        const now = rig.clock.now();
        for (const [name, at] of [...due]) {
          if (at - now < 125_000) {
            due.delete(name);
            ran.push([name, now]);
          }
        }
        const next = Math.min(...due.values());
        if (due.size > 0) yield* schedule(Math.round((next - now) / TICK));
        else yield* cancel();
      }
    });
    rig.clock.advanceTo(1_000_000_000);
    expect(ran).toEqual([
      ['burst', 40_000_000],
      ['measure', 100_000_000],
    ]);
    expect(irqCfg.map((cfg) => cfg & 0x1100)).toEqual([0x1100, 0x1100]); // IRQ_INT | IRQ_EN: "my interrupt"
    expect([rig.r(GPT_CFG), rig.r(GPT_CNT), rig.device.timer.mode, rig.device.irq.level]).toEqual([0, 0xffff, 'stopped', false]);
    expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([40_000_000, 100_000_000]);
    expect(unimplemented(rig.events)).toEqual(['IRQ_CFG.INT_DEAS']);
    expect(guestErrors(rig.events)).toEqual([]);
  });
});
