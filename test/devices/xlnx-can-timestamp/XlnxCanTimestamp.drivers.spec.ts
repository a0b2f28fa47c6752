// The register sequences real drivers of the Xilinx CAN controllers issue that touch the
// timestamp counter, with what the guest must read. Written from what the drivers do (which
// registers, in which order, with which values; reference devices-2.md §11, §12), not from
// their code:
// - Linux drivers/net/can/xilinx_can.c (`xlnx,zynq-can-1.0` for the ZynqMP, `xlnx,canfd-2.0`
//   for the Versal): probe (SR read to pick the register endianness), open (reset, bit timing,
//   interrupt enables, mode, CEN), the receive path (one frame: its words and the FIFO
//   bookkeeping), close (reset). Linux never reads a timestamp, never clears the counter and
//   never enables the overflow interrupt; the counter still runs from CEN, and every frame's
//   DLC word carries it in bits 15:0.
// - The Xilinx standalone drivers (embeddedsw `canps`, `canfd`): the timestamp clear macro
//   (TCR/TSR.CTS), the receive function that hands the application the frame's timestamp, and
//   (CAN-FD) the live count read from TSR and the TSCNT_OFLW interrupt.
// The controller around the counter is not modelled: its registers report `unimplemented`, and
// no frame arrives by itself (`captureRxTimestamp` is a frame being stored). 25 MHz, 40 ns.
import { describe, expect, it } from 'vitest';
import type { XlnxCanTimestampVariant } from '../../../devices/xlnx-can-timestamp';
import type { TraceEvent } from '../../../index';
import { BRPR, BTR, CEN, CONFIG, CTS, ICR, IER, ISR, makeRig, MSR, RB_DLC, RB_ID, RXFIFO_DATA1, RXFIFO_DATA2, RXFIFO_DLC, RXFIFO_ID, SR, SRR, SRST, TCR, TICK, TSCNT_OFLW, TSR, WRAP_NS, type Rig } from './rig';

/** Interrupt bits Linux enables (XCAN_IXR_*). */
const ARBLST = 1 << 0;
const TXOK = 1 << 1;
const RXOK = 1 << 4;
const RXOFLW = 1 << 6;
const RXNEMP = 1 << 7;
const ERROR = 1 << 8;
const BSOFF = 1 << 9;
const SLP = 1 << 10;
const WKUP = 1 << 11;
const RXMNF = 1 << 17;
/** Versal (CAN FD 2.0) registers Linux touches besides the ZynqMP's. */
const F_BRPR = 0x088;
const F_BTR = 0x08c;
const AFR_EXT = 0x0e0;
const FSR = 0x0e8;
const FSR_IRI = 1 << 7;
const AFR_2_MASK = 0xa00;
const AFR_2_ID = 0xa04;

const T_PROBE = 1_000_000; // 1 ms after boot
const T_OPEN = 5_000_000; // `ip link set can0 up` at 5 ms

/** The `unimplemented` features reported since the last call, and forgets them. */
const reported = (rig: Rig): string[] => {
  const out = rig.events.filter((e): e is Extract<TraceEvent, { kind: 'unimplemented' }> => e.kind === 'unimplemented').map((e) => e.feature);
  rig.events.length = 0;
  return out;
};

/** Linux probe: SR read for the endianness test; the CAN FD 2.0 core also zeroes its first acceptance filter pair. */
const probe = (rig: Rig, variant: XlnxCanTimestampVariant): number => {
  rig.clock.advanceTo(T_PROBE);
  const sr = rig.r(SR);
  if (variant === 'versal') {
    rig.w(AFR_2_ID, 0);
    rig.w(AFR_2_MASK, 0);
  }
  return sr;
};

/** Linux xcan_open: set_reset_mode, then xcan_chip_start (set_reset_mode again, bit timing, IER, [AFR_EXT], MSR, SRR.CEN). */
const open = (rig: Rig, variant: XlnxCanTimestampVariant): void => {
  rig.clock.advanceTo(T_OPEN);
  const resetMode = (): void => {
    rig.w(SRR, SRST);
    expect(rig.r(SR) & CONFIG).toBe(CONFIG); // the poll ends at its first read
  };
  resetMode();
  resetMode();
  expect(rig.r(SR) & CONFIG).toBe(CONFIG); // set_bittiming's configuration-mode check
  // 500 kbit/s from 25 MHz: BRP 5 (BRPR 4), 10 time quanta: TSEG1 7, TSEG2 2, SJW 1.
  rig.w(BRPR, 4);
  rig.w(BTR, variant === 'versal' ? 6 | (1 << 8) : 6 | (1 << 4));
  if (variant === 'versal') {
    rig.w(F_BRPR, 1); // 2 Mbit/s data phase
    rig.w(F_BTR, 6 | (1 << 8));
  }
  const rx = variant === 'versal' ? RXOK | RXMNF : RXNEMP;
  rig.w(IER, TXOK | BSOFF | WKUP | SLP | ERROR | RXOFLW | ARBLST | rx);
  if (variant === 'versal') rig.w(AFR_EXT, 1);
  rig.w(MSR, 0);
  rig.w(SRR, CEN);
};

/** Linux's receive path for one frame (xcan_rx / xcanfd_rx with the FIFO bookkeeping around it): the DLC word it reads. */
const receive = (rig: Rig, variant: XlnxCanTimestampVariant): number => {
  if (variant === 'zynqmp') {
    rig.r(ISR); // RXNEMP: is a frame there?
    rig.r(RXFIFO_ID);
    const dlc = rig.r(RXFIFO_DLC);
    rig.r(RXFIFO_DATA1); // both data words are read to pop the frame
    rig.r(RXFIFO_DATA2);
    rig.w(ICR, RXNEMP);
    return dlc;
  }
  rig.w(ICR, RXOK);
  rig.r(FSR); // fill level and read index (RI 0: the first buffer)
  rig.r(RB_ID);
  const dlc = rig.r(RB_DLC); // DLC 0: no data words to read
  rig.w(FSR, FSR_IRI);
  return dlc;
};

describe.each(['zynqmp', 'versal'] as const)('Linux xilinx_can (%s)', (variant) => {
  it('probe: SR reads exactly CONFIG, so the driver keeps little-endian accessors; the counter stays held at 0', () => {
    const rig = makeRig({ variant });
    expect(probe(rig, variant)).toBe(CONFIG);
    expect(reported(rig)).toEqual(variant === 'versal' ? ['acceptance filter mask/ID pairs (CAN controller write: not modelled)', 'acceptance filter mask/ID pairs (CAN controller write: not modelled)'] : []);
    rig.clock.advanceTo(T_OPEN);
    expect(rig.device.probes[0]!.read()).toBe(0n);
    expect(rig.device.captureRxTimestamp()).toBeUndefined(); // configuration mode: nothing is received
  });

  it('open: the resets hold the counter at 0, the bit timing and enables belong to the controller, SRR.CEN starts the counter at the write', () => {
    const rig = makeRig({ variant });
    probe(rig, variant);
    rig.events.length = 0;
    open(rig, variant);
    const notModelled = (name: string): string => `${name} (CAN controller write: not modelled)`;
    expect(reported(rig)).toEqual(
      variant === 'versal'
        ? [notModelled('BRPR'), notModelled('BTR'), notModelled('F_BRPR'), notModelled('F_BTR'), 'IER.EARBLST', 'IER.ETXOK', 'IER.ERXOK', 'IER.ERXFOFLW', 'IER.EERROR', 'IER.EBSOFF', 'IER.ESLP', 'IER.EWKUP', 'IER.ERXMNF', notModelled('AFR'), notModelled('MSR')]
        : [notModelled('BRPR'), notModelled('BTR'), notModelled('IER'), notModelled('MSR')],
    );
    expect([rig.r(SRR), rig.r(SR), rig.device.irq.level]).toEqual([CEN, 0, false]);
    // Linux's enables never include the overflow: a wrap sets the Versal's status, never its line.
    rig.clock.advanceTo(T_OPEN + 2 * WRAP_NS);
    expect(rig.device.irq.level).toBe(false);
    if (variant === 'versal') expect(rig.r(ISR)).toBe(TSCNT_OFLW);
    expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([T_OPEN + WRAP_NS, T_OPEN + 2 * WRAP_NS]);
  });

  it('receive: each frame\'s DLC word carries the counter at the frame\'s end in bits 15:0; Linux shifts the DLC out of it and drops the timestamp', () => {
    const rig = makeRig({ variant });
    probe(rig, variant);
    open(rig, variant);
    const frames = [200_020, 400_060, WRAP_NS + 100]; // 5000½, 10001½ and 2½ cycles after CEN (a read on a step sees the value before it)
    const words: number[] = [];
    for (const at of frames) {
      rig.clock.advanceTo(T_OPEN + at);
      rig.device.captureRxTimestamp(); // the frame is stored at the last bit of its EOF
      rig.clock.advanceTo(T_OPEN + at + 3_000); // NAPI polls 3 µs later
      words.push(receive(rig, variant));
    }
    expect(words).toEqual([5_000, 10_001, 2]);
    expect(words.map((w) => w >>> 28)).toEqual([0, 0, 0]); // the DLC belongs to the controller: 0 here
  });

  it('close (xcan_chip_stop) and bus-off recovery: SRR.SRST resets the counter and the stored timestamp', () => {
    const rig = makeRig({ variant });
    probe(rig, variant);
    open(rig, variant);
    rig.clock.advanceTo(T_OPEN + 123 * TICK + 1);
    rig.device.captureRxTimestamp();
    rig.w(SRR, SRST);
    expect([rig.r(SR), rig.r(variant === 'versal' ? RB_DLC : RXFIFO_DLC), rig.device.probes[0]!.read()]).toEqual([CONFIG, 0, 0n]);
    rig.clock.advanceTo(T_OPEN + 5 * WRAP_NS);
    expect(rig.device.probes[0]!.read()).toBe(0n);
  });
});

describe('Xilinx standalone driver canps (ZynqMP)', () => {
  it('XCanPs_ClearTimestamp (TCR = CTS) restarts the count; XCanPs_Recv hands the application RXFIFO_DLC & 0xFFFF', () => {
    const rig = makeRig({ variant: 'zynqmp' });
    rig.w(SRR, SRST); // XCanPs_Reset
    rig.w(MSR, 0); // XCanPs_EnterMode(normal): MSR, then CEN
    rig.w(SRR, CEN);
    rig.clock.advanceTo(1_000_000);
    rig.w(TCR, CTS); // XCanPs_ClearTimestamp
    rig.clock.advanceTo(1_000_000 + 250 * TICK + 39);
    rig.device.captureRxTimestamp();
    const [, dlc] = [rig.r(RXFIFO_ID), rig.r(RXFIFO_DLC), rig.r(RXFIFO_DATA1), rig.r(RXFIFO_DATA2)];
    expect(dlc! & 0xffff).toBe(250);
  });
});

describe('Xilinx standalone driver canfd (Versal)', () => {
  it('XCanFd_GetTImeStamp_Count (TSR >> 16) is the live count; XCanFd_ClearTImeStamp_Count (TSR = CTS) clears it', () => {
    const rig = makeRig({ variant: 'versal' });
    rig.w(SRR, CEN);
    rig.clock.advanceTo(30_000 * TICK + 1);
    expect(rig.r(TSR) >>> 16).toBe(30_000);
    rig.w(TSR, CTS);
    expect(rig.r(TSR) >>> 16).toBe(0);
    rig.clock.advanceTo(30_010 * TICK + 2); // 10 cycles and 1 ns after the clear
    expect(rig.r(TSR) >>> 16).toBe(10);
  });

  it('an application that enables TSCNT_OFLW extends the 16-bit count in its handler: ISR read, ICR clear, one interrupt per 2^16 cycles', () => {
    const rig = makeRig({ variant: 'versal' });
    rig.w(IER, TSCNT_OFLW); // XCanFd_InterruptEnable
    rig.w(SRR, CEN);
    let high = 0;
    const seen: number[] = [];
    rig.device.irq.watch((level) => {
      if (!level) return;
      const isr = rig.r(ISR); // the handler's ISR & IER
      if ((isr & TSCNT_OFLW) === 0) return;
      rig.w(ICR, TSCNT_OFLW); // XCanFd_InterruptClear
      high++;
      seen.push(rig.clock.now());
    });
    rig.clock.advanceTo(3 * WRAP_NS + 500 * TICK + 1);
    expect(seen).toEqual([1, 2, 3].map((k) => k * WRAP_NS));
    expect(high * 0x1_0000 + (rig.r(TSR) >>> 16)).toBe(3 * 0x1_0000 + 500);
    expect(rig.device.irq.level).toBe(false);
  });
});
