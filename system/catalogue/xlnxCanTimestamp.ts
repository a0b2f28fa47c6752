import { XlnxCanTimestamp } from '../../devices/xlnx-can-timestamp/XlnxCanTimestamp';
import { XLNX_VERSAL_CANFD_REGISTERS } from '../../devices/xlnx-can-timestamp/XLNX_VERSAL_CANFD_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { SRR, ISR, IER, ICR, TSR } = XLNX_VERSAL_CANFD_REGISTERS.byName;
const CEN = SRR.fieldByName.CEN.mask;
const CTS = TSR.fieldByName.CTS.mask;
const TSCNT_OFLW = ISR.fieldByName.TSCNT_OFLW.mask;
const ETSCNT_OFLW = IER.fieldByName.ETSCNT_OFLW.mask;
const CTSCNT_OFLW = ICR.fieldByName.CTSCNT_OFLW.mask;
const TIMESTAMP_CNT = TSR.fieldByName.TIMESTAMP_CNT;
/** The 16-bit counter wraps every 2^16 cycles: its one period. */
const WRAP = 0x1_0000;

/**
 * Xilinx Zynq UltraScale+ CAN: the `'zynqmp'` variant of the timestamp model, on the CAN
 * reference clock (24 MHz, QEMU's default for the ZynqMP boards). No channel: the counter
 * raises no interrupt (UG1085: no status bit shows a roll-over) and no register shows it on
 * demand (only a stored frame's RXFIFO_DLC.RXT does), so there is nothing a driver recipe
 * can start periodically, acknowledge or race. Scenarios drive it with timed accesses
 * (SRR.CEN, TCR.CTS) and see it through its `timestamp` probe; `raceExperiment` refuses it
 * (no timer channel).
 */
export const xlnxZynqmpCan: CatalogueDeviceType<XlnxCanTimestamp> = {
  type: 'xlnx-zynqmp-can',
  summary: 'Xilinx ZynqMP CAN timestamp counter (UG1085): 16-bit up-counter on CAN_REF_CLK, cleared by TCR and held in configuration mode; the controller not modelled',
  clocks: [{ name: 'can_clk', hz: 24_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new XlnxCanTimestamp(scheduler, { name, canClk: clocks['can_clk']!, variant: 'zynqmp', delivery, timing }),
  channels: [],
};

/**
 * Xilinx Versal CAN-FD: the `'versal'` variant of the timestamp model, on the CAN clock
 * (25 MHz, QEMU's default). Its channel races the counter's wrap: the counter is
 * TSR.TIMESTAMP_CNT (bits 31:16, counting up), the status ISR.TSCNT_OFLW, set at each wrap
 * from 0xFFFF to 0, the line the controller's interrupt under IER.ETSCNT_OFLW, the
 * acknowledge ICR.CTSCNT_OFLW. The wrap comes every 2^16 cycles and nothing changes that,
 * so `minTicks` = `maxTicks` = 2^16. `start` leaves configuration mode (SRR.CEN), clears
 * the counter last (TSR.CTS: the first wrap is 2^16 cycles after it, also when CEN was
 * already set), clears a stale TSCNT_OFLW and enables only that interrupt.
 */
export const xlnxVersalCanfd: CatalogueDeviceType<XlnxCanTimestamp> = {
  type: 'xlnx-versal-canfd',
  summary: 'Xilinx Versal CAN-FD timestamp counter (PG223): 16-bit up-counter on can_clk, TSR shows it, ISR.TSCNT_OFLW at each wrap; the controller not modelled',
  clocks: [{ name: 'can_clk', hz: 25_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new XlnxCanTimestamp(scheduler, { name, canClk: clocks['can_clk']!, variant: 'versal', delivery, timing }),
  channels: [
    {
      name: 'timestamp',
      kind: 'timer',
      clock: 'can_clk',
      minTicks: WRAP,
      maxTicks: WRAP,
      start: (ticks) => {
        checkTicks(ticks, WRAP, WRAP, 'xlnx-versal-canfd.timestamp.start(ticks)');
        return [
          guestWrite(SRR.offset, CEN),
          guestWrite(ICR.offset, CTSCNT_OFLW),
          guestWrite(IER.offset, ETSCNT_OFLW),
          guestWrite(TSR.offset, CTS),
        ];
      },
      counter: { offset: TSR.offset, size: 4, direction: 'up' },
      counterField: { lsb: TIMESTAMP_CNT.lsb, width: TIMESTAMP_CNT.width },
      status: { offset: ISR.offset, size: 4, mask: TSCNT_OFLW },
      acknowledge: [guestWrite(ICR.offset, CTSCNT_OFLW)],
      line: 'irq',
    },
  ],
};
