import { ArgumentError } from '../src/shared/ArgumentError';
import type { TraceEvent } from '../src/trace/TraceEvent';

/**
 * The arguments of {@link toMarbleDiagram} break a rule: `from` after `to`,
 * a `nsPerFrame` that is not a positive whole number or does not fit the
 * instants, an empty window, events out of time order, more distinct labels
 * than marble characters. The message names the value and the rule, and
 * says what to change.
 */
export class MarbleDiagramError extends ArgumentError {
  /** Always `'MarbleDiagramError'`. */
  override readonly name: string = 'MarbleDiagramError';
  /**
   * Builds the message, `<what>: <value> is invalid: <rule>`.
   * @param value - the offending value, as given
   * @param rule - the rule it breaks, in words (with what to do instead)
   * @param what - where it was given, e.g. `'toMarbleDiagram(nsPerFrame)'`
   */
  constructor(value: unknown, rule: string, what: string) {
    super(what, value, rule);
  }
}

/** Options of {@link toMarbleDiagram}. */
export interface MarbleDiagramOptions {
  /**
   * First instant of the window (ns, inclusive); it is frame 0. Default: the
   * time of the first event kept (after `include` and `to`).
   */
  readonly from?: number;
  /** Last instant of the window (ns, inclusive). Default: no end. */
  readonly to?: number;
  /**
   * Nanoseconds per marble frame (a positive whole number; every instant in
   * the window must be a whole number of frames from `from`). Default: the
   * largest divisor of the gcd of the instants' offsets from `from` that
   * leaves room for every sync group (see {@link toMarbleDiagram}).
   */
  readonly nsPerFrame?: number;
  /**
   * The name of the register at `offset` of device `source`, for access
   * labels; `undefined` prints the offset in hex. See {@link registerNamesOf}.
   */
  readonly registerName?: (source: string, offset: number) => string | undefined;
  /** Keeps only the events for which it returns true (applied before the window). Default: all. */
  readonly include?: (event: TraceEvent) => boolean;
  /**
   * Longest diagram accepted, in frames (default 10 000): past it, narrow the
   * window or filter. Note that a `marbles` test stops at
   * `DEFAULT_HORIZON_FRAMES` (1 000) unless it raises `m.scheduler.maxFrames`.
   */
  readonly maxFrames?: number;
}

/** A run printed as one marble line, with its legend; see {@link toMarbleDiagram}. */
export interface MarbleDiagram {
  /** The marble line, e.g. `'(ab)(cde)'`; parses in run mode (spaces ignored, no time progression). */
  readonly marble: string;
  /** Marble character → event label, in order of first appearance (e.g. `{ c: 'R VALUE=4' }`). */
  readonly values: Record<string, string>;
  /** Nanoseconds per frame used. */
  readonly nsPerFrame: number;
  /** The instant of frame 0 (ns). */
  readonly from: number;
  /**
   * The diagram as test source: a `// 1 frame = N ns, frame 0 = T ns`
   * comment, `const expected = '…';` and the legend, one `//   c  label` line
   * per character.
   */
  readonly text: string;
}

/** Characters used for labels, in order: none has a marble meaning (`-|#^!() `, digits) nor needs escaping in `'…'`. */
const MARBLE_CHARACTERS = [
  ...'abcdefghijklmnopqrstuvwxyz',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'*+.,:;<=>?@[]_{}~$%&/',
];

const DEFAULT_MAX_FRAMES = 10_000;

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

const gcd = (a: number, b: number): number => {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
};

/** The largest divisor of `n` (≥ 1) that is at most `cap` (≥ 1). */
const largestDivisorAtMost = (n: number, cap: number): number => {
  if (n <= cap) return n;
  let best = 1;
  for (let k = 1; k * k <= n; k++) {
    if (n % k !== 0) continue;
    const other = n / k;
    if (k <= cap && k > best) best = k;
    if (other <= cap && other > best) best = other;
  }
  return best;
};

const hex = (n: number): string => (n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`);

/**
 * The names of each device's registers, by device name and offset, as the
 * `registerName` option of {@link toMarbleDiagram} wants it.
 *
 * ## Example
 * ```ts
 * toMarbleDiagram(system.trace.events, { registerName: registerNamesOf(system.bus.regions.map((r) => r.device)) });
 * ```
 * @param devices - devices with a name and (optionally) their registers, e.g. a `System`'s
 * @returns `(source, offset) => name | undefined`
 * @see toMarbleDiagram
 */
export const registerNamesOf = (
  devices: Iterable<{ readonly name: string; readonly registers?: readonly { readonly name: string; readonly offset: number }[] }>,
): ((source: string, offset: number) => string | undefined) => {
  const names = new Map<string, Map<number, string>>();
  for (const d of devices) {
    const byOffset = new Map<number, string>();
    for (const r of d.registers ?? []) if (!byOffset.has(r.offset)) byOffset.set(r.offset, r.name);
    names.set(d.name, byOffset);
  }
  return (source, offset) => names.get(source)?.get(offset);
};

/** Options of {@link marbleLabel}; {@link toMarbleDiagram} sets the last two from its window. */
export interface MarbleLabelOptions {
  /** Names registers by device and offset (default: none, offsets print in hex). */
  readonly registerName?: (source: string, offset: number) => string | undefined;
  /** Prefix register names with the device's name, `R timer1.VALUE=4` (for several devices). Default false. */
  readonly qualifyRegisters?: boolean;
  /** Name the timer instead of the device in expiry labels, `sp0.timer1 expiry` (for a device with several timers). Default false. */
  readonly timerNames?: boolean;
}

/**
 * The label {@link toMarbleDiagram} gives a trace event:
 * - access: `R <REG>=<value>` (decimal) / `W <REG>=<value>` (hex), the
 *   register named by `registerName`, else its offset in hex (`R 0x4=4`),
 *   `<source>.<REG>` with `qualifyRegisters`; ` !<reason>` is appended when
 *   the device refused the access;
 * - `<source> expiry`, or `<timer> expiry` with `timerNames`; ` (commit)` is
 *   appended when a committed change, not the deadline, caused it;
 * - `<source> irq=1` / `<source> irq=0` (the source is the line, e.g. `timer0.irq irq=1`);
 * - `<source> guest-error <reason>`, `<source> unimplemented <feature>`;
 * - `bottom-half <timer>` (a trigger delivered by a legacy bottom half),
 *   `trigger <timer>` (delivered synchronously);
 * - `violation: <message>`; a mark: `<source>.<label>`.
 *
 * Ordering: none (a pure function of one event).
 *
 * ## Example
 * ```ts
 * marbleLabel({ time: 0, source: 'timer0', kind: 'read', offset: 4, size: 4, value: 4 }, { registerName: () => 'VALUE' }); // 'R VALUE=4'
 * ```
 * @param event - a trace event
 * @param options - register names and how to qualify names
 * @returns the label
 * @see toMarbleDiagram
 */
export const marbleLabel = (event: TraceEvent, options: MarbleLabelOptions = {}): string => {
  switch (event.kind) {
    case 'read':
    case 'write': {
      const reg = options.registerName?.(event.source, event.offset) ?? hex(event.offset);
      const name = options.qualifyRegisters === true ? `${event.source}.${reg}` : reg;
      const value = event.kind === 'read' ? String(event.value) : hex(event.value);
      const refused = event.error === undefined ? '' : ` !${event.error}`;
      return `${event.kind === 'read' ? 'R' : 'W'} ${name}=${value}${refused}`;
    }
    case 'expiry':
      return `${options.timerNames === true ? event.timer : event.source} expiry${event.cause === 'commit' ? ' (commit)' : ''}`;
    case 'irq':
      return `${event.source} irq=${event.level ? 1 : 0}`;
    case 'guest-error':
      return `${event.source} guest-error ${event.reason}`;
    case 'unimplemented':
      return `${event.source} unimplemented ${event.feature}`;
    case 'trigger':
      return event.delivery === 'bottom-half' ? `bottom-half ${event.timer}` : `trigger ${event.timer}`;
    case 'violation':
      return `violation: ${event.message}`;
    case 'mark':
      return `${event.source}.${event.label}`;
  }
};

/** One distinct instant of the window: its time and its events' characters, in trace order. */
interface Instant {
  readonly time: number;
  readonly chars: string[];
}

/** Characters a group takes in the marble: one event is bare, several are `(…)`. */
const groupLength = (instant: Instant): number => (instant.chars.length === 1 ? 1 : instant.chars.length + 2);

/**
 * Prints a run's trace (or a window of it) as one rxjs marble line with a
 * legend, to paste into a marble test: each distinct instant is one frame,
 * `nsPerFrame` ns per frame counted from `from`, empty frames are `-`, and
 * the events of one instant are a sync group `(abc)` in trace order (one
 * event needs no parentheses). Each distinct label ({@link marbleLabel}) gets
 * a character: `a`–`z`, `A`–`Z`, then `*+.,:;<=>?@[]_{}~$%&/` (never a
 * character with marble meaning, nor a digit); `values` maps them back.
 *
 * Placement: a sync group takes as many frames as it has characters
 * (parentheses included), so the group of an instant at frame `f` with `k`
 * events ends at `f + k + 2` and the next instant must be at least that far.
 * The default `nsPerFrame` guarantees it: the largest divisor of the gcd of
 * the instants' offsets from `from` such that every gap between consecutive
 * instants is at least the earlier group's length in frames. An explicit
 * `nsPerFrame` that does not divide every offset, or leaves a group no room,
 * is a {@link MarbleDiagramError} that names the instants and the largest
 * `nsPerFrame` that fits; so is a run whose instants are too close even at
 * 1 ns per frame (narrow the window, or `include` fewer events). Labels
 * name a register `<device>.<REG>` when the window holds accesses to more
 * than one device, and an expiry by its timer when the window holds expiries
 * of more than one timer of that device.
 *
 * Ordering: preserves G4 as recorded: the order inside a group is the
 * trace's order at that instant, which is how the marble test's scheduler
 * must emit them.
 *
 * ## Example
 * The seed race (bottom-half delivery) run in a `System`:
 * ```ts
 * console.log(toMarbleDiagram(system.trace.events, { nsPerFrame: 1000, registerName: registerNamesOf([timer0]) }).text);
 * ```
 * prints
 * ```ts
 * // 1 frame = 1000 ns, frame 0 = 0 ns
 * const expected = '(ab)(cde)';
 * //   a  W LOAD=0x4
 * //   b  W CTRL=0x3
 * //   c  R VALUE=4
 * //   d  R INTSTATUS=0
 * //   e  timer0.irq irq=1
 * ```
 * @param events - trace events in trace order (non-decreasing time), e.g. `system.trace.events`
 * @param options - window, frame size, register names, filter, length bound
 * @returns the marble line, its values, the frame size and origin, and the text to paste
 * @throws MarbleDiagramError when an option or the events break the rules above
 * @see marbleLabel
 * @see registerNamesOf
 */
export const toMarbleDiagram = (events: readonly TraceEvent[], options: MarbleDiagramOptions = {}): MarbleDiagram => {
  const { from: givenFrom, to, nsPerFrame: givenNsPerFrame, include } = options;
  const maxFrames = options.maxFrames ?? DEFAULT_MAX_FRAMES;
  if (givenFrom !== undefined && !isWhole(givenFrom)) throw new MarbleDiagramError(givenFrom, 'must be a whole number of ns', 'toMarbleDiagram(from)');
  if (to !== undefined && !isWhole(to)) throw new MarbleDiagramError(to, 'must be a whole number of ns', 'toMarbleDiagram(to)');
  if (givenFrom !== undefined && to !== undefined && givenFrom > to) {
    throw new MarbleDiagramError(givenFrom, `from must not be after to (${to} ns)`, 'toMarbleDiagram(from)');
  }
  if (givenNsPerFrame !== undefined && !(isWhole(givenNsPerFrame) && givenNsPerFrame >= 1)) {
    throw new MarbleDiagramError(givenNsPerFrame, 'must be a positive whole number of ns', 'toMarbleDiagram(nsPerFrame)');
  }
  if (!(isWhole(maxFrames) && maxFrames >= 1)) {
    throw new MarbleDiagramError(maxFrames, 'must be a positive whole number', 'toMarbleDiagram(maxFrames)');
  }
  for (let i = 1; i < events.length; i++) {
    const before = events[i - 1]!.time;
    const time = events[i]!.time;
    if (time < before) {
      const rule = `events must be in trace order: event ${i} is earlier than the one before it (${before} ns)`;
      throw new MarbleDiagramError(time, rule, 'toMarbleDiagram(events)');
    }
  }

  const inWindow = (e: TraceEvent): boolean => (givenFrom === undefined || e.time >= givenFrom) && (to === undefined || e.time <= to);
  const kept = events.filter((e) => (include === undefined || include(e)) && inWindow(e));
  if (kept.length === 0) {
    const window = `[${givenFrom ?? '-∞'}, ${to ?? '∞'}] ns`;
    const of = `${events.length}${include === undefined ? '' : ' before include'}`;
    throw new MarbleDiagramError(window, `the window holds no event (of ${of}): widen it or include more`, 'toMarbleDiagram(window)');
  }
  const from = givenFrom ?? kept[0]!.time;

  // Labels and characters, in order of first appearance.
  const accessSources = new Set<string>();
  const timersOf = new Map<string, Set<string>>();
  for (const e of kept) {
    if (e.kind === 'read' || e.kind === 'write') accessSources.add(e.source);
    if (e.kind === 'expiry') timersOf.set(e.source, (timersOf.get(e.source) ?? new Set()).add(e.timer));
  }
  const qualifyRegisters = accessSources.size > 1;
  const charOf = new Map<string, string>();
  const values: Record<string, string> = {};
  const instants: Instant[] = [];
  for (const e of kept) {
    const timerNames = (timersOf.get(e.source)?.size ?? 0) > 1;
    const label = marbleLabel(e, { registerName: options.registerName, qualifyRegisters, timerNames });
    let c = charOf.get(label);
    if (c === undefined) {
      c = MARBLE_CHARACTERS[charOf.size];
      if (c === undefined) {
        const rule = `more than ${MARBLE_CHARACTERS.length} distinct labels: narrow the window (from/to) or filter with include`;
        throw new MarbleDiagramError(label, rule, 'toMarbleDiagram(events)');
      }
      charOf.set(label, c);
      values[c] = label;
    }
    const last = instants[instants.length - 1];
    if (last !== undefined && last.time === e.time) last.chars.push(c);
    else instants.push({ time: e.time, chars: [c] });
  }

  // The largest frame size at which every group fits before the next instant.
  let fit = Number.POSITIVE_INFINITY;
  let tightest: readonly [Instant, Instant] | undefined;
  for (let i = 1; i < instants.length; i++) {
    const a = instants[i - 1]!;
    const b = instants[i]!;
    const cap = Math.floor((b.time - a.time) / groupLength(a));
    if (cap < fit) [fit, tightest] = [cap, [a, b]];
  }
  // Every frame size that keeps each instant on a frame divides this (0: a single instant, at `from`).
  const offsetsGcd = instants.reduce((g, i) => gcd(g, i.time - from), 0);
  const widest = largestDivisorAtMost(Math.max(offsetsGcd, 1), Math.max(fit, 1));
  /** The groups at the tightest gap do not fit at `ns` per frame (the caller's), or at any (`undefined`). */
  const tooClose = (ns: number | undefined): MarbleDiagramError => {
    const [a, b] = tightest!;
    const hint = fit < 1
      ? 'they are too close even at 1 ns per frame: narrow the window (from/to) or filter with include'
      : `use nsPerFrame ${widest} or smaller (a divisor of ${offsetsGcd}), or narrow the window`;
    const rule = `the group at ${a.time} ns takes ${groupLength(a)} frames, but the next instant is ${b.time - a.time} ns later: ${hint}`;
    return ns === undefined ? new MarbleDiagramError(b.time, rule, 'toMarbleDiagram(events)') : new MarbleDiagramError(ns, rule, 'toMarbleDiagram(nsPerFrame)');
  };
  let nsPerFrame: number;
  if (givenNsPerFrame === undefined) {
    if (fit < 1) throw tooClose(undefined);
    nsPerFrame = widest;
  } else {
    nsPerFrame = givenNsPerFrame;
    const off = instants.find((i) => (i.time - from) % nsPerFrame !== 0);
    if (off !== undefined) {
      throw new MarbleDiagramError(
        nsPerFrame,
        `the instant ${off.time} ns is not a whole number of frames from ${from} ns: use a divisor of ${offsetsGcd}`,
        'toMarbleDiagram(nsPerFrame)',
      );
    }
    if (nsPerFrame > fit) throw tooClose(nsPerFrame);
  }

  const lastInstant = instants[instants.length - 1]!;
  const frames = (lastInstant.time - from) / nsPerFrame + groupLength(lastInstant);
  if (frames > maxFrames) {
    const rule = `the diagram would span more than maxFrames (${maxFrames}) frames at ${nsPerFrame} ns per frame: narrow the window (from/to), filter with include, or raise maxFrames`;
    throw new MarbleDiagramError(frames, rule, 'toMarbleDiagram(events)');
  }

  let marble = '';
  for (const instant of instants) {
    const frame = (instant.time - from) / nsPerFrame;
    marble += '-'.repeat(frame - marble.length);
    marble += instant.chars.length === 1 ? instant.chars[0]! : `(${instant.chars.join('')})`;
  }

  const legend = Object.entries(values).map(([c, label]) => `//   ${c}  ${label.replace(/\s*[\r\n]+\s*/g, ' ')}`);
  const text = [`// 1 frame = ${nsPerFrame} ns, frame 0 = ${from} ns`, `const expected = '${marble}';`, ...legend].join('\n');
  return { marble, values, nsPerFrame, from, text };
};
