import type { DriverCommand, DriverInput } from '../operators/driverCommands';

/**
 * A guest program a {@link System} runs: it yields register accesses (with
 * absolute bus addresses) and waits, like a `runDriver` program.
 *
 * A program that can say where it is while suspended (`position`) and start
 * again from there (`start(position)`) makes the system's snapshots
 * complete; one without `position` makes `System.snapshot()` refuse, naming
 * it. The built-in programs are resumable: they keep their position in plain
 * data and only ever suspend at a wait computed from it.
 */
export interface GuestProgram {
  /**
   * Starts the program, or resumes it from a position it reported.
   * @param position - `undefined` for a fresh start, else a value `position()` returned
   */
  start(position?: unknown): Iterator<DriverCommand, unknown, DriverInput>;
  /**
   * Where the program is, as JSON-safe data, while it waits (between clock
   * events). Starting from it must yield the same wait first.
   */
  position?(): unknown;
}

/** A program given as a generator function: runs, but cannot resume from a snapshot. */
export const fromGenerator = (program: () => Iterator<DriverCommand, unknown, DriverInput>): GuestProgram => ({
  start: () => program(),
});
