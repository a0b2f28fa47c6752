import type { AccessSize } from '../shared/AccessSize';
import type { GuestErrorReason } from '../shared/GuestErrorReason';
import {
  buildCheckedEvent,
  canonicalTraceEvent,
  CHECKED_FIELD_TYPES,
  checkTraceEvent,
  hashAccess,
  hashAccessAfterHead,
  hashCheckedEvent,
  hashIrq,
  hashIrqAfterHead,
  lineHeadText,
  hashTraceEvent,
  isCheckedAccess,
  isCheckedIrq,
  type CheckedEvent,
  type CheckedKind,
} from './canonicalTraceEvent';
import type { TraceFormatContext } from './errors';
import { TraceFormatError } from './errors';
import { describeValue } from '../shared/describeValue';
import { ArgumentError } from '../shared/ArgumentError';
import { Fnv1a64 } from './Fnv1a64';
import { Fnv1a64Text } from './Fnv1a64Text';
import type { TraceEvent } from './TraceEvent';
import { accessEventOf, type TraceSink } from './TraceSink';

/**
 * A trace recorder: keeps every event recorded, in order, and exports them
 * as JSON lines with a digest for determinism checks.
 *
 * Each event is checked when it is recorded and stored in canonical form
 * (see {@link canonicalTraceEvent}): a frozen copy with its keys in a fixed
 * order and a mark's `data` made JSON-safe (bigints as decimal strings, keys
 * sorted). So the export depends only on the events' contents, never on how
 * their objects were built, later changes to the recorded objects do not
 * alter the trace, and `Trace.fromJsonLines(t.toJsonLines()).events` equals
 * `t.events`.
 *
 * Export format (`toJsonLines`): one event per line as compact JSON (no
 * spaces), keys in the order `time`, `source`, `kind`, then the kind's
 * fields as declared in its interface; absent optional fields are left out;
 * every line, the last included, ends with `'\n'`; an empty trace is `''`.
 *
 * Memory: the events are kept in compact columns (five typed arrays over
 * one buffer per chunk of events, and one table of the distinct strings),
 * 28 bytes an event whatever its kind, rather than one object each (a long
 * traced run records millions); a mark keeps its object, since its `data`
 * is any JSON, and so does an event with a number too large for its
 * column (an access's offset from 2^31 on: none a device maps). The event objects
 * of {@link Trace.events} are made when it is first read after recording,
 * and kept from then on.
 *
 * Ordering: records events in call order; equal traces across runs rely on
 * G4 (same inputs, same order of events).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const trace = new Trace();
 * const irq = new IrqLine('irq0');
 * irqEvents(irq, clock).subscribe((e) => trace.record(e));
 * clock.schedule(() => irq.raise(), 100);
 * clock.advanceBy(200);
 * trace.toJsonLines(); // '{"time":100,"source":"irq0","kind":"irq","level":true}\n'
 * ```
 *
 * @see TraceDigest to check long runs without keeping the events
 */
export class Trace implements TraceSink {
  /** How many events are recorded. */
  private n = 0;
  /** Room for this many events in `chunks`. */
  private capacity = INITIAL_CAPACITY;
  /** Event i is at `i & MASK` in chunk `i >>> SHIFT`: the first grows by doubling up to {@link CHUNK} events, the others hold that many (no copying of a long trace). */
  private readonly chunks: Chunk[] = [new Chunk(INITIAL_CAPACITY)];
  /** Every distinct string of the events, once, and its index. */
  private readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  /** The events kept as objects (marks), by index. */
  private readonly kept = new Map<number, TraceEvent>();
  /** The event objects made so far (see {@link Trace.events}). */
  private readonly made: TraceEvent[] = [];
  /** The digest of the first `hashed` events: {@link Trace.digest} hashes only what was recorded since it last ran. */
  private hash = new Fnv1a64();
  private hashed = 0;
  /** The row {@link Trace.open} opened last, in its chunk. */
  private row = 0;
  /**
   * For {@link Trace.digest}, per source id and head code ({@link HEADS}:
   * read, write, irq low, irq high), the events hashed so far, then, past
   * {@link HEAD_AFTER}, the prepared head of the line (see `lineHeadText`).
   */
  private headUses = new Int32Array(0);
  private readonly heads: (Fnv1a64Text | undefined)[] = [];
  /** The string {@link Trace.idOf} was last asked for, and its id. */
  private lastText: string | undefined = undefined;
  private lastId = 0;

  /**
   * The events recorded so far, in order, each in canonical form and frozen.
   * The same array every time, brought up to date when read (an array held
   * from an earlier read gets the events recorded since at the next read).
   */
  get events(): readonly TraceEvent[] {
    const { made, n } = this;
    for (let i = made.length; i < n; i++) {
      const c = this.chunks[i >>> SHIFT]!;
      const k = i & MASK;
      const head = c.heads[k]!;
      const code = head & CODE_MASK;
      made.push(code === KEPT ? this.kept.get(i)! : buildCheckedEvent(CODES[code]!, c.times[k]!, this.strings[head >>> SOURCE_SHIFT]!, this.decode(c, k, code)));
    }
    return made;
  }

  /** How many events are recorded (without building them, as {@link Trace.events} does). */
  get length(): number {
    return this.n;
  }

  /**
   * Takes back the events from index `length` on, as if they had never been
   * recorded (a rewound run: an explorer's fork whose predicates read the
   * trace, or a checkpoint's rewind in a test). The strings those events
   * used stay interned (nothing refers to them), and a digest taken past
   * `length` starts over.
   *
   * ## Example
   * ```ts
   * const mark = trace.length;
   * system.run(until);
   * checkpoint.rewind();
   * trace.truncate(mark); // the trace as it was at the checkpoint
   * ```
   *
   * @param length - how many events to keep (0 to {@link Trace.length})
   * @throws ArgumentError for a length that is not a whole number up to the events recorded
   */
  truncate(length: number): void {
    if (!Number.isSafeInteger(length) || length < 0 || length > this.n) {
      throw new ArgumentError('Trace.truncate(length)', length, `must be a whole number from 0 to the ${this.n} events recorded`);
    }
    if (length === this.n) return;
    for (const i of this.kept.keys()) if (i >= length) this.kept.delete(i);
    if (this.made.length > length) this.made.length = length;
    if (this.hashed > length) {
      this.hash = new Fnv1a64();
      this.hashed = 0;
    }
    this.n = length;
  }

  /**
   * Records one event after the others.
   * @param event - the event (any key order; see {@link canonicalTraceEvent} for the rules)
   * @throws TraceFormatError naming the event's position (the line it would
   *   take in the export) and the field, for an event that breaks the format;
   *   nothing is recorded then
   */
  record(event: TraceEvent): void {
    this.add(event, this.n + 1, 'event');
  }

  /**
   * {@link TraceSink.recordAccess}: the access event's fields go straight
   * into the columns (no event object to check and take apart).
   */
  recordAccess(time: number, source: string, kind: 'read' | 'write', offset: number, size: AccessSize, value: number, error: GuestErrorReason | undefined): void {
    if (!isCheckedAccess(time, source, offset, size, value, error) || offset > MAX_INT32) {
      // An error to throw, or an offset too large for its column: what record does.
      this.record(accessEventOf(time, source, kind, offset, size, value, error));
      return;
    }
    const c = this.open(time, source, kind === 'read' ? READ : WRITE);
    if (c === undefined) {
      this.record(accessEventOf(time, source, kind, offset, size, value, error));
      return;
    }
    const k = this.row;
    c.b[k] = offset;
    c.nums[k] = value + 0;
    c.c[k] = size | (error === undefined ? 0 : (this.idOf(error) + 1) << 4);
  }

  /**
   * Records the irq event `{ time, source, kind: 'irq', level }` given as its
   * fields, as {@link Trace.recordAccess} does an access (a system's
   * recorder records its lines' changes this way).
   */
  recordIrq(time: number, source: string, level: boolean): void {
    const c = isCheckedIrq(time, source, level) ? this.open(time, source, IRQ) : undefined;
    // An error to throw (or a source past the column's ids): what record does.
    if (c === undefined) this.record({ time, source, kind: 'irq', level });
    else c.b[this.row] = level ? 1 : 0;
  }

  /**
   * Adds a row for an event given as fields, with its time, source and kind
   * code set; the caller fills its fields at {@link Trace.row}. Undefined
   * (and nothing added) when the source's id does not fit its column.
   */
  private open(time: number, source: string, code: number): Chunk | undefined {
    const id = this.idOf(source);
    if (id > MAX_SOURCE) return undefined;
    const i = this.n;
    if (i === this.capacity) this.grow();
    const c = this.chunks[i >>> SHIFT]!;
    const k = i & MASK;
    // `+ 0`: a negative zero is stored as 0, as the checked path normalises it.
    c.times[k] = time + 0;
    c.heads[k] = (id << SOURCE_SHIFT) | code;
    this.row = k;
    this.n = i + 1;
    return c;
  }

  /** Checks `event` and stores it (nothing when it is refused). */
  private add(event: unknown, line: number, context: TraceFormatContext): void {
    const checked = checkTraceEvent(event, line, context);
    if (checked !== undefined && this.fits(checked)) {
      const { kind, values } = checked;
      const code = CODE_OF[kind];
      const c = this.open(checked.time, checked.source, code)!;
      const k = this.row;
      const types = CHECKED_FIELD_TYPES[kind];
      const slots = SLOTS[code]!;
      let low = 0;
      for (let j = 0; j < types.length; j++) {
        const value = values[j];
        if (value === undefined) continue; // an absent optional: its slot stays 0
        const v = types[j] === 'number' ? (value as number) : types[j] === 'string' ? this.idOf(value as string) : value === true ? 1 : 0;
        const slot = slots[j]!;
        if (slot === NUM) c.nums[k] = v;
        else if (slot === B) c.b[k] = v;
        else if (slot === C_LOW) low |= v;
        else low |= (v + 1) << 4;
      }
      c.c[k] = low;
      return;
    }
    // A mark, an event too large for the columns (or an error to throw): the canonical copy, kept as it is.
    const copy = checked === undefined ? canonicalTraceEvent(event, line, context) : buildCheckedEvent(checked.kind, checked.time, checked.source, checked.values);
    const i = this.n;
    if (i === this.capacity) this.grow();
    this.kept.set(i, copy);
    this.chunks[i >>> SHIFT]!.heads[i & MASK] = KEPT;
    this.n = i + 1;
  }

  /** Whether a checked event's values fit their columns (see {@link SLOTS}): its source's id, a number in an int32 slot, an id in a packed one. */
  private fits(checked: CheckedEvent): boolean {
    if ((this.ids.get(checked.source) ?? this.strings.length) > MAX_SOURCE) return false;
    const code = CODE_OF[checked.kind];
    const types = CHECKED_FIELD_TYPES[checked.kind];
    const slots = SLOTS[code]!;
    for (let j = 0; j < types.length; j++) {
      const value = checked.values[j];
      // Every string takes at most one new id: counted as if each were new.
      if (slots[j] === B && types[j] === 'number' && (value as number) > MAX_INT32) return false;
      if (slots[j] === C_HIGH && this.strings.length + j >= MAX_PACKED) return false;
    }
    return true;
  }

  private idOf(text: string): number {
    // Most events come from the source of the one before (a guest's accesses in a row).
    if (text === this.lastText) return this.lastId;
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.ids.set(text, id);
    }
    this.lastText = text;
    this.lastId = id;
    return id;
  }

  /** The fields of the event at `k` in chunk `c` (of checked kind `code`), in export order, in a shared array. */
  private decode(c: Chunk, k: number, code: number): readonly unknown[] {
    const types = CHECKED_FIELD_TYPES[CODES[code]!];
    const slots = SLOTS[code]!;
    const out = scratch;
    const packed = c.c[k]!;
    for (let j = 0; j < types.length; j++) {
      const slot = slots[j]!;
      const v = slot === NUM ? c.nums[k]! : slot === B ? c.b[k]! : slot === C_LOW ? packed & 0xf : (packed >>> 4) - 1;
      out[j] = v === -1 ? undefined : types[j] === 'number' ? v : types[j] === 'string' ? this.strings[v] : v === 1;
    }
    for (let j = types.length; j < MAX_FIELDS; j++) out[j] = undefined;
    return out;
  }

  private grow(): void {
    const { chunks } = this;
    if (this.capacity < CHUNK) {
      const capacity = this.capacity * 2;
      chunks[0] = chunks[0]!.copy(capacity);
      this.capacity = capacity;
    } else {
      chunks.push(new Chunk(CHUNK));
      this.capacity += CHUNK;
    }
  }

  /**
   * The recorded events of one kind, optionally from one source, in order.
   * @param kind - the event kind, e.g. `'irq'`
   * @param source - if given, only events whose `source` is this name
   * @returns a new array, typed by the kind
   */
  of<K extends TraceEvent['kind']>(
    kind: K,
    source?: string,
  ): (TraceEvent & {
    /** The requested kind. */
    readonly kind: K;
  })[] {
    return this.events.filter(
      (e): e is TraceEvent & { readonly kind: K } => e.kind === kind && (source === undefined || e.source === source),
    );
  }

  /**
   * The trace as JSON lines (format in the class doc). Equal traces give
   * equal strings, byte for byte.
   */
  toJsonLines(): string {
    let text = '';
    for (const event of this.events) text += `${JSON.stringify(event)}\n`;
    return text;
  }

  /**
   * FNV-1a 64 of the UTF-8 bytes of {@link Trace.toJsonLines}, as 16
   * lower-case hex digits; the same value a {@link TraceDigest} given the
   * same events reports.
   */
  digest(): string {
    // Each event is hashed once, from its columns (checked when recorded), however often this is asked.
    const { n, hash } = this;
    for (let i = this.hashed; i < n; i++) {
      const c = this.chunks[i >>> SHIFT]!;
      const k = i & MASK;
      const head = c.heads[k]!;
      const code = head & CODE_MASK;
      // The most frequent kinds straight from their columns.
      if (code === READ || code === WRITE) {
        const packed = c.c[k]!;
        const error = packed >>> 4;
        const text = this.headOf(head >>> SOURCE_SHIFT, code === READ ? 0 : 1);
        if (text !== undefined) hashAccessAfterHead(hash, c.times[k]!, text, c.b[k]!, packed & 0xf, c.nums[k]!, error === 0 ? undefined : this.strings[error - 1]);
        else hashAccess(hash, c.times[k]!, this.strings[head >>> SOURCE_SHIFT]!, code === READ ? 'read' : 'write', c.b[k]!, packed & 0xf, c.nums[k]!, error === 0 ? undefined : this.strings[error - 1]);
      } else if (code === IRQ) {
        const level = c.b[k] === 1;
        const text = this.headOf(head >>> SOURCE_SHIFT, level ? 3 : 2);
        if (text !== undefined) hashIrqAfterHead(hash, c.times[k]!, text);
        else hashIrq(hash, c.times[k]!, this.strings[head >>> SOURCE_SHIFT]!, level);
      }
      else if (code === KEPT) hashTraceEvent(this.kept.get(i), hash, i + 1, 'event');
      else hashCheckedEvent(hash, CODES[code]!, c.times[k]!, this.strings[head >>> SOURCE_SHIFT]!, this.decode(c, k, code));
    }
    this.hashed = n;
    return hash.hex();
  }

  /**
   * The prepared head of source `id`'s lines of head code `h` (see
   * {@link Trace.heads}), once {@link HEAD_AFTER} of them were hashed as
   * bytes: a source with many events (a device's accesses) then costs one
   * step for its name and kind, one with few no table.
   */
  private headOf(id: number, h: number): Fnv1a64Text | undefined {
    const key = id * HEADS + h;
    const text = this.heads[key];
    if (text !== undefined) return text;
    let uses = this.headUses;
    if (key >= uses.length) {
      uses = new Int32Array(Math.max(64, 2 * (key + 1)));
      uses.set(this.headUses);
      this.headUses = uses;
    }
    if (++uses[key]! < HEAD_AFTER) return undefined;
    const source = this.strings[id]!;
    return (this.heads[key] = Fnv1a64Text.of(h === 0 ? lineHeadText(source, 'read') : h === 1 ? lineHeadText(source, 'write') : lineHeadText(source, 'irq', h === 3)));
  }

  /**
   * Reads a trace back from JSON lines, e.g. to replay or compare a run.
   * Accepts what {@link Trace.toJsonLines} writes, and also any key order and
   * JSON whitespace within a line, `'\r\n'` line ends, and a last line
   * without `'\n'`. Each line must hold exactly one event: blank lines are
   * errors.
   *
   * @param text - the JSON lines
   * @returns a trace holding the events in the order of the lines
   * @throws TraceFormatError naming the 1-based line and the field: for a line
   *   that is not JSON (field `'(json)'`, with the parser's error as
   *   `cause`), not an object (`'(root)'`), or whose event has an unknown
   *   kind, a missing or unknown field, or a field of the wrong type or range
   */
  static fromJsonLines(text: string): Trace {
    if (typeof text !== 'string') {
      throw new TraceFormatError(undefined, '(text)', text, 'must be a string of JSON lines');
    }
    const trace = new Trace();
    if (text === '') return trace;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, i) => {
      const number = i + 1;
      if (line.trim() === '') {
        throw new TraceFormatError(number, '(json)', line, 'the line is blank; each line must hold one event');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        const reason = error instanceof Error ? error.message : describeValue(error);
        throw new TraceFormatError(number, '(json)', line, `must be valid JSON (${reason})`, 'line', error);
      }
      trace.add(parsed, number, 'line');
    });
    return trace;
  }
}

const INITIAL_CAPACITY = 64;
/** Events per chunk of a long trace (a power of two). */
const SHIFT = 14;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** The checked kinds, by their code in the `kinds` column. */
const CODES = Object.keys(CHECKED_FIELD_TYPES) as CheckedKind[];
const CODE_OF = Object.fromEntries(CODES.map((kind, i) => [kind, i])) as Record<CheckedKind, number>;
const READ = CODE_OF.read;
const WRITE = CODE_OF.write;
const IRQ = CODE_OF.irq;
/** Head codes per source (see `Trace.heads`): read, write, irq low, irq high. */
const HEADS = 4;
/** Lines of a source and head hashed as bytes before its head is prepared (the table costs about as much as hashing that many heads). */
const HEAD_AFTER = 256;
/** The code of an event kept as an object. */
const KEPT = 255;
/** A row's head: its source's id above {@link SOURCE_SHIFT} bits, its kind's code (or {@link KEPT}) below. */
const SOURCE_SHIFT = 8;
const CODE_MASK = 0xff;
/** The largest source id a head holds (an int32 read as unsigned: 2^24 - 1). */
const MAX_SOURCE = 2 ** (32 - SOURCE_SHIFT) - 1;
const MAX_INT32 = 0x7fffffff;
/** The ids a packed slot holds (plus one, above 4 bits: below 2^28). */
const MAX_PACKED = 2 ** 27;
/** The most fields a checked kind has. */
const MAX_FIELDS = Math.max(...Object.values(CHECKED_FIELD_TYPES).map((types) => types.length));
/** {@link Trace}'s decoded fields (one event's at a time). */
const scratch: unknown[] = [];

/**
 * Where each field of a checked kind is kept, by code: `NUM` a float64 (any
 * safe integer, id or boolean); `B` an int32 (an id, a boolean, a number
 * up to 2^31 - 1); `C_LOW` the low 4 bits of an int32 (an access size);
 * `C_HIGH` the rest of that int32, an id plus one (0 for an absent
 * optional). Each kind uses each slot at most once.
 */
const NUM = 0;
const B = 1;
const C_LOW = 2;
const C_HIGH = 3;
const SLOTS_OF: Readonly<Record<CheckedKind, readonly number[]>> = {
  read: [B, C_LOW, NUM, C_HIGH], // offset, size, value, error
  write: [B, C_LOW, NUM, C_HIGH],
  'guest-error': [NUM, C_LOW, C_HIGH, B], // offset, size, reason, detail
  unimplemented: [NUM, B], // offset, feature
  expiry: [B, C_HIGH], // timer, cause
  trigger: [B, C_HIGH], // timer, delivery
  irq: [B], // level
  violation: [B], // message
};
const SLOTS = CODES.map((kind) => SLOTS_OF[kind]);

/**
 * Columns of up to a chunk's events (see `Trace.chunks`), 28 bytes an
 * event, as views of one buffer (one allocation per chunk).
 */
class Chunk {
  readonly times: Float64Array;
  /** The {@link NUM} slot. */
  readonly nums: Float64Array;
  /** Source id and kind code (see {@link SOURCE_SHIFT}). */
  readonly heads: Int32Array;
  /** The {@link B} slot. */
  readonly b: Int32Array;
  /** The {@link C_LOW} and {@link C_HIGH} slots. */
  readonly c: Int32Array;

  constructor(capacity: number) {
    const buffer = new ArrayBuffer(capacity * BYTES_PER_EVENT);
    this.times = new Float64Array(buffer, 0, capacity);
    this.nums = new Float64Array(buffer, 8 * capacity, capacity);
    this.heads = new Int32Array(buffer, 16 * capacity, capacity);
    this.b = new Int32Array(buffer, 20 * capacity, capacity);
    this.c = new Int32Array(buffer, 24 * capacity, capacity);
  }

  /** A chunk of `capacity` events holding this one's. */
  copy(capacity: number): Chunk {
    const c = new Chunk(capacity);
    c.times.set(this.times);
    c.nums.set(this.nums);
    c.heads.set(this.heads);
    c.b.set(this.b);
    c.c.set(this.c);
    return c;
  }
}

const BYTES_PER_EVENT = 28;
