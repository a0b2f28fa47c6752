/**
 * Most counter changes per signal the CLI writes to a VCD of a whole run
 * (the library's default cap, for windows, is 10 000): every tick of a few
 * milliseconds at 25 MHz, a few MB of VCD per counter. Past it a counter is
 * `x` (see `BuildWaveformOptions.maxChanges`); `run --max-changes` changes it.
 */
export const VCD_MAX_CHANGES = 100_000;

/**
 * Slots of the WaveDrom files the CLI writes: WaveDrom draws about 40 px per
 * slot, so 80 slots is a diagram about as wide as a screen. A window whose
 * instants are closer than that gets a coarser round step, and a counter
 * that changes more than once in a slot shows `counting`.
 */
export const WAVEDROM_SLOTS = 80;
