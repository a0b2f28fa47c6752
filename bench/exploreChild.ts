/**
 * The explorer's speed items of `npm run bench` (the race and the default
 * scenario's search, each on 1 and 2 workers), run in a fresh process of
 * their own: bench/run.ts starts it and reads the one JSON line it prints.
 * In the bench's own process they ran after the clock, system and device
 * items, which had taught the same functions (the devices' register hooks,
 * the clock) other shapes: the one-thread searches ran in that slowed code
 * (the scenario's about 210 ms, against 110-125 ms in a process of its
 * own), while the worker threads, fresh, did not, and the speed-ups measured
 * the difference. A user's `ptimer-rx explore` runs in a process of its own.
 *
 * `node --import ./bench/tsLoader.mjs bench/exploreChild.ts [--quick]`
 */
import { measureExplore, type ExploreFigures } from './explore';
import { measureExploreScenario, type ExploreScenarioFigures } from './exploreScenario';

/** What the child prints. */
export interface ExploreChildFigures {
  readonly race: ExploreFigures;
  readonly scenario: ExploreScenarioFigures;
}

const quick = process.argv.includes('--quick');
const race = await measureExplore(quick);
const scenario = await measureExploreScenario(quick);
const figures: ExploreChildFigures = { race, scenario };
process.stdout.write(`${JSON.stringify(figures)}\n`);
