/**
 * What a changing value (a timer's count, a device's counter) reads from the
 * instant the forecast was made on, as long as nothing changes what it
 * depends on: a guest write, an expiry's reload, a clock-rate change.
 *
 * A forecast is pure and immutable: it keeps a copy of the state it was made
 * from, so it stays true of that state after the device moves on. That is
 * what lets a waveform show every tick of a counter between two samples
 * without a simulation event per tick (DESIGN.md: a timer schedules per
 * expiry, never per tick): the recorder keeps the forecast of each sample,
 * and the waveform builder asks it for the ticks inside the window only.
 *
 * Ordering: a forecast describes the value between pieces of work; work at
 * an instant (G4) may change the state, and then the next forecast speaks
 * from that point on.
 *
 * ## Example
 * ```ts
 * timer.transaction((t) => { t.setPeriod(1_000); t.setLimit(10, true); t.run(false); });
 * const f = timer.forecast();   // at 0 ns
 * f.valueAt(2_500);             // the count getCount() reads at 2.5 µs if nothing changes the timer
 * f.nextChange(2_500);          // 3_001: the next instant the count reads differently
 * f.until;                      // 10_000: the expiry, whose reload needs a new forecast
 * ```
 *
 * @see PTimer.forecast
 * @see DeviceProbe.forecast
 */
export interface ValueForecast {
  /**
   * The last instant (ns) the forecast speaks for: scheduled work at `until`
   * (the timer's expiry) changes the state, so what the value reads after it
   * needs a new forecast. `Infinity` when nothing scheduled ends it (a
   * stopped timer, a free-running counter).
   */
  readonly until: number;
  /**
   * The value at `time`, if nothing changed the state since the forecast was
   * made (at `until`: before the work scheduled there).
   * @param time - a whole ns, from the instant the forecast was made up to `until`
   * @returns the value, unsigned
   * @throws a typed error (an `ArgumentError`) for a time outside that range
   */
  valueAt(time: number): bigint;
  /**
   * The first instant after `after` and before `until` at which the value
   * may read differently from `valueAt(after)`; never later than its first
   * real change, but it may be an instant where the value turns out the
   * same (a consumer compares). `undefined` when the value holds until
   * `until`.
   * @param after - a whole ns, from the instant the forecast was made on
   * @returns the instant (ns), or `undefined`
   * @throws a typed error (an `ArgumentError`) for an instant before the forecast was made
   */
  nextChange(after: number): number | undefined;
}
