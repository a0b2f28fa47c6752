/**
 * A minimal interrupt controller: N interrupt inputs (N = 1..32), one output.
 *
 * What it models: no particular part (there is no TRM); the common core of
 * simple SoC interrupt combiners: a pending register, an enable mask, a
 * masked status register, and an output that is high while any enabled input
 * is pending. Registers (32-bit, 4-byte accesses only; bit i is input i):
 *
 * | offset | name    | access | meaning                                                  |
 * |--------|---------|--------|----------------------------------------------------------|
 * | 0x00   | PENDING | rw/w1c | level inputs: the input's level now; edge inputs: latched |
 * | 0x04   | ENABLE  | rw     | 1 = the input may drive the output (reset 0: all masked)  |
 * | 0x08   | STATUS  | ro     | PENDING & ENABLE                                          |
 *
 * Output = (STATUS != 0), computed in `updateIrq` only. A guest driver's ISR
 * reads STATUS, takes the lowest set bit as the source, clears the cause at
 * the source device (level input) or writes that bit to PENDING (edge input).
 *
 * Not modelled: priorities, vectors, nesting, per-CPU targets, software-set
 * pending, polarity. Their registers do not exist: accessing any other
 * offset is an `unmapped` guest error (read 0, nothing changes), as is a
 * write to STATUS (`read-only`) or a 1- or 2-byte access (`bad-size`).
 *
 * Ambiguities, resolved (each pinned by a test in
 * test/irq/InterruptController.spec.ts):
 * - Inputs are level-sensitive unless listed in `edge`. A level input's
 *   PENDING bit is its level at every instant: it cannot be latched or
 *   cleared from here (a 1 written to it has no lasting effect while the line
 *   is high). ("level input: PENDING follows the line")
 * - An edge input latches each rising edge (a `pulse()` too) until the guest
 *   writes 1 to its PENDING bit; a line already high when the controller is
 *   created, reset or restored is not an edge. ("edge input: …")
 * - PENDING does not depend on ENABLE: enabling an input that is already
 *   pending raises the output at once. ("enable mask")
 * - ENABLE bits of absent inputs read as 0 and ignore writes, so a driver can
 *   count the inputs by writing all ones and reading back. ("ENABLE: bits …")
 * - Level changes propagate synchronously: the output follows an input inside
 *   the input's own change (G1), so no access sees an input raised and the
 *   output not. ("propagates synchronously")
 * - The output is a line like any device's: its changes are on the line
 *   (`watch`, `level$`, `irqEvents`), not among the controller's own events,
 *   so a system that traces device lines records each change once.
 *   ("the output's changes are on its line")
 * - `reset()` clears ENABLE and the edge latches and re-samples the level
 *   inputs; `restore()` loads ENABLE and the edge latches and re-samples the
 *   level inputs too (the lines belong to their devices, which restore them).
 */
import type { Observable, SchedulerLike } from 'rxjs';
import {
  bits,
  defineRegisterMap,
  DeviceConfigError,
  EventOutlet,
  reg32,
  RegisterBank,
  registerHandle,
  registerInfoOf,
  parseSnapshot,
  refuseSnapshot,
  type AccessSize,
  type Device,
  type DeviceProbe,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
} from '../bus';
import type { TraceEvent } from '../trace/TraceEvent';
import type { TraceSink } from '../trace/TraceSink';
import { IrqLine, type IrqSignal } from './IrqLine';
import { IRQ_SIGNAL_RULE, isIrqSignal } from './isIrqSignal';

const REGISTERS = defineRegisterMap({
  /** 0x00: inputs pending (level inputs: the level now; edge inputs: latched until the guest writes 1). */
  PENDING: reg32(0x00, {
    /** Bit i: input i is pending; writing 1 clears an edge input's latch. */
    SRC: bits(0, 32, 'w1c'),
  }),
  /** 0x04: bit i = 1 lets input i drive the output (reset 0: all masked). */
  ENABLE: reg32(0x04),
  /** 0x08: PENDING & ENABLE, read-only; the output is high while it is not 0. */
  STATUS: reg32(0x08, {}, { access: 'ro' }),
});

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(REGISTERS);
// Looked up once: the output is recomputed at every change of an input (#19).
const PENDING = registerHandle(REGISTERS, 'PENDING');
const ENABLE = registerHandle(REGISTERS, 'ENABLE');
const STATUS = registerHandle(REGISTERS, 'STATUS');

/** A controller has no counter: no probes. */
const NO_PROBES: readonly DeviceProbe[] = Object.freeze([]);

/** Options of {@link InterruptController}. */
export interface InterruptControllerOptions {
  /** Device name: the `source` of its events and the name of its output line (default `'intc'`). */
  readonly name?: string;
  /** Indices of the inputs that are edge-triggered (latched on a rising edge); the others are level-sensitive. */
  readonly edge?: readonly number[];
  /** Also receives every event the controller originates (its guest errors), synchronously. */
  readonly sink?: TraceSink;
}

/**
 * A minimal interrupt controller device (see the module header for its
 * registers and contract): combines up to 32 input lines into one output,
 * through a pending register and an enable mask.
 *
 * Ordering: G1: an input's change reaches PENDING, STATUS and the output
 * synchronously, inside the input's own emission, so a device's callback that
 * raises its line is seen by the next guest access to the controller.
 *
 * ## Example
 * ```ts
 * const timer0 = new IrqLine('timer0');
 * const uart0 = new IrqLine('uart0');
 * const intc = new InterruptController(clock, [timer0, uart0]);
 * intc.write(0x04, 4, 0b11); // ENABLE both
 * uart0.raise();             // intc.output.level === true
 * intc.read(0x08, 4);        // STATUS: 0b10 -> source is input 1 (uart0)
 * uart0.lower();             // the driver cleared it at the UART: output low
 * ```
 *
 * @see IrqLine for the inputs.
 */
export class InterruptController implements Device {
  /**
   * @param scheduler - virtual time, read to stamp events
   * @param inputs - the input lines; input i is bit i of every register
   * @param options - name, edge-triggered inputs, sink
   * @throws DeviceConfigError for no inputs or more than 32, an input that is
   *   not an IrqSignal, or an `edge` index that is not an input or repeats
   */
  constructor(scheduler: SchedulerLike, inputs: readonly IrqSignal[], options: InterruptControllerOptions = {}) {
    const what = 'InterruptController';
    checkInputs(inputs, what);
    const edge = options.edge ?? [];
    edge.forEach((index, i) => {
      if (!Number.isSafeInteger(index) || index < 0 || index >= inputs.length) {
        throw new DeviceConfigError(index, `must be the index of an input, 0 to ${inputs.length - 1}`, `${what}(edge[${i}])`);
      }
      if (edge.indexOf(index) !== i) throw new DeviceConfigError(index, 'must not repeat an input', `${what}(edge[${i}])`);
    });

    this.name = options.name ?? 'intc';
    if (options.sink !== undefined) this.outlet.connect(options.sink);
    this.inputCount = inputs.length;
    this.inputMask = 2 ** inputs.length - 1;
    this.edgeMask = edge.reduce((m, index) => m + 2 ** index, 0);
    this.out = new IrqLine(this.name);
    this.lines = Object.freeze({ output: this.out });
    this.bank = new RegisterBank(REGISTERS, {
      name: this.name,
      scheduler,
      sink: this.outlet,
      hooks: {
        PENDING: { write: () => this.updateIrq() },
        ENABLE: {
          write: (value) => {
            this.bank.set('ENABLE', (value & this.inputMask) >>> 0);
            this.updateIrq();
          },
        },
      },
    });
    this.events$ = this.outlet.events$;
    this.levels = inputs.reduce((m, input, i) => (input.level ? m + 2 ** i : m), 0);
    // Synchronous listeners, whatever the signal (a device's line, an OR, another controller's output).
    this.unwatch = inputs.map((input, i) => input.watch((level) => this.onInput(i, level)));
    this.updateIrq();
  }

  // ---- Device ------------------------------------------------------------------

  /** A guest load (see the module header for the registers). */
  read(offset: number, size: AccessSize): number {
    return this.bank.read(offset, size);
  }

  /** A guest store (see the module header for the registers). */
  write(offset: number, size: AccessSize, value: number): void {
    this.bank.write(offset, size, value);
  }

  /** ENABLE and the edge latches to 0, level inputs re-sampled; the output follows. */
  reset(): void {
    this.bank.reset();
    this.updateIrq();
  }

  /** ENABLE, PENDING (edge latches) and STATUS as plain, versioned data. */
  snapshot(): RegisterBankSnapshot {
    return this.bank.snapshot();
  }

  /**
   * Loads a snapshot: ENABLE and the edge latches from it; the level inputs'
   * PENDING bits (and STATUS) are recomputed from the lines as they are now
   * (the lines belong to their devices, which restore them). All or nothing:
   * everything is checked before anything changes.
   * @throws RegisterSnapshotError (with the full path of the field at fault)
   *   for anything `RegisterBank.restore` refuses (a field the format does not
   *   have, a `device` that is not this controller's name, …), ENABLE/PENDING
   *   bits set for inputs that do not exist, or a STATUS that is not
   *   PENDING & ENABLE
   */
  restore(snapshot: unknown): void {
    const { registers } = parseSnapshot(this.bank.snapshotSchema, snapshot);
    for (const name of ['PENDING', 'ENABLE'] as const) {
      const value = registers[name]!;
      if ((value & ~this.inputMask) !== 0) {
        refuseSnapshot(`registers.${name}`, value, `must not set bits of absent inputs (this controller has ${this.inputCount})`);
      }
    }
    const status = (registers['PENDING']! & registers['ENABLE']!) >>> 0;
    if (registers['STATUS'] !== status) {
      refuseSnapshot('registers.STATUS', registers['STATUS'], `must be registers.PENDING & registers.ENABLE (${status}): the controller computes it`);
    }
    this.bank.restore(snapshot);
    this.updateIrq();
  }

  // ---- lines -------------------------------------------------------------------

  /** The output: high while any enabled input is pending. Feed it to a CPU model or to another controller. */
  get output(): IrqSignal {
    return this.out;
  }

  /** The output's level: current level on subscription, then each change. */
  get irq$(): Observable<boolean> {
    return this.out.level$;
  }

  /** The output line by local name: `output` is {@link InterruptController.output}. */
  readonly lines: Readonly<{
    /** The same line as {@link InterruptController.output}. */
    output: IrqSignal;
  }>;
  /** None: the controller has no counter (its registers are plain state, read with `read`). */
  readonly probes: readonly DeviceProbe[] = NO_PROBES;
  /** The registers of {@link InterruptController.REGISTERS} (PENDING, ENABLE, STATUS), in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  /**
   * Connects a synchronous sink that receives every later event the
   * controller originates (its guest errors), inside the access that caused it.
   * @param sink - the sink
   * @returns a function that disconnects it
   */
  traceTo(sink: TraceSink): () => void {
    return this.outlet.connect(sink);
  }

  /**
   * Stops following the inputs (the output keeps its level) and completes
   * `events$`. For a controller that is thrown away while its inputs live on.
   */
  dispose(): void {
    const stops = this.unwatch;
    this.unwatch = [];
    for (const stop of stops) stop();
    this.outlet.close();
  }

  // ---- private -----------------------------------------------------------------

  /** An input changed level (a pulse arrives as high then low). */
  private onInput(index: number, level: boolean): void {
    const bit = 2 ** index;
    const was = (this.levels & bit) !== 0;
    this.levels = (level ? this.levels | bit : this.levels & ~bit) >>> 0;
    if (level && !was && (this.edgeMask & bit) !== 0) {
      this.bank.setAt(PENDING, (this.bank.getAt(PENDING) | bit) >>> 0);
    }
    this.updateIrq();
  }

  /** The one place the output level is computed (STYLE.md 18): PENDING from the lines and latches, STATUS, output. */
  private updateIrq(): void {
    const pending = ((this.bank.getAt(PENDING) & this.edgeMask) | (this.levels & ~this.edgeMask & this.inputMask)) >>> 0;
    this.bank.setAt(PENDING, pending);
    const status = (pending & this.bank.getAt(ENABLE)) >>> 0;
    this.bank.setAt(STATUS, status);
    this.out.set(status !== 0);
  }

  /** The register map (shared by every instance). */
  static readonly REGISTERS = REGISTERS;
  readonly name: string;
  /** Guest errors (from the register bank), in order. Hot; completes at {@link InterruptController.dispose}. The output's changes are on {@link InterruptController.output}. */
  readonly events$: Observable<TraceEvent>;
  private readonly outlet = new EventOutlet();
  private readonly bank: RegisterBank<RegisterShapeOf<typeof REGISTERS>>;
  private readonly out: IrqLine;
  /** Stops each input's listener. */
  private unwatch: readonly (() => void)[];
  private readonly inputCount: number;
  /** Bit i set: input i exists. */
  private readonly inputMask: number;
  /** Bit i set: input i is edge-triggered. */
  private readonly edgeMask: number;
  /** The inputs' levels as last seen, bit i = input i. */
  private levels: number;
}

/** Our caller's inputs: 1 to 32 IrqSignals. */
const checkInputs = (inputs: unknown, what: string): void => {
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > 32) {
    throw new DeviceConfigError(
      Array.isArray(inputs) ? inputs.length : inputs,
      'must be 1 to 32 input lines (one bit each of 32-bit registers)',
      `${what}(inputs.length)`,
    );
  }
  inputs.forEach((input: unknown, i) => {
    if (!isIrqSignal(input)) {
      throw new DeviceConfigError(input, IRQ_SIGNAL_RULE, `${what}(inputs[${i}])`);
    }
  });
};
