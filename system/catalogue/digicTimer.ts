import { DigicTimer } from '../../devices/digic-timer/DigicTimer';
import type { CatalogueDeviceType } from './CatalogueChannel';

/**
 * Canon DIGIC timer, one 16-bit down-counter on a 1 MHz clock (QEMU's and barebox's rate). No
 * channel: the timer raises no interrupt a model knows of (device header D7), so there is no
 * status a driver recipe could acknowledge or a race could compare the count with. Scenarios
 * drive it with timed accesses by register name, as barebox's clocksource does (CONTROL.RST,
 * RELVALUE 0xFFFF, CONTROL.EN, then VALUE reads), and see the count through VALUE or its
 * `value` probe; `raceExperiment` refuses it (no timer channel).
 */
export const digicTimer: CatalogueDeviceType<DigicTimer> = {
  type: 'digic-timer',
  summary: 'Canon DIGIC timer (reverse engineered: CHDK, Magic Lantern): 16-bit down-counter reloading RELVALUE, no interrupt',
  clocks: [{ name: 'clk', hz: 1_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new DigicTimer(scheduler, { name, clk: clocks['clk']!, delivery, timing }),
  channels: [],
};
