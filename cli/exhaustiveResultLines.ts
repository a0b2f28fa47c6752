import type { ExploreResult } from '../explore/exploreSchedules';

/**
 * The lines an exhaustive search's verdict prints under its heading: what
 * held (`holds`, when the space was exhausted) or how far the search got,
 * else the violation and its schedule.
 */
export const exhaustiveResultLines = (found: ExploreResult, holds: string): string[] =>
  found.violation === undefined
    ? [found.exhausted ? `  ${holds}` : `  no violation in the first ${found.schedules} schedules`]
    : [`  violation (schedule ${found.violation.index}): ${found.violation.message}`, `  schedule: ${found.violation.schedule.join(' → ')}`];
