/**
 * Two devices whose ticks fall on the same instants (every 100 µs), each with
 * a tick handler that acknowledges 2 µs later, and a clocksource reader on
 * the second SP804 counter reading at the same instants.
 */
export const TWO_TICKS_SCENARIO = {
  name: 'two-ticks',
  duration: '1ms',
  devices: [
    { name: 'sp', type: 'sp804', base: '0x40000000', clocks: { timclk: '1MHz' } },
    { name: 'mini', type: 'minimal-timer', base: '0x40001000', clocks: { clk: '1MHz' } },
  ],
  guests: [
    { name: 'sp-tick', program: 'periodic-tick', device: 'sp', channel: 'timer1', hz: '10kHz', latency: '2us' },
    { name: 'mini-tick', program: 'periodic-tick', device: 'mini', channel: 'timer', hz: '10kHz', latency: '2us' },
    { name: 'sp-clock', program: 'clocksource-reader', device: 'sp', channel: 'timer2', every: '100us' },
  ],
};
