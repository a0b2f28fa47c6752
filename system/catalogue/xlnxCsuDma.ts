import { XlnxCsuDma } from '../../devices/xlnx-csu-dma/XlnxCsuDma';
import { XLNX_CSU_DMA_REGISTERS } from '../../devices/xlnx-csu-dma/XLNX_CSU_DMA_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { SRC_CTRL, SRC_CTRL2, SRC_I_STS, SRC_I_EN } = XLNX_CSU_DMA_REGISTERS.byName;
const TIMEOUT_STRM = SRC_I_STS.fieldByName.TIMEOUT_STRM.mask;
const TIMEOUT_EN = SRC_CTRL2.fieldByName.TIMEOUT_EN.mask;
const TIMEOUT_VAL = SRC_CTRL.fieldByName.TIMEOUT_VAL;
/** TIMEOUT_VAL is 12 bits and 0xFFF holds the counter cleared (device header C1). */
const MAX_TICKS = 0xffe;

/**
 * Xilinx Zynq UltraScale+ CSU DMA, its SRC stream timeout. The catalogue's board has nothing
 * on the SRC stream output: data would wait there for ever, so the DMA is created with
 * `streamStalled: true` (device header C3) and the counter runs whenever the timeout is
 * enabled, timing out every TIMEOUT_VAL ticks (C2). `start(ticks)` disables the timeout
 * (TIMEOUT_EN 0 clears the counter), clears and unmasks TIMEOUT_STRM, sets TIMEOUT_VAL = ticks,
 * and enables it with TIMEOUT_PRE 0 (one tick per clk cycle): TIMEOUT_STRM rises every `ticks`
 * cycles. The acknowledge writes TIMEOUT_STRM back (write 1 to clear). The counter shows in
 * no register (the channel has no `counter`), so it cannot be raced or read as a clocksource.
 */
export const xlnxCsuDma: CatalogueDeviceType<XlnxCsuDma> = {
  type: 'xlnx-csu-dma',
  summary: 'Xilinx ZynqMP CSU DMA (UG1087): the SRC stream timeout, 12-bit TIMEOUT_VAL on a prescaled clk, interrupt on TIMEOUT_STRM',
  clocks: [{ name: 'clk', hz: 400_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new XlnxCsuDma(scheduler, { name, clk: clocks['clk']!, streamStalled: true, delivery, timing }),
  channels: [
    {
      name: 'src',
      kind: 'timer',
      clock: 'clk',
      minTicks: 1,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, 1, MAX_TICKS, 'xlnx-csu-dma.src.start(ticks)');
        return [
          guestWrite(SRC_CTRL2.offset, 0), // TIMEOUT_EN 0: the counter clears
          guestWrite(SRC_I_STS.offset, TIMEOUT_STRM),
          guestWrite(SRC_I_EN.offset, TIMEOUT_STRM),
          guestWrite(SRC_CTRL.offset, (ticks << TIMEOUT_VAL.lsb) >>> 0),
          guestWrite(SRC_CTRL2.offset, TIMEOUT_EN), // TIMEOUT_PRE 0; the stalled stream starts the count
        ];
      },
      status: { offset: SRC_I_STS.offset, size: 4, mask: TIMEOUT_STRM },
      acknowledge: [guestWrite(SRC_I_STS.offset, TIMEOUT_STRM)],
      line: 'irq',
    },
  ],
};
