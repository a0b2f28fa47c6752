/**
 * A parallel exploration ran past its hard time limit: some schedule, or a user predicate, did
 * not return (a predicate that loops, say), so its threads were ended. The soft limit,
 * `maxMillis`, only stops starting new schedules; this one ends the ones that never finish.
 */
export class ExploreTimeLimitError extends Error {
  /** The limit that was passed (ms of wall-clock time). */
  readonly limitMillis: number;

  /**
   * Makes the error for a limit that was passed.
   * @param limitMillis - the limit that was passed (ms)
   */
  constructor(limitMillis: number) {
    super(`the exploration was still running ${limitMillis} ms after it started: a schedule or a predicate did not return (one that loops?); its threads were ended`);
    this.name = 'ExploreTimeLimitError';
    this.limitMillis = limitMillis;
  }
}
