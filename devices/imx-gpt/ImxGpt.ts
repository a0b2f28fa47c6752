/**
 * NXP i.MX GPT (General Purpose Timer): a 32-bit up-counter with a 12-bit prescaler, three
 * output compare channels (OCR1–3), two input capture channels (ICR1–2) and a rollover flag; in
 * restart mode the compare on channel 1 sends the counter back to 0, in free-run mode it counts
 * on to 0xFFFFFFFF and rolls over.
 *
 * Manual: i.MX 6Dual/6Quad Applications Processor Reference Manual, IMX6DQRM, chapter "General
 * Purpose Timer (GPT)", as the field descriptions of NXP's i.MX6 platform SDK register headers
 * give it; the 24 MHz crystal path of the later SoCs (CR.EN_24M, PR.PRESCALER24M) as Linux's
 * "imx6dl" data, U-Boot and NXP's SDK program it (their manuals were not read). QEMU's `imx_gpt`
 * was a cross-check of behaviour only (no code); each departure from it is marked "QEMU:" below.
 *
 * Variants (`variant` option; one programming model each, the SoCs' differences as data):
 *
 * | variant | SoCs | CLKSRC 000 … 111 | crystal bits | QEMU types |
 * |---|---|---|---|---|
 * | `'imx31'` | i.MX25, 31, 35, 5x | none, ipg, ipgHighfreq, ext, then ipg32k for 1xx | none | `imx25.gpt`, `imx31.gpt` |
 * | `'imx6'` (default) | i.MX6Dual/Quad | none, ipg, ipgHighfreq, ext, ipg32k, osc ÷ 8, reserved, osc | none | `imx6.gpt` |
 * | `'imx6dl'` | i.MX6DL/S, 6SL, 6SX, 6UL/ULL, 7, 8M | none, ipg, ipgHighfreq, ext, ipg32k, osc ÷ (PRESCALER24M + 1) if CR.EN_24M, reserved, reserved | CR.EN_24M, PR.PRESCALER24M | `imx6ul.gpt`, `imx7.gpt`, `imx8mp.gpt` |
 *
 * (Linux binds the i.MX6UL and i.MX7 GPTs to its "imx6dl" data through `fsl,imx6sx-gpt`; the
 * i.MX6UL and i.MX7 differ only in what their clock controller feeds the inputs, which are this
 * model's ClockInputs.) A reserved CLKSRC value selects no clock. The `'imx31'` decoding of
 * 101–111 (the 32 kHz clock, as QEMU's `imx25.gpt` has it) was not checked against the i.MX25/31
 * manuals. QEMU: `imx31.gpt` has no clock
 * for 101–111; `imx6ul.gpt` has none for 101 (Linux and the 6UL manual select the crystal there);
 * `imx7.gpt`/`imx8mp.gpt` give 101 the crystal rate without EN_24M or PRESCALER24M (QEMU keeps
 * neither bit); its i.MX7 clock controller feeds ipg and ipgHighfreq at 0 Hz. QEMU also reads
 * CR.DBGEN, DOZEEN and EN_24M as 0 (it clears CR bits 2, 4 and 14:10 on every write) and keeps
 * only PR.PRESCALER; here they store as the manual says.
 *
 * Ports: clock inputs `ipg` (CLKSRC 001, the peripheral clock), `ipgHighfreq` (010, the high
 * frequency reference: the "per" clock in Linux), `ext` (011, the GPT_CLK pad; optional: absent,
 * that source has no clock), `ipg32k` (100) and `osc` (the 24 MHz crystal, ipg_clk_24M; optional
 * for `'imx6'`/`'imx6dl'`, refused for `'imx31'`); the counter rate is the source ÷ the variant's
 * crystal divider ÷ (PRESCALER + 1), applied with `setPeriodFromClock(hz, divisor)`. Input: the
 * two input capture pins, as {@link ImxGpt.capture} (X9). Output: `irq`, the one GPT interrupt (X8).
 * Timing: exact by default (`timing` option): a counter cycle is exactly divisor·10^9/hz ns. The
 * catalogue's 66 MHz ipg (15 5/33 ns), 24 MHz osc (41⅔ ns) and 32.768 kHz ipg32k are not whole ns
 * per cycle, so timings differ there: `timing: 'qemu'` reproduces QEMU's arithmetic (the source's
 * period at 2^-32 ns times the divider, each countdown floored to whole ns). Countdowns follow
 * one another without losing the fraction of a ns an edge falls at (see "Structure"), so a
 * restart-mode round of OCR1 + 1 cycles keeps exact time however many rounds run
 * (test/devices/catalogue.timing.spec.ts).
 * Options: all checked when the device is built (the kit's `checkDeviceOptions`): the inputs must
 * be ClockInputs, `variant` one of {@link IMX_GPT_VARIANTS}; a misspelt option, an empty name,
 * an unknown `delivery` or `timing` is a DeviceConfigError naming it.
 *
 * Not modelled (and what accessing it does):
 * - The output compare pins: CR.OM1–3 store and read back, a non-zero write is an
 *   `unimplemented` event (`CR.OM1`, …); CR.FO1–3 (force compare, a pin action that sets no
 *   flag) read 0, store nothing, and a write of 1 is an `unimplemented` event (`CR.FO1`, …).
 * - Wait, doze, stop and debug modes (WAITEN, DOZEEN, STOPEN, DBGEN): stored and read back, no
 *   effect (no low-power or debug state exists here).
 * - The input capture pins' synchronisation to ipg_clk and their levels: a capture is an edge
 *   given to {@link ImxGpt.capture}, taken at that instant (X9).
 * - The bus wait states of CR and OCR1 writes and the cycles SWR takes: writes act at once.
 *
 * Structure (decided): ONE PTimer counting counter cycles down to the next edge at which
 * something happens, as QEMU's one ptimer set to its next event. An *edge* ends a cycle; the
 * interesting ones are the edges leaving OCR1, OCR2, OCR3 (compare events, X1) and leaving
 * 0xFFFFFFFF (rollover). From the counter value c, the countdown runs to the edge leaving
 * `end` = the smallest of OCR1–3 and 0xFFFFFFFF that is at least c, `end - c + 1` cycles; while
 * it runs CNT = end + 1 - count (NO_COUNTER_ROUND_DOWN: c throughout the first cycle, `end` in
 * the last). At its expiry the edge's flags are set (OFn for each OCRn = end, ROV for
 * 0xFFFFFFFF) and the counter moves to `after(end)`: 0 for the restart at OCR1 (FRR = 0) and
 * for the rollover, else end + 1. A countdown's expiry is therefore the counter's step and its
 * flags in one expiry step (G1). While it counts under `sync` delivery the timer runs periodic
 * with the NEXT countdown's length as its reload value, so each countdown starts at the exact
 * instant the last one ended (its fraction of a ns included, in exact timing); the expiry only
 * plans the countdown after that one. Under the legacy `bottom-half` delivery each countdown
 * runs one-shot and its bottom half plans the next, as in QEMU (starting at the whole ns the
 * bottom half runs at). Stopped (EN 0 or no clock), the timer holds a count of 1 and `end` is
 * the frozen counter value. Its `expiry` trace events (the kit's, one per countdown) mark the
 * edges that end countdowns: compares and rollovers.
 * What a down-counting timer cannot do: shorten or lengthen a countdown in place. So an OCR
 * write while counting re-plans from the value CNT reads, starting a fresh cycle at the write
 * (X6).
 *
 * Ambiguities of the manual, and how they were decided (tests in test/devices/imx-gpt/, titles
 * start with the tag):
 * X1 Counting and compare timing. The counter steps up once per prescaled cycle. The manual
 *    generates a compare "when the counter value equals" OCRn, without saying at which edge;
 *    decided: the compare on channel n is the edge that ends a cycle spent at CNT = OCRn (CNT
 *    reads OCRn for one cycle,
 *    then OFn is set as it moves on: to 0 for channel 1 in restart mode, else OCRn + 1). So a
 *    restart-mode round is OCR1 + 1 cycles (NXP's Zephyr driver programs OCR1 = cycles - 1 and
 *    counts OCR1 + 1 cycles per wrap), and an OCR written equal to CNT still fires at the next
 *    edge (Linux's `set_next_event` treats that as in time: only a compare already passed is
 *    -ETIME). A read at an edge instant shows the value before the edge, except a read ordered
 *    after the expiry step of an edge that ends a countdown (a compare, a rollover), which shows
 *    the new value with its flags (G1). QEMU: the compare is the step to OCRn; in restart mode
 *    OCR1 is never read and a round is OCR1 cycles. ('X1 …')
 * X2 Clock sources: the variant's table above. CR.EN_24M = 0 gates the crystal off on
 *    `'imx6dl'` (CLKSRC 101 then has no clock). The manual asks for CLKSRC to change only while
 *    EN = 0; a change while counting applies at once with the kit's CounterRate rule (0 Hz
 *    freezes CNT; a new rate re-times it with a fresh cycle). QEMU: a switch to no clock (or to
 *    a 0 Hz source) keeps counting at the old rate. ('X2 …')
 * X3 Flags. OFn and ROV are set whatever IR says (the manual's flags; IR only gates the line).
 *    ROV is set at every step from 0xFFFFFFFF to 0, in restart mode too (the manual: "in both
 *    restart and free-run modes"); OCRs equal to one another set their flags at one edge, so
 *    an OCR left at its reset value 0xFFFFFFFF flags with every rollover. QEMU:
 *    only channels whose OFnIE is set are compared, so a polled GPT never sets OFn, never
 *    restarts at OCR1 and never sets ROV unless ROVIE is set. ('X3 …')
 * X4 Enable. EN = 0 freezes CNT. Enabling with ENMOD = 1 sets CNT to 0; while disabled CNT keeps
 *    its frozen value (the manual's ENMOD text; its value table reads "reset to 0 when it is
 *    disabled", not followed). ENMOD = 0 resumes the frozen value; the prescaler's progress at
 *    the disable is not kept (a fresh cycle at the enable). Every enable plans the next edge
 *    from the registers as they are. QEMU: with ENMOD = 0 the next event is the one planned
 *    before the disable (OCR writes while disabled are not seen until a rollover). ('X4 …')
 * X5 OCR1 write in restart mode: CNT becomes 0 and a fresh cycle starts, whatever EN says
 *    (the manual: "any write access … will reset the GPT counter"; Zephyr moved to free-run
 *    mode because of the time this loses). ('X5 …')
 * X6 Re-timing. An OCRn write while counting, and a rate change (CLKSRC, PRESCALER,
 *    PRESCALER24M, EN_24M, a clock input), re-time the counter from the value it reads with a
 *    fresh cycle at the write: the partial cycle is lost, at most one counter cycle. For the
 *    prescaler that is the manual's rule ("a new count period starts immediately"); for an OCR
 *    write in free-run mode the manual's counter loses nothing: a departure forced by the
 *    down-counting timer ("Structure"), which QEMU's model shares (its every OCR write re-arms
 *    its ptimer). A CR write that changes no rate does not disturb the counter (an FRR change
 *    re-plans only the countdown after the current one), nor does a CLKSRC switch between two
 *    inputs at the same rate. ('X6 …')
 * X7 SWR. Resets every register except CR.EN, ENMOD, DBGEN, WAITEN, DOZEEN, STOPEN and CLKSRC
 *    (the manual's SWR text leaves DOZEEN out; its DOZEEN text keeps it, as QEMU does); CNT and
 *    the prescaler go to 0 (PR = 0 may change the rate) and, with EN kept at 1, the counter runs
 *    on from 0. The kept bits are those of the write that sets SWR. SWR reads 0 at once. One
 *    transaction per path. ('X7 …')
 * X8 IRQ = (SR & IR) != 0, not gated by EN: a pending flag survives disabling the counter until
 *    the guest clears it. QEMU also requires CR.EN. ('X8 …')
 * X9 Input capture. {@link ImxGpt.capture}(n, edge) is an edge on input capture pin n: when
 *    CR.IMn selects it (01 rising, 10 falling, 11 both) and EN = 1, ICRn takes CNT as a guest
 *    read at that instant would show it and IFn is set; otherwise nothing happens (a disabled
 *    GPT captures nothing). Each edge is recorded as a `mark` event labelled `capture`. QEMU:
 *    no capture; ICR1/2 read 0 with a "not implemented" log. ('X9 …')
 * X10 Access sizes: 32-bit only; others are `bad-size` guest errors. Writes to ICR1, ICR2 and
 *    CNT are `read-only` guest errors (QEMU logs a bad register). (guest-error spec)
 * X11 Offsets 0x28 to 0xFFC read 0 and ignore writes as `unmapped` guest errors. (guest-error spec)
 *
 * Legacy `bottom-half` delivery (only to show the race): a register write that re-times the
 * counter between an edge and its bottom half takes the edge's place: the bottom half then
 * finds the timer re-armed and does nothing, so that edge's flags are never set.
 *
 * Snapshots: {@link ImxGptSnapshot}, checked by one strict schema, by the timer's own rules
 * (`timer.<field>`), and by the invariants that hold by construction, each refused at the field
 * that breaks it:
 * - `variant` is this GPT's (checked first);
 * - `appliedHz` is the rate of the input CR.CLKSRC selects now and `appliedDiv` the divider the
 *   registers give (crystal divider × (PRESCALER + 1)); while that rate is not 0, the timer's
 *   period is one counter cycle in its timing;
 * - CR.SWR and CR.FO1–3 read 0 (they store nothing); CNT stores nothing (its reads are the count);
 * - the timer's count at a countdown's start (`delta`) is between 1 and `end` + 1 (the start value
 *   `end + 1 - delta` is a counter value); it has a reload value only while it runs periodic;
 * - stopped exactly while CR.EN is 0 or the rate is 0, then with a count of 1 (`end` is CNT);
 * - under `bottom-half`, a countdown that ended and whose bottom half is pending (stopped at a count
 *   of 0 while counting) is taken only by a restore after which the pending bottom halves are put
 *   back (`withBottomHalvesPutBack`: the explorer's forks), with `end` one of OCR1–3 or 0xFFFFFFFF;
 * - counting, `end` is the first of OCR1–3 and 0xFFFFFFFF at or above the start value (every OCR
 *   write re-plans, X6); under `sync` the timer runs periodic with the length of the countdown
 *   from `after(end)` as its reload value (an FRR change re-plans it); under `bottom-half` it
 *   runs one-shot.
 *
 * Device kit: a KitDevice (RegisterBank on the variant's map, EventOutlet), one deviceTimer, a
 * CounterRate for the selected source; `dispose()` ends the clock input watches and the timer.
 *
 * Policy: see IMX_GPT_POLICY (QEMU's GPT is LEGACY: its CNT, derived as the next event less the
 * count, reads one more than the hardware between edges). Ordering: edges are delivered with
 * `delivery` ('sync' by default, G1: the step and its flags in one expiry step); 'bottom-half'
 * exists only to show the LP #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  DeviceConfigError,
  deviceTimer,
  expectBottomHalfPutBack,
  expectResetValues,
  expectSame,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  refuseSnapshot,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotField,
  snapshotHz,
  snapshotInteger,
  snapshotPart,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import type { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { IMX6DL_GPT_REGISTERS } from './IMX6DL_GPT_REGISTERS';
import { IMX_GPT_REGISTERS } from './IMX_GPT_REGISTERS';

/** The counter timer's policy flags, one reason each. */
export const IMX_GPT_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // CNT reads like the hardware counter: the start value throughout a countdown's first cycle (X1)
  'TRIGGER_ONLY_ON_DECREMENT', // only a countdown counted down to its end is an edge; countdowns never start at 0, and one that did must not fire (X1)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link ImxGptSnapshot} format version. */
export const IMX_GPT_SNAPSHOT_VERSION = 1;

/** The GPT variants (see "Variants" in the module header). */
export const IMX_GPT_VARIANTS = ['imx31', 'imx6', 'imx6dl'] as const;

/**
 * A GPT variant: `'imx31'` (i.MX25/31/35/5x), `'imx6'` (i.MX6Dual/Quad) or `'imx6dl'`
 * (i.MX6DL/S, 6SL, 6SX, 6UL/ULL, 7, 8M): the clock source decoding and the crystal bits.
 */
export type ImxGptVariant = (typeof IMX_GPT_VARIANTS)[number];

/** An edge on an input capture pin (see {@link ImxGpt.capture}). */
export type ImxGptCaptureEdge = 'rising' | 'falling';

/** The GPT's whole state as plain, versioned data. */
export interface ImxGptSnapshot extends DeviceSnapshot {
  readonly version: typeof IMX_GPT_SNAPSHOT_VERSION;
  /** The variant that took it; only a GPT of the same variant restores it. */
  readonly variant: ImxGptVariant;
  /** The register bank: every register's stored value (CNT stores nothing: the count is `end` and `timer`). */
  readonly registers: RegisterBankSnapshot;
  /** The counter timer: its count is the cycles left to the edge leaving `end`. */
  readonly timer: PTimerSnapshot;
  /** The counter value whose leaving edge ends the timer's countdown (CNT = end + 1 - count); stopped, CNT itself. */
  readonly end: number;
  /** The rate of the selected clock input applied to the timer, in Hz (0: none); restore requires the input to agree. */
  readonly appliedHz: number;
  /** The divider applied to the timer (crystal divider × (PR.PRESCALER + 1)); restore requires it to match the registers. */
  readonly appliedDiv: number;
}

/** Options of {@link ImxGpt}. */
export interface ImxGptOptions {
  /** CLKSRC 001: the peripheral clock (ipg_clk). */
  readonly ipg: ClockInput;
  /** CLKSRC 010: the high-frequency reference clock (ipg_clk_highfreq, Linux's "per" clock). */
  readonly ipgHighfreq: ClockInput;
  /** CLKSRC 100 (and 1xx on `'imx31'`): the 32 kHz reference clock (ipg_clk_32k). */
  readonly ipg32k: ClockInput;
  /** CLKSRC 011: the external clock on the GPT_CLK pad; absent, that source has no clock. */
  readonly ext?: ClockInput;
  /**
   * The 24 MHz crystal (ipg_clk_24M): CLKSRC 101 (÷ 8) and 111 on `'imx6'`, 101 (with CR.EN_24M,
   * ÷ (PRESCALER24M + 1)) on `'imx6dl'`; absent, those sources have no clock. `'imx31'` has no
   * crystal source and refuses it.
   */
  readonly osc?: ClockInput;
  /** The SoC family's programming model (default `'imx6'`; see "Variants" in the module header). */
  readonly variant?: ImxGptVariant;
  /** Instance name, the `source` of its events (default `'imx-gpt'`). */
  readonly name?: string;
  /** Delivery of the counter's edges: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How the counter keeps time (see "Timing" in the module header): `'exact'` (default), a cycle of
   * exactly divisor·10^9/hz ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

/** Both layouts have the same register and field names (the crystal bits are reserved in one). */
type Registers = RegisterShapeOf<typeof IMX_GPT_REGISTERS>;

const MAX = 0xffff_ffff;
const { CR, PR, SR, CNT } = IMX_GPT_REGISTERS.byName;
const EN = CR.fieldByName.EN.mask;
const FRR = CR.fieldByName.FRR.mask;
const SWR = CR.fieldByName.SWR.mask;
const FO = CR.fieldByName.FO1.mask | CR.fieldByName.FO2.mask | CR.fieldByName.FO3.mask;
/** CR bits a software reset keeps (X7): EN, ENMOD, DBGEN, WAITEN, DOZEEN, STOPEN, CLKSRC. */
const SWR_KEEP = 0x1ff;
/** SR bits of the compare flags, by channel - 1, and the rollover flag. */
const OF = [SR.fieldByName.OF1.mask, SR.fieldByName.OF2.mask, SR.fieldByName.OF3.mask] as const;
const ROV = SR.fieldByName.ROV.mask;

/** The clock inputs by the names the variant tables use. */
type InputName = 'ipg' | 'ipgHighfreq' | 'ext' | 'ipg32k' | 'osc';
/** A clock source: the input and the divider in front of the prescaler; `undefined`: no clock. */
type Source = { readonly input: InputName; readonly div: number } | undefined;

const src = (input: InputName, div = 1): Source => ({ input, div });
const COMMON: readonly Source[] = [undefined, src('ipg'), src('ipgHighfreq'), src('ext'), src('ipg32k')];

/**
 * The clock source of CLKSRC under a variant (X2): the variant tables of the module header.
 * @param variant - the GPT's variant
 * @param clksrc - CR.CLKSRC
 * @param en24m - CR.EN_24M (0 on the layouts without it)
 * @param prescaler24m - PR.PRESCALER24M (0 on the layouts without it)
 */
const sourceOf = (variant: ImxGptVariant, clksrc: number, en24m: number, prescaler24m: number): Source => {
  if (clksrc < 4) return COMMON[clksrc];
  switch (variant) {
    case 'imx31':
      return src('ipg32k'); // 1xx
    case 'imx6':
      return [src('ipg32k'), src('osc', 8), undefined, src('osc')][clksrc - 4];
    case 'imx6dl':
      if (clksrc === 4) return src('ipg32k');
      return clksrc === 5 && en24m === 1 ? src('osc', prescaler24m + 1) : undefined;
  }
};

/** A layout's map and its registers as {@link RegisterInfo}, shared by every instance. */
interface Layout {
  readonly map: typeof IMX_GPT_REGISTERS;
  readonly info: readonly RegisterInfo[];
}
const PLAIN: Layout = { map: IMX_GPT_REGISTERS, info: registerInfoOf(IMX_GPT_REGISTERS) };
const CRYSTAL: Layout = { map: IMX6DL_GPT_REGISTERS, info: registerInfoOf(IMX6DL_GPT_REGISTERS) };
/** Each variant's layout. */
const LAYOUTS: Readonly<Record<ImxGptVariant, Layout>> = { imx31: PLAIN, imx6: PLAIN, imx6dl: CRYSTAL };

const fieldOf = (value: number, field: { readonly mask: number; readonly lsb: number }): number => (value & field.mask) >>> field.lsb;

/**
 * The rate the registers `cr` and `pr` select under `variant`, from `inputs` as they are now:
 * the source's Hz (0 for no clock) and the whole divider.
 */
const rateOf = (variant: ImxGptVariant, cr: number, pr: number, inputs: Readonly<Partial<Record<InputName, ClockInput>>>): { hz: number; div: number } => {
  const c = CR.fieldByName;
  const p = PR.fieldByName;
  // On the layouts without the crystal bits they are reserved: they read 0 here.
  const source = sourceOf(variant, fieldOf(cr, c.CLKSRC), (cr >>> c.EN_24M.lsb) & 1, (pr >>> p.PRESCALER24M.lsb) & 0xf);
  const prescale = fieldOf(pr, p.PRESCALER) + 1;
  if (source === undefined) return { hz: 0, div: prescale };
  return { hz: inputs[source.input]?.hz ?? 0, div: source.div * prescale };
};

/** The first compare value or 0xFFFFFFFF at or above `value`: the edge a countdown from `value` ends at (X1). */
const nextEvent = (value: number, ocr: readonly number[]): number => {
  let end = MAX;
  for (const o of ocr) if (o >= value && o < end) end = o;
  return end;
};

/** Where the counter goes at the edge leaving `end`: 0 at the restart (FRR = 0, end = OCR1) and the rollover, else end + 1. */
const afterEdge = (end: number, restart: boolean, ocr1: number): number => ((restart && end === ocr1) || end === MAX ? 0 : end + 1);

/** The fields of {@link ImxGptSnapshot} besides `device`, `version` and `registers`. */
const snapshotFields = () => ({
  variant: snapshotField<ImxGptVariant>(
    (v) => (IMX_GPT_VARIANTS as readonly unknown[]).includes(v),
    `must be one of ${IMX_GPT_VARIANTS.map((v) => `'${v}'`).join(', ')}`,
  ),
  timer: snapshotPart(),
  end: snapshotInteger(0, MAX, 'must be a 32-bit counter value'),
  appliedHz: snapshotHz(),
  appliedDiv: snapshotInteger(1, 16 * 4096, 'must be the divider the registers give, an integer in [1, 65536]'),
});

/**
 * The invariants of the module header ("Snapshots") on a snapshot the schema and the timer
 * accepted (the variant and the applied rate already compared).
 * @param r - the snapshot's register values
 * @param timer - the counter timer's part
 * @param end - the edge its countdown ends at
 * @param hz - the applied rate (`appliedHz`)
 * @param div - the applied divider (`appliedDiv`)
 * @param delivery - how the timer delivers its edges
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkConsistency = (
  r: Readonly<Record<string, number>>,
  timer: TimerPartView,
  end: number,
  hz: number,
  div: number,
  delivery: TriggerDelivery,
): void => {
  const cr = r['CR']!;
  if ((cr & (SWR | FO)) !== 0) {
    refuseSnapshot(registerPath('CR'), cr, `must have ${registerPath('CR', 'SWR')} and FO1-FO3 0: they store nothing (X7)`);
  }
  expectResetValues(r, [CNT]);
  if (timer.mode !== 'periodic') {
    expectTimerLimit(timer, 0, `while ${timer.where}.mode is '${timer.mode}' (the timer reloads only while it runs periodic, the next countdown's length as its reload value)`);
  }
  if (delivery === 'bottom-half') {
    expectTimerMode(timer, ['stopped', 'oneshot'], "under 'bottom-half' delivery (each countdown runs one-shot and its bottom half plans the next)");
  }
  if (hz > 0) expectTimerPeriod(timer, hz, div, `of one counter cycle at appliedHz ${hz} and appliedDiv ${div}`);
  if (delivery === 'bottom-half' && timer.mode === 'stopped' && timer.delta === 0n && (cr & EN) !== 0 && hz > 0) {
    checkEndedCountdown(r, timer, end);
    return;
  }
  if (timer.delta < 1n || timer.delta > BigInt(end) + 1n) {
    refuseSnapshot(
      `${timer.where}.delta`,
      timer.delta.toString(),
      `must be in [1, ${end + 1}]: end (${end}) + 1 - it is the counter value the countdown started from, a 32-bit value`,
    );
  }
  const enabled = (cr & EN) !== 0;
  if (!enabled || hz === 0) {
    expectTimerMode(timer, ['stopped'], `while ${registerPath('CR', 'EN')} is ${enabled ? 1 : 0} and appliedHz is ${hz} (it counts only when enabled on a running clock)`);
    if (timer.delta !== 1n) {
      refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), 'must be 1 while the counter is frozen: end holds CNT (see "Structure")');
    }
    return;
  }
  if (timer.mode === 'stopped') {
    refuseSnapshot(`${timer.where}.mode`, timer.mode, `must be running while ${registerPath('CR', 'EN')} is 1 and appliedHz is ${hz}: there is always a next edge`);
  }
  const ocr = [r['OCR1']!, r['OCR2']!, r['OCR3']!];
  const compares = ocr.map((o, i) => `${registerPath(`OCR${i + 1}`)} (${o})`).join(', ');
  const start = end + 1 - Number(timer.delta);
  const planned = nextEvent(start, ocr);
  if (end !== planned) {
    refuseSnapshot(
      'end',
      end,
      `must be ${planned} while counting: the first of ${compares} and 0xFFFFFFFF at or above the start value ${start} (end + 1 - ${timer.where}.delta; X1, X6)`,
    );
  }
  if (delivery !== 'sync') return;
  expectTimerMode(timer, ['periodic'], "under 'sync' delivery while counting (the next countdown's length is its reload value)");
  const after = afterEdge(end, (cr & FRR) === 0, ocr[0]!);
  expectTimerLimit(
    timer,
    nextEvent(after, ocr) - after + 1,
    `while ${timer.where}.mode is 'periodic' (its reload value is the next countdown: from ${after}, where the counter goes after leaving end ${end} with ${registerPath('CR', 'FRR')} ${(cr & FRR) === 0 ? 0 : 1}, to the first of ${compares} and 0xFFFFFFFF at or above it)`,
  );
};

/**
 * Under `bottom-half` delivery, a countdown that ended at `end` and whose
 * bottom half (which sets the edge's flags and plans the next countdown) is
 * pending: the timer stopped at a count of 0 while CR.EN is 1 on a running
 * clock. Accepted only from a restore the pending bottom halves are put back
 * after (`withBottomHalvesPutBack`): restored alone, the counter would stay
 * stopped.
 */
const checkEndedCountdown = (r: Readonly<Record<string, number>>, timer: TimerPartView, end: number): void => {
  expectBottomHalfPutBack(timer, 'a countdown');
  const ocr = [r['OCR1']!, r['OCR2']!, r['OCR3']!];
  if (end !== MAX && !ocr.includes(end)) {
    refuseSnapshot('end', end, `must be one of OCR1-OCR3 (${ocr.join(', ')}) or 0xFFFFFFFF while ${timer.where}.delta is 0: the edge the ended countdown reached`);
  }
};

/**
 * The i.MX GPT (see the module header for the contract).
 *
 * Ordering: G1 with `sync` delivery (the counter's step at an edge and its flags happen in one
 * expiry step); G2/G3 through the timer's transactions, one per register access.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const gpt = new ImxGpt(clock, {
 *   ipg: new ClockInput('ipg', 66_000_000), ipgHighfreq: new ClockInput('per', 24_000_000),
 *   ipg32k: new ClockInput('32k', 32_768), osc: new ClockInput('osc', 24_000_000),
 * });
 * gpt.write(0x10, 4, 23_999);        // OCR1: a round of 24 000 cycles in restart mode (X1)
 * gpt.write(0x0c, 4, 1);             // IR = OF1IE
 * gpt.write(0x00, 4, (7 << 6) | 0b11); // CR: CLKSRC 111 (the 24 MHz crystal), ENMOD, EN
 * clock.advanceTo(1_000_000);        // 1 ms: the first compare
 * gpt.irq.level;                     // true
 * ```
 */
export class ImxGpt extends KitDevice<Registers, {
  /** The GPT interrupt, {@link ImxGpt.irq}. */
  irq: IrqLine;
}> {
  /**
   * Creates the GPT with its registers at their reset values (CLKSRC 0: no clock) and the counter stopped at 0.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock inputs, variant, name, delivery, timing
   * @throws DeviceConfigError for a clock input that is not a ClockInput, an `osc` on the `'imx31'` variant, an unknown `variant`, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: ImxGptOptions) {
    checkDeviceOptions('ImxGpt', options, {
      ipg: 'clock',
      ipgHighfreq: 'clock',
      ipg32k: 'clock',
      ext: 'clock?',
      osc: 'clock?',
      variant: { oneOf: IMX_GPT_VARIANTS, optional: true },
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    const variant = options.variant ?? 'imx6';
    if (variant === 'imx31' && options.osc !== undefined) {
      throw new DeviceConfigError(options.osc, "is not an input of the 'imx31' variant: its CLKSRC selects no crystal", 'ImxGpt(options.osc)');
    }
    super(scheduler, options.name ?? 'imx-gpt');
    this.variant = variant;
    this.delivery = options.delivery ?? 'sync';
    this.inputs = Object.freeze({ ipg: options.ipg, ipgHighfreq: options.ipgHighfreq, ext: options.ext, ipg32k: options.ipg32k, osc: options.osc });
    const layout = LAYOUTS[this.variant];
    this.registers = layout.info;
    // Edges reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: IMX_GPT_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.attachBank(layout.map, {
      CR: { write: (value, old) => this.onControl(value, old) },
      PR: { write: () => this.onRate() },
      OCR1: { write: () => this.onCompare(1) },
      OCR2: { write: () => this.onCompare(2) },
      OCR3: { write: () => this.onCompare(3) },
      CNT: { read: () => this.counter() },
    });
    this.timer.transaction((t) => this.retime(t, 0));
    // CLKSRC is 0 after reset: no input is selected yet, so there is no rate to apply now.
    for (const input of Object.values(this.inputs)) if (input !== undefined) this.lifetime.add(input.watch(() => this.onRate()));
  }

  /** Hardware reset: registers from the map's reset values; CLKSRC 0 stops the counter at 0. */
  override reset(): void {
    this.bank.reset();
    this.timer.transaction((t) => {
      this.applyRate(t); // CLKSRC = 0 now: the applied rate follows, so a snapshot taken next restores
      this.retime(t, 0);
    });
    this.updateIrq();
  }

  snapshot(): ImxGptSnapshot {
    return {
      device: this.name,
      version: IMX_GPT_SNAPSHOT_VERSION,
      variant: this.variant,
      registers: this.bank.snapshot(),
      timer: this.timer.snapshot(),
      end: this.end,
      appliedHz: this.rate.hz,
      appliedDiv: this.rate.divisor,
    };
  }

  /**
   * Loads an {@link ImxGptSnapshot} taken at the clock's current time by a GPT of this name
   * and variant; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: another
   *   variant's snapshot (at `variant`, checked first), the format (strict), a clock mismatch
   *   (`appliedHz`), a divider the registers do not give (`appliedDiv`), the timer's own rules
   *   (`timer.<field>`), or an invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    // The variant first: imx31 and imx6 share a layout, so another variant's registers could parse.
    if (typeof snapshot === 'object' && snapshot !== null && 'variant' in snapshot) expectSame('variant', snapshot.variant, this.variant, "this GPT's variant");
    const s = this.parseSnapshot(snapshot, { device: 'ImxGpt', version: IMX_GPT_SNAPSHOT_VERSION }, snapshotFields);
    const r = s.registers.registers;
    const { hz, div } = rateOf(this.variant, r['CR']!, r['PR']!, this.inputs);
    expectSame('appliedHz', s.appliedHz, hz, `the frequency of the clock input ${registerPath('CR', 'CLKSRC')} selects now, in Hz`);
    if (s.appliedDiv !== div) refuseSnapshot('appliedDiv', s.appliedDiv, `must be ${div}, the divider ${registerPath('PR')} and ${registerPath('CR', 'CLKSRC')} give`);
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    checkConsistency(r, timer, s.end, hz, div, this.delivery);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.end = s.end;
    this.rate.adopt(hz, div); // the timer's snapshot carries the period these stand for
    this.updateIrq();
  }

  /**
   * An edge on input capture pin `channel` (X9): when CR.IMn selects this edge and the GPT is
   * enabled, ICRn takes CNT (as a guest read now would see it) and SR.IFn is set; otherwise
   * nothing changes. Either way the edge is recorded as a `mark` event labelled `capture`.
   *
   * Ordering: synchronous, at the clock's current instant, like a guest access: work already
   * queued for the instant has run, the rest runs after.
   * @param channel - the input capture channel, 1 or 2
   * @param edge - the pin's transition
   * @returns whether a capture was taken
   * @throws DeviceConfigError for a channel other than 1 or 2, or an edge other than `'rising'` or `'falling'`
   */
  capture(channel: 1 | 2, edge: ImxGptCaptureEdge): boolean {
    if (channel !== 1 && channel !== 2) throw new DeviceConfigError(channel, 'must be 1 or 2 (the input capture channels)', 'ImxGpt.capture(channel)');
    if (edge !== 'rising' && edge !== 'falling') throw new DeviceConfigError(edge, "must be 'rising' or 'falling'", 'ImxGpt.capture(edge)');
    const mode = this.bank.field('CR', channel === 1 ? 'IM1' : 'IM2');
    const taken = (mode & (edge === 'rising' ? 0b01 : 0b10)) !== 0 && (this.bank.get('CR') & EN) !== 0;
    const value = taken ? this.counter() : undefined;
    this.outlet.record({ kind: 'mark', time: this.scheduler.now(), source: this.name, label: 'capture', data: { channel, edge, captured: value ?? null } });
    if (value === undefined) return false;
    this.bank.set(channel === 1 ? 'ICR1' : 'ICR2', value);
    this.bank.setField('SR', channel === 1 ? 'IF1' : 'IF2', 1);
    this.updateIrq();
    return true;
  }

  // ---- public lines -------------------------------------------------------------

  /** The GPT interrupt: (SR & IR) != 0 (X8). */
  readonly irq: IrqLine;
  /** The registers of the variant's map ({@link IMX_GPT_REGISTERS} or {@link IMX6DL_GPT_REGISTERS}), in map order. */
  readonly registers: readonly RegisterInfo[];

  // ---- private ------------------------------------------------------------------

  /** The edge leaving `end` (in the timer's callback context when delivery is sync): flags, then the counter's step (X1, X3). */
  private onExpiry(): void {
    const t = this.timer;
    // Legacy bottom half: a write since the edge re-timed the counter already (module header).
    if (this.delivery === 'bottom-half' && (t.mode !== 'stopped' || t.getCountNumber() !== 0)) return;
    const end = this.end;
    const ocr = this.compares();
    let flags = end === MAX ? ROV : 0;
    ocr.forEach((o, i) => {
      if (o === end) flags |= OF[i]!;
    });
    this.bank.set('SR', (this.bank.get('SR') | flags) >>> 0); // X3: whatever IR says
    const value = this.after(end);
    const next = nextEvent(value, ocr);
    // Compared as numbers (a 32-bit span): a BigInt made per expiry only to compare it was garbage.
    if (t.mode === 'periodic' && Number(t.getLimit()) === next - value + 1) {
      // The timer's reload already started the next countdown at this one's exact end: plan the one after.
      this.end = next;
      const after = this.after(next);
      t.transaction((tt) => tt.setLimit(nextEvent(after, ocr) - after + 1, false));
    } else {
      t.transaction((tt) => this.retime(tt, value)); // bottom-half delivery: each countdown one-shot
    }
    this.updateIrq();
  }

  /** CR write: SWR, FOn, enable edges, clock selection and the mode (X2, X4, X6, X7). */
  private onControl(value: number, old: number): void {
    if ((value & SWR) !== 0) {
      this.softReset(value);
      return;
    }
    if ((value & FO) !== 0) this.bank.set('CR', (value & ~FO) >>> 0); // a pin action: nothing to keep
    const cur = this.counter(); // the committed value, before any transaction opens
    const enRose = (value & EN) !== 0 && (old & EN) === 0;
    const modeChanged = ((value ^ old) & FRR) !== 0;
    this.timer.transaction((t) => {
      const changedRate = this.applyRate(t);
      if (enRose) {
        this.retime(t, this.bank.field('CR', 'ENMOD') === 1 ? 0 : cur);
      } else if (!this.counting()) {
        if (t.mode !== 'stopped' || changedRate) this.retime(t, cur); // frozen where it was read
      } else if (changedRate || t.mode === 'stopped') {
        this.retime(t, cur);
      } else if (modeChanged && t.mode === 'periodic') {
        // FRR decides only where the counter goes after the current countdown's edge: re-plan the reload.
        const after = this.after(this.end);
        t.setLimit(nextEvent(after, this.compares()) - after + 1, false);
      }
    });
  }

  /** PR write or a clock input change: a new rate re-times the counter (X2, X6). */
  private onRate(): void {
    const cur = this.counter();
    this.timer.transaction((t) => {
      if (this.applyRate(t)) this.retime(t, cur);
    });
    this.updateIrq();
  }

  /** OCRn write: the restart of X5 for OCR1 in restart mode; otherwise a re-plan while counting (X6). */
  private onCompare(channel: 1 | 2 | 3): void {
    if (channel === 1 && (this.bank.get('CR') & FRR) === 0) {
      this.timer.transaction((t) => this.retime(t, 0));
      return;
    }
    if (!this.counting()) return; // a frozen counter plans when it starts
    const cur = this.counter();
    this.timer.transaction((t) => this.retime(t, cur));
  }

  /** CR.SWR (X7): one transaction on this path only. */
  private softReset(value: number): void {
    this.bank.reset();
    this.bank.set('CR', value & SWR_KEEP);
    this.timer.transaction((t) => {
      this.applyRate(t);
      this.retime(t, 0);
    });
  }

  /**
   * The counter now holds `value` (a load, a step at an edge, or where it was read): plan the
   * countdown to the next edge, a fresh cycle anchored now; frozen, hold it (count 1, end = value).
   */
  private retime(t: PTimer, value: number): void {
    t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
    t.setLimit(0, false); // only a periodic timer has a reload value (the next countdown's length)
    if (!this.counting()) {
      this.end = value;
      t.setCount(1);
      return;
    }
    const ocr = this.compares();
    this.end = nextEvent(value, ocr);
    t.setCount(this.end - value + 1);
    if (this.delivery === 'sync') {
      // The next countdown is the timer's reload value: it starts at this one's exact end ("Structure").
      const after = this.after(this.end);
      t.setLimit(nextEvent(after, ocr) - after + 1, false);
      t.run(false);
    } else {
      t.run(true);
    }
  }

  /**
   * Applies the selected clock and dividers to the timer with the kit's CounterRate rule (0 Hz
   * leaves the period and the caller holds the counter; the same rate again is a no-op); true if
   * the rate changed, so the caller re-plans from the value read (X2, X6).
   */
  private applyRate(t: PTimer): boolean {
    const { hz, div } = rateOf(this.variant, this.bank.get('CR'), this.bank.get('PR'), this.inputs);
    if (hz === this.rate.hz && div === this.rate.divisor) return false;
    this.rate.apply(t, hz, div);
    return true;
  }

  /** Every path that changes CR, PR or a clock applies the rate first, so the applied one is the selected one. */
  private counting(): boolean {
    return (this.bank.get('CR') & EN) !== 0 && this.rate.running;
  }

  /** OCR1-OCR3. */
  private compares(): readonly [number, number, number] {
    return [this.bank.get('OCR1'), this.bank.get('OCR2'), this.bank.get('OCR3')];
  }

  /** Where the counter goes at the edge leaving `end` (X1). */
  private after(end: number): number {
    return afterEdge(end, (this.bank.get('CR') & FRR) === 0, this.bank.get('OCR1'));
  }

  /** CNT as the guest reads it, from the committed timer (a count of 0 is an edge whose bottom half is pending). */
  private counter(): number {
    const count = this.timer.getCountNumber();
    return count === 0 ? this.after(this.end) : this.end + 1 - count;
  }

  /** The output line by local name. */
  protected createLines() {
    return { irq: this.irq };
  }

  /** `counter` (32 bits): what a guest read of CNT returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // As counter(): end + 1 - count, and at a count of 0 (an edge whose bottom half is pending) where the edge leads.
    return [
      timerProbe(this.timer, {
        name: 'counter',
        width: 32,
        state: () => [this.end, this.after(this.end)] as const,
        value: (count, [end, after]) => (count === 0n ? BigInt(after) : BigInt(end) + 1n - count),
      }),
    ];
  }

  /** The one place the output is computed (X8). */
  protected updateIrq(): void {
    this.irq.set((this.bank.get('SR') & this.bank.get('IR')) !== 0);
  }

  /** The programming model (see "Variants" in the module header). */
  readonly variant: ImxGptVariant;
  /** The counter timer (exposed for tests; guests see it through CNT). */
  readonly timer: PTimer;
  private readonly inputs: Readonly<Record<InputName, ClockInput | undefined>>;
  private readonly rate = new CounterRate();
  /** How edges reach the device: only `sync` plans the next countdown ahead ("Structure"). */
  private readonly delivery: TriggerDelivery;
  /** The counter value whose leaving edge ends the current countdown; stopped, CNT itself. */
  private end = 0;
}
