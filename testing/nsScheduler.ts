import type { SchedulerLike } from 'rxjs';
import type { Context } from 'rxjs-marbles';
import { scaleScheduler } from '../src/clock/scaleScheduler';

/**
 * Nanoseconds per marble frame in ordering tests unless a test says
 * otherwise: 1 frame = 1 µs of virtual time. Give timers a period that is a
 * multiple of it (one tick per frame reads best). Time progression in marble
 * strings (`'10ms '`) would mean frames in run mode: do not use it.
 */
export const NS_PER_FRAME = 1_000;

/**
 * The marble test's scheduler in nanoseconds, for timers and devices:
 * `now()` is the frame times `nsPerFrame`, and a delay between two frames
 * runs at the later one (never early).
 *
 * Ordering: same-frame work stays FIFO (G4).
 *
 * ## Example
 * ```ts
 * const ns = nsScheduler(m);                      // 1 frame = 1 000 ns
 * const timer = new PTimer(ns, { onTrigger });    // period 1 000 ns = 1 frame per tick
 * ```
 * @param m - the rxjs-marbles context (or any scheduler counting frames)
 * @param nsPerFrame - ns per frame, default {@link NS_PER_FRAME}
 * @returns a scheduler in ns
 */
export const nsScheduler = (m: Context | SchedulerLike, nsPerFrame: number = NS_PER_FRAME): SchedulerLike =>
  scaleScheduler('scheduler' in m ? m.scheduler : m, nsPerFrame);
