// The register sequences the CSU DMA's drivers issue, replayed on the model with what the
// guest must read. Written from what the drivers do (which registers, in which order, with
// which values: reference devices-2.md §10), not from their code:
// - Linux drivers/spi/spi-zynqmp-gqspi.c, the GQSPI's DMA (a CSU DMA used on its DST side,
//   at the same offsets): the set-up (clear the status, clear DONE_CNT, disable every
//   interrupt, write CTRL's reset value), a DMA read (address, size, enable DONE) and the
//   interrupt handler's read and write-back of the status. It never programs the timeout
//   (the reference found no Linux user of it).
// - Xilinx's bare-metal xcsudma driver, the one that does: XCsuDma_SetConfig (CTRL whole,
//   CTRL2 read-modify-write keeping its reserved bits, with TimeoutValue, TimeoutEn and
//   TimeoutPre), XCsuDma_EnableIntr, XCsuDma_IntrGetStatus, XCsuDma_IntrClear.
// The data path is not modelled: a stall of the SRC stream is `setStreamStalled` (device
// header C3); the address, size and status registers are `unimplemented` events.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../index';
import {
  DONE,
  DST_ADDR,
  DST_ADDR_MSB,
  DST_CTRL,
  DST_I_DIS,
  DST_I_EN,
  DST_I_MASK,
  DST_I_STS,
  DST_SIZE,
  DST_STS,
  makeRig,
  SRC_CTRL,
  SRC_CTRL2,
  SRC_I_EN,
  SRC_I_MASK,
  SRC_I_STS,
  TIMEOUT_EN,
  TIMEOUT_STRM,
  type Rig,
} from './rig';

const features = (events: readonly TraceEvent[]) => events.filter((e) => e.kind === 'unimplemented').map((e) => (e as { feature: string }).feature);

describe('Linux spi-zynqmp-gqspi, the GQSPI DMA (DST side)', () => {
  /** zynqmp_qspi_init_hw, its DMA part. */
  const init = (rig: Rig): void => {
    rig.w(DST_I_STS, rig.r(DST_I_STS)); // clear what is pending
    rig.w(DST_STS, (rig.r(DST_STS) | 0xe000) >>> 0); // clear DONE_CNT
    rig.w(DST_I_DIS, 0xfe); // every interrupt off
    rig.w(DST_CTRL, 0x803f_fa00); // CTRL's reset value
  };

  it('init: the status stays clear, every DST interrupt masked, CTRL at its reset value; STS and the data-path fields are reported', () => {
    const rig = makeRig();
    init(rig);
    expect([rig.r(DST_I_STS), rig.r(DST_I_MASK), rig.r(DST_CTRL), rig.device.irq.level]).toEqual([0, 0xfe, 0x803f_fa00, false]);
    expect(features(rig.events)).toEqual(['DST_STS (data path)', 'DST_STS (data path)', 'DST_CTRL.FIFO_THRESH', 'DST_CTRL.SSS_FIFOTHRESH']);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
  });

  it('a DMA read: address, size, DONE enabled; the handler reads the status and writes it back; nothing counts', () => {
    const rig = makeRig({ stalled: true });
    init(rig);
    rig.events.length = 0;
    rig.w(DST_ADDR, 0x1000_0000);
    rig.w(DST_ADDR_MSB, 0);
    rig.w(DST_SIZE, 256);
    rig.w(DST_I_EN, DONE);
    expect(rig.r(DST_I_MASK)).toBe(0xfe & ~DONE);
    const status = rig.r(DST_I_STS); // the handler
    rig.w(DST_I_STS, status);
    expect(status).toBe(0); // DONE needs the data path, which is not modelled
    expect(features(rig.events)).toEqual(['DST_ADDR (data path)', 'DST_ADDR_MSB (data path)', 'DST_SIZE (data path)']);
    rig.clock.advanceTo(10_000_000);
    expect(rig.device.timer.mode).toBe('stopped'); // the driver never enables a timeout
  });
});

describe('xcsudma (bare metal), the SRC stream timeout', () => {
  /** XCsuDma_SetConfig(SRC): CTRL written whole, CTRL2 read-modify-write keeping 0x083F0000. */
  const setConfig = (rig: Rig, c: { timeoutValue: number; timeoutEn: number; timeoutPre: number; fifoThresh: number; maxOutCmds: number }): void => {
    rig.w(SRC_CTRL, ((c.timeoutValue << 10) & 0x003f_fc00) | ((c.fifoThresh << 2) & 0x3fc));
    const kept = rig.r(SRC_CTRL2) & 0x083f_0000;
    rig.w(SRC_CTRL2, (kept | ((c.timeoutEn << 22) & TIMEOUT_EN) | ((c.timeoutPre << 4) & 0xfff0) | (c.maxOutCmds & 0xf)) >>> 0);
  };
  /** An interrupt handler: XCsuDma_IntrGetStatus, then XCsuDma_IntrClear of what it read. */
  const handler = (rig: Rig): number => {
    const status = rig.r(SRC_I_STS);
    rig.w(SRC_I_STS, status & 0x7f);
    return status;
  };

  it('a 1 ms stream timeout (TimeoutPre 0x3FF: 1024 cycles of 2.5 ns; TimeoutValue 390 ticks = 998.4 µs) interrupts while the SRC stream is stalled', () => {
    const rig = makeRig();
    setConfig(rig, { timeoutValue: 390, timeoutEn: 1, timeoutPre: 0x3ff, fifoThresh: 0x80, maxOutCmds: 8 });
    expect([rig.r(SRC_CTRL), rig.r(SRC_CTRL2)]).toEqual([0x0006_1a00, 0x085b_3ff8]);
    rig.w(SRC_I_EN, TIMEOUT_STRM); // XCsuDma_EnableIntr
    expect(rig.r(SRC_I_MASK)).toBe(0x7f & ~TIMEOUT_STRM);
    const seen: [number, number][] = [];
    rig.device.irq.watch((high) => {
      if (high) seen.push([rig.clock.now(), handler(rig)]);
    });
    rig.clock.advanceTo(5_000_000); // the sink takes everything: no timeout
    expect(seen).toEqual([]);
    rig.device.setStreamStalled(true); // the sink stops taking data at 5 ms
    rig.clock.advanceTo(7_000_000);
    expect(seen).toEqual([
      [5_000_000 + 998_400, TIMEOUT_STRM],
      [5_000_000 + 2 * 998_400, TIMEOUT_STRM],
    ]);
    rig.device.setStreamStalled(false); // data moves again: the count clears
    rig.clock.advanceTo(20_000_000);
    expect(seen).toHaveLength(2);
    // SetConfig's data-path fields and the preserved RAM margin bits are stored and reported.
    expect(features(rig.events)).toEqual(['SRC_CTRL.FIFO_THRESH', 'SRC_CTRL2.MAX_OUTS_CMDS', 'SRC_CTRL2.RAM_EMAA', 'SRC_CTRL2.RAM_EMAB', 'SRC_CTRL2.RAM_EMASA']);
  });

  it('TimeoutValue 0xFFF ("clears both timers"): nothing counts, even stalled and enabled', () => {
    const rig = makeRig({ stalled: true });
    setConfig(rig, { timeoutValue: 0xfff, timeoutEn: 1, timeoutPre: 0, fifoThresh: 0, maxOutCmds: 0 });
    rig.w(SRC_I_EN, TIMEOUT_STRM);
    rig.clock.advanceTo(1_000_000);
    expect([rig.r(SRC_I_STS), rig.device.irq.level, rig.device.timer.mode]).toEqual([0, false, 'stopped']);
  });

  it('TimeoutEn 0 in a later SetConfig stops a counting timeout and clears it', () => {
    const rig = makeRig({ stalled: true });
    setConfig(rig, { timeoutValue: 100, timeoutEn: 1, timeoutPre: 0, fifoThresh: 0, maxOutCmds: 0 });
    rig.clock.advanceTo(100);
    setConfig(rig, { timeoutValue: 100, timeoutEn: 0, timeoutPre: 0, fifoThresh: 0, maxOutCmds: 0 });
    rig.clock.advanceTo(10_000);
    expect(rig.r(SRC_I_STS)).toBe(0);
  });
});
