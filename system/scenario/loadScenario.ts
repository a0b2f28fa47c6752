import { AddressMap } from '../AddressMap';
import type { RegisterInfo } from '../../src/bus/Device';
import { BusRangeError } from '../../src/bus/errors';
import { guestWrite, type AccessSize } from '../../src/bus/GuestAccess';
import { ClockInput } from '../../src/clock/ClockInput';
import { VirtualClock } from '../../src/clock/VirtualClock';
import { InterruptController } from '../../src/irq/InterruptController';
import { IrqLine } from '../../src/irq/IrqLine';
import { DEVICE_TYPES } from '../catalogue/catalogue';
import type { CatalogueDeviceType } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import { SystemConfigError } from '../errors';
import type { GuestProgram } from '../GuestProgram';
import { clocksourceReader } from '../programs/clocksourceReader';
import { periodicTick } from '../programs/periodicTick';
import { pollingReader } from '../programs/pollingReader';
import { timedAccesses } from '../programs/timedAccesses';
import { watchdogFeeder } from '../programs/watchdogFeeder';
import { isReservedName, RESERVED_NAME_RULE } from '../reservedName';
import { System, type SystemOptions } from '../System';
import { BUS_SOURCE } from '../SystemBus';
import { deviceProfile } from './deviceProfile';
import { parseDuration, parseFrequency } from './durations';
import { parseAddress } from './parseAddress';
import type { Scenario, ScenarioAccess, ScenarioController, ScenarioDevice, ScenarioGuest } from './Scenario';
import { ScenarioError } from './ScenarioError';
import { SCENARIO_SCHEMA, scenarioIssue, valueAt, type ScenarioGuestJson } from './scenarioSchema';

/** The interrupt controller's bus footprint (three registers, one page). */
const CONTROLLER_SIZE = 0x1000;
/** Program option names (as the factories' errors name them) → the scenario keys that give them. */
const OPTION_KEYS: Readonly<Record<string, string>> = {
  hz: 'hz',
  ticks: 'ticks',
  latencyNs: 'latency',
  everyNs: 'every',
  reads: 'reads',
  timeoutNs: 'timeout',
  feedEveryNs: 'feedEvery',
  stopAfter: 'stopAfter',
  polls: 'polls',
  channel: 'channel',
};

const hex = (n: number): string => `0x${n.toString(16)}`;
const list = (names: readonly string[], max = 12): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length} in all)`;

interface Region {
  readonly path: string;
  readonly name: string;
  readonly base: number;
  readonly size: number;
}

/** What timed accesses can name: the devices and the interrupt controller, with their registers. */
type Targets = Map<string, { readonly base: number; readonly size: number; readonly registers: readonly RegisterInfo[]; readonly label: string }>;

/** Devices by name, with their types, while a scenario is checked. */
type Known = ReadonlyMap<string, { readonly device: ScenarioDevice; readonly type: CatalogueDeviceType }>;

/** The first index of each name: a duplicate is reported against the earlier entry, found in a Map, not a scan per entry. */
const firstIndexByName = (entries: readonly { readonly name: string }[]): Map<string, number> => {
  const first = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!first.has(e.name)) first.set(e.name, i);
  });
  return first;
};

/**
 * Checks a scenario file and normalises it: durations in ns, frequencies in Hz,
 * addresses as numbers, defaults filled in (seed 1, `sync` delivery, the types'
 * clock rates, the controller name `intc`, each guest's channel).
 *
 * Checked, each failure a {@link ScenarioError} with the path of the offending
 * value: the structure (strict objects: an unknown key is an error; the first
 * problem is reported), every value (durations need a unit and are whole ns,
 * not negative; frequencies; hex addresses), and every reference and cross-field
 * rule: known device types, unique device and guest names, clocks the type has
 * (at most 1 GHz for a device in `qemu` timing),
 * devices that do not overlap on the bus, controller inputs that are device
 * lines, guests naming a device, a channel of it and (for timed accesses) its
 * registers, and options the programs accept (a tick rate the channel can make,
 * a feed interval under the watchdog's timeout, ...).
 *
 * ## Example
 * ```ts
 * const scenario = parseScenario(JSON.parse(readFileSync('scenario.json', 'utf8')));
 * const { system, until } = buildSystem(scenario);
 * system.run(until);
 * ```
 *
 * @param json - the parsed JSON file
 * @returns the scenario
 * @throws ScenarioError naming the path, the value and the rule
 */
export const parseScenario = (json: unknown): Scenario => {
  const checked = SCENARIO_SCHEMA.safeParse(json);
  if (!checked.success) throw scenarioIssue(checked.error, json);
  const file = checked.data;
  const duration = parseDuration(file.duration, 'duration');
  if (duration === 0) throw new ScenarioError('duration', file.duration, 'must be more than 0 ns');
  const delivery = file.delivery ?? 'sync';

  const regions = new AddressMap<Region>();
  const claim = (region: Region, given: unknown): void => {
    const end = region.base + region.size;
    const r = regions.overlapping(region.base, region.size);
    if (r !== undefined) {
      throw new ScenarioError(
        `${region.path}.base`,
        given,
        `${region.name} at ${hex(region.base)}..${hex(end - 1)} overlaps ${r.name} (${r.path}) at ${hex(r.base)}..${hex(r.base + r.size - 1)}`,
      );
    }
    regions.insert(region);
  };

  const firstWithName = firstIndexByName(file.devices);
  const known = new Map<string, { device: ScenarioDevice; type: CatalogueDeviceType }>();
  const devices = file.devices.map((d, i): ScenarioDevice => {
    const at = `devices[${i}]`;
    const twin = firstWithName.get(d.name)!;
    if (twin !== i) throw new ScenarioError(`${at}.name`, d.name, `device names must be unique (devices[${twin}] has it)`);
    if (d.name === BUS_SOURCE) throw new ScenarioError(`${at}.name`, d.name, `"${BUS_SOURCE}" is the bus's own name`);
    const type = DEVICE_TYPES.find((t) => t.type === d.type);
    if (type === undefined) {
      throw new ScenarioError(`${at}.type`, d.type, `unknown device type; known types: ${DEVICE_TYPES.map((t) => t.type).join(', ')}`);
    }
    // A Map, then an object built by entries: a clock's name can never reach a prototype.
    const rates = new Map<string, number>();
    for (const [clock, value] of Object.entries(d.clocks ?? {})) {
      if (!type.clocks.some((c) => c.name === clock)) {
        throw new ScenarioError(`${at}.clocks.${clock}`, value, `${type.type} has no clock "${clock}"; its clocks: ${type.clocks.map((c) => c.name).join(', ')}`);
      }
      rates.set(clock, parseFrequency(value, `${at}.clocks.${clock}`));
    }
    for (const c of type.clocks) if (!rates.has(c.name)) rates.set(c.name, c.hz);
    const clocks: Readonly<Record<string, number>> = Object.fromEntries(rates);
    if (d.timing === 'qemu') checkQemuClocks(clocks, at, d.clocks);
    checkCreate(type, d.name, clocks, delivery, d.timing, at, d.clocks);
    const device: ScenarioDevice = {
      name: d.name,
      type: type.type,
      base: parseAddress(d.base, `${at}.base`),
      size: deviceProfile(type).size,
      clocks,
      ...(d.timing === undefined ? {} : { timing: d.timing }),
    };
    claim({ path: at, name: d.name, base: device.base, size: device.size }, d.base);
    known.set(d.name, { device, type });
    return device;
  });

  let interruptController: ScenarioController | undefined;
  if (file.interruptController !== undefined) {
    const c = file.interruptController;
    const at = 'interruptController';
    const name = c.name ?? 'intc';
    if (known.has(name) || name === BUS_SOURCE) throw new ScenarioError(`${at}.name`, name, 'must differ from every device name (and "bus")');
    const base = parseAddress(c.base, `${at}.base`);
    claim({ path: at, name, base, size: CONTROLLER_SIZE }, c.base);
    c.inputs.forEach((input, k) => checkLine(input, `${at}.inputs[${k}]`, known));
    interruptController = { name, base, inputs: c.inputs };
  }

  const targets: Targets = new Map(
    devices.map((d) => {
      const type = known.get(d.name)!.type;
      return [d.name, { base: d.base, size: d.size, registers: deviceProfile(type).registers, label: `${d.name} (${type.type})` }];
    }),
  );
  if (interruptController !== undefined) {
    const { name, base } = interruptController;
    targets.set(name, { base, size: CONTROLLER_SIZE, registers: controllerRegisters(), label: `${name} (interrupt controller)` });
  }

  const firstGuestWithName = firstIndexByName(file.guests);
  const guests = file.guests.map((g, i): ScenarioGuest => {
    const at = `guests[${i}]`;
    const twin = firstGuestWithName.get(g.name)!;
    if (twin !== i) throw new ScenarioError(`${at}.name`, g.name, `guest names must be unique (guests[${twin}] has it)`);
    const guest = normaliseGuest(g, at, known, targets);
    if (guest.program !== 'accesses') {
      const { device, type } = known.get(guest.device)!;
      dryRun(guest, device, type, at, g);
    }
    return guest;
  });

  return {
    ...(file.name === undefined ? {} : { name: file.name }),
    ...(file.description === undefined ? {} : { description: file.description }),
    seed: file.seed ?? 1,
    duration,
    delivery,
    devices,
    ...(interruptController === undefined ? {} : { interruptController }),
    guests,
  };
};

/** Options of {@link buildSystem}. */
export interface BuildOptions extends Pick<SystemOptions, 'keepTrace' | 'digest' | 'traceSinks' | 'sampleSinks' | 'recordInputs'> {
  /** Virtual time the system starts at (ns, default 0): a snapshot's time, to restore it. */
  readonly start?: number;
  /** Record probe samples for waveforms (default false). */
  readonly sampleProbes?: boolean;
  /** Add the guest programs (default true); false builds the devices only, for a replay. */
  readonly guests?: boolean;
  /**
   * Clock inputs to use instead of making them, by name `<device>.<clock>`
   * (e.g. another build's {@link BuiltScenario.clocks}, so that two systems
   * share them), each at the scenario's rate. Default: a new one per device clock.
   */
  readonly clocks?: Readonly<Record<string, ClockInput>>;
}

/** What {@link buildSystem} built. */
export interface BuiltScenario {
  /** The system, with its devices, controller and (unless `guests: false`) guests added, not yet run. */
  readonly system: System;
  /** The scenario's end: run to this time (ns, absolute: the duration from time 0). */
  readonly until: number;
  /** The guest programs by guest name (each has `stats()`). */
  readonly programs: Record<string, unknown>;
  /** The devices' clock inputs by name, `<device>.<clock>`. */
  readonly clocks: Readonly<Record<string, ClockInput>>;
}

/**
 * Builds the system a scenario describes: one ClockInput per device clock
 * (named `<device>.<clock>`), the devices through the catalogue mapped at their
 * bases, the interrupt controller, and the guests in file order. Two builds of
 * one scenario are the same system, so a snapshot of one restores into the
 * other (build it with `start: snapshot.time`).
 * @param scenario - from {@link parseScenario}
 * @param options - start time, probe sampling, whether to add the guests, clock inputs to share
 * @returns the system, the time to run it to, the guest programs and the clock inputs
 */
export const buildSystem = (scenario: Scenario, options: BuildOptions = {}): BuiltScenario => {
  checkNames(scenario);
  const { keepTrace, digest, traceSinks, sampleSinks, recordInputs } = options;
  const system = new System({
    start: options.start ?? 0,
    sampleProbes: options.sampleProbes ?? false,
    ...(keepTrace === undefined ? {} : { keepTrace }),
    ...(digest === undefined ? {} : { digest }),
    ...(traceSinks === undefined ? {} : { traceSinks }),
    ...(sampleSinks === undefined ? {} : { sampleSinks }),
    ...(recordInputs === undefined ? {} : { recordInputs }),
  });
  const types = new Map<string, CatalogueDeviceType>();
  // Maps, turned into objects by entries at the end: no name can reach a prototype.
  const inputs = new Map<string, ClockInput>();
  const shared = options.clocks ?? {};
  for (const d of scenario.devices) {
    const type = DEVICE_TYPES.find((t) => t.type === d.type)!;
    types.set(d.name, type);
    const clocks = Object.fromEntries(
      Object.entries(d.clocks).map(([clock, hz]) => {
        const name = `${d.name}.${clock}`;
        const given = Object.hasOwn(shared, name) ? shared[name] : undefined;
        if (given !== undefined && given.hz !== hz) {
          throw new SystemConfigError(given.hz, `must be the scenario's ${hz} Hz (the guest programs are computed from it)`, `buildSystem(options.clocks.${name}.hz)`);
        }
        const input = given ?? new ClockInput(name, hz);
        inputs.set(name, input);
        return [clock, input];
      }),
    );
    const device = type.create(system.clock, { name: d.name, clocks, delivery: scenario.delivery, ...(d.timing === undefined ? {} : { timing: d.timing }) });
    system.addDevice(device, { base: d.base, size: d.size });
  }
  const c = scenario.interruptController;
  if (c !== undefined) system.addInterruptController(c.name, c.inputs, { base: c.base, size: CONTROLLER_SIZE });
  const programs = new Map<string, unknown>();
  if (options.guests !== false) {
    const devices = new Map(scenario.devices.map((d) => [d.name, d]));
    for (const g of scenario.guests) {
      const program = g.program === 'accesses' ? accessesProgram(g.accesses) : channelProgram(g, devices.get(g.device)!, types.get(g.device)!, system);
      system.addGuest(g.name, program);
      programs.set(g.name, program);
    }
  }
  return { system, until: scenario.duration, programs: Object.fromEntries(programs), clocks: Object.fromEntries(inputs) };
};

/**
 * Refuses a name plain objects reserve (see `isReservedName`) for a device,
 * one of its clocks, the controller or a guest, before anything is built: a
 * scenario made in code skips `parseScenario`, which refuses them too.
 */
const checkNames = (scenario: Scenario): void => {
  const check = (name: string, what: string): void => {
    if (isReservedName(name)) throw new SystemConfigError(name, RESERVED_NAME_RULE, `buildSystem(scenario.${what})`);
  };
  scenario.devices.forEach((d, i) => {
    check(d.name, `devices[${i}].name`);
    for (const clock of Object.keys(d.clocks)) check(clock, `devices[${i}].clocks`);
  });
  if (scenario.interruptController !== undefined) check(scenario.interruptController.name, 'interruptController.name');
  scenario.guests.forEach((g, i) => check(g.name, `guests[${i}].name`));
};

type ChannelGuest = Exclude<ScenarioGuest, { program: 'accesses' }>;

/** The program of a guest that runs a channel, on `system` (or on a stand-in, to check its options). */
const channelProgram = (
  g: ChannelGuest,
  device: ScenarioDevice,
  type: CatalogueDeviceType,
  system: Pick<System, 'clock' | 'line'>,
): GuestProgram => {
  const channel = type.channels.find((c) => c.name === g.channel)!;
  const base = device.base;
  const clockHz = device.clocks[channel.clock]!;
  const clock = system.clock;
  switch (g.program) {
    case 'periodic-tick':
      return periodicTick({
        base,
        channel,
        line: system.line(`${device.name}.${channel.line}`),
        clockHz,
        hz: g.hz,
        clock,
        ...(g.ticks === undefined ? {} : { ticks: g.ticks }),
        ...(g.latencyNs === undefined ? {} : { latencyNs: g.latencyNs }),
      });
    case 'clocksource-reader':
      return clocksourceReader({ base, channel, clock, clockHz, everyNs: g.everyNs, ...(g.reads === undefined ? {} : { reads: g.reads }) });
    case 'watchdog-feeder':
      return watchdogFeeder({
        base,
        channel,
        clock,
        clockHz,
        timeoutNs: g.timeoutNs,
        feedEveryNs: g.feedEveryNs,
        ...(g.stopAfter === undefined ? {} : { stopAfter: g.stopAfter }),
      });
    case 'polling-reader':
      return pollingReader({
        base,
        channel,
        clock,
        everyNs: g.everyNs,
        ...(g.hz === undefined ? {} : { hz: g.hz, clockHz }),
        ...(g.polls === undefined ? {} : { polls: g.polls }),
      });
  }
};

const accessesProgram = (accesses: readonly ScenarioAccess[]): GuestProgram =>
  timedAccesses({
    accesses: accesses.map((a) => ({
      at: a.at,
      kind: a.kind,
      address: a.address,
      size: a.size,
      ...(a.value === undefined ? {} : { value: a.value }),
    })),
  });

/** The fastest clock QEMU timing can run: a cycle of 1 ns. */
const QEMU_MAX_HZ = 1_000_000_000;

/**
 * QEMU timing floors each countdown to whole ns, so a cycle under 1 ns would
 * expire again at the same instant without end (a RunawayError mid-run):
 * refused here, at the clock, before anything runs.
 */
const checkQemuClocks = (clocks: Readonly<Record<string, number>>, at: string, given: unknown): void => {
  for (const [clock, hz] of Object.entries(clocks)) {
    if (hz > QEMU_MAX_HZ) {
      throw new ScenarioError(
        `${at}.clocks.${clock}`,
        valueAt(given, [clock]) ?? hz,
        `must be at most 1 GHz with timing "qemu" (a cycle under 1 ns never ends in QEMU's whole-ns countdowns); use timing "exact"`,
      );
    }
  }
};

/** Builds a throwaway instance with the scenario's clocks, so a type's own refusals (e.g. a clock it cannot use) come out as ScenarioErrors. */
const checkCreate = (
  type: CatalogueDeviceType,
  name: string,
  clocks: Readonly<Record<string, number>>,
  delivery: Scenario['delivery'],
  timing: ScenarioDevice['timing'],
  at: string,
  given: unknown,
): void => {
  try {
    const inputs = Object.fromEntries(Object.entries(clocks).map(([clock, hz]) => [clock, new ClockInput(`${name}.${clock}`, hz)]));
    type.create(new VirtualClock(), { name, clocks: inputs, delivery, ...(timing === undefined ? {} : { timing }) });
  } catch (error) {
    const { rule, what } = error as { rule?: unknown; what?: unknown };
    if (typeof rule !== 'string') throw error;
    // A refusal that names one clock (`….clocks.<name>`) is reported at it.
    const clock = typeof what === 'string' ? /\.clocks\.(\w+)$/.exec(what)?.[1] : undefined;
    if (clock !== undefined && Object.hasOwn(clocks, clock)) {
      throw new ScenarioError(`${at}.clocks.${clock}`, valueAt(given, [clock]) ?? clocks[clock], `${type.type} cannot use this clock: ${rule}`);
    }
    throw new ScenarioError(`${at}.clocks`, given ?? clocks, `${type.type} cannot use these clocks: ${rule}`);
  }
};

/** A controller input must be `<device>.<line>` of a device in the scenario. */
const checkLine = (input: string, path: string, known: Known): void => {
  const dot = input.indexOf('.');
  const entry = dot < 0 ? undefined : known.get(input.slice(0, dot));
  if (entry === undefined) {
    throw new ScenarioError(path, input, `must be a line '<device>.<line>' of a device of this scenario; devices: ${[...known.keys()].join(', ')}`);
  }
  const lines = deviceProfile(entry.type).lines;
  if (!lines.includes(input.slice(dot + 1))) {
    throw new ScenarioError(path, input, `${entry.device.name} (${entry.type.type}) has no such line; its lines: ${lines.join(', ')}`);
  }
};

/** The device a guest names. */
const deviceAt = (name: string, path: string, known: Known): { device: ScenarioDevice; type: CatalogueDeviceType } => {
  const entry = known.get(name);
  if (entry === undefined) throw new ScenarioError(path, name, `is not a device of this scenario; devices: ${[...known.keys()].join(', ')}`);
  return entry;
};

/** The channel a guest runs: the one it names, or the first that fits its program. */
const channelAt = (g: Exclude<ScenarioGuestJson, { program: 'accesses' }>, at: string, type: CatalogueDeviceType): TimerChannel => {
  const names = type.channels.map((c) => c.name).join(', ');
  const wantsWatchdog = g.program === 'watchdog-feeder';
  if (g.channel === undefined) {
    const first = type.channels.find((c) => !wantsWatchdog || c.kind === 'watchdog');
    if (first === undefined) throw new ScenarioError(`${at}.device`, g.device, `${type.type} has no watchdog channel to feed; its channels: ${names} (timers)`);
    return first;
  }
  const channel = type.channels.find((c) => c.name === g.channel);
  if (channel === undefined) throw new ScenarioError(`${at}.channel`, g.channel, `is not a channel of ${g.device} (${type.type}); channels: ${names}`);
  if (wantsWatchdog && channel.kind !== 'watchdog') {
    throw new ScenarioError(`${at}.channel`, g.channel, `is a timer channel; watchdog-feeder needs a watchdog channel of ${type.type} (it has none)`);
  }
  return channel;
};

const normaliseGuest = (g: ScenarioGuestJson, at: string, known: Known, targets: Targets): ScenarioGuest => {
  if (g.program === 'accesses') return { name: g.name, program: 'accesses', accesses: normaliseAccesses(g.accesses, `${at}.accesses`, targets) };
  const { type } = deviceAt(g.device, `${at}.device`, known);
  const base = { name: g.name, device: g.device, channel: channelAt(g, at, type).name };
  switch (g.program) {
    case 'periodic-tick':
      return {
        ...base,
        program: g.program,
        hz: parseFrequency(g.hz, `${at}.hz`),
        ...(g.ticks === undefined ? {} : { ticks: g.ticks }),
        ...(g.latency === undefined ? {} : { latencyNs: parseDuration(g.latency, `${at}.latency`) }),
      };
    case 'clocksource-reader':
      return { ...base, program: g.program, everyNs: parseDuration(g.every, `${at}.every`), ...(g.reads === undefined ? {} : { reads: g.reads }) };
    case 'watchdog-feeder':
      return {
        ...base,
        program: g.program,
        timeoutNs: parseDuration(g.timeout, `${at}.timeout`),
        feedEveryNs: parseDuration(g.feedEvery, `${at}.feedEvery`),
        ...(g.stopAfter === undefined ? {} : { stopAfter: g.stopAfter }),
      };
    case 'polling-reader':
      return {
        ...base,
        program: g.program,
        everyNs: parseDuration(g.every, `${at}.every`),
        ...(g.hz === undefined ? {} : { hz: parseFrequency(g.hz, `${at}.hz`) }),
        ...(g.polls === undefined ? {} : { polls: g.polls }),
      };
  }
};

type AccessJson = Extract<ScenarioGuestJson, { program: 'accesses' }>['accesses'][number];

const normaliseAccesses = (accesses: readonly AccessJson[], at: string, targets: Targets): ScenarioAccess[] => {
  let previous = 0;
  return accesses.map((a, j): ScenarioAccess => {
    const path = `${at}[${j}]`;
    const time = parseDuration(a.at, `${path}.at`);
    if (time < previous) throw new ScenarioError(`${path}.at`, a.at, `must not be before the access before it (${previous} ns): accesses are listed in time order`);
    previous = time;
    const target = targets.get(a.device);
    if (target === undefined) {
      throw new ScenarioError(`${path}.device`, a.device, `is not a device of this scenario; devices: ${[...targets.keys()].join(', ')}`);
    }
    let offset: number;
    let size: AccessSize = a.size ?? 4;
    if (a.register !== undefined) {
      if (a.offset !== undefined) throw new ScenarioError(`${path}.offset`, a.offset, 'give a register or an offset, not both');
      const register = target.registers.find((r) => r.name === a.register);
      if (register === undefined) {
        throw new ScenarioError(`${path}.register`, a.register, `is not a register of ${target.label}; registers: ${list(target.registers.map((r) => r.name))}`);
      }
      offset = register.offset;
      size = a.size ?? register.size;
    } else if (a.offset !== undefined) {
      offset = parseAddress(a.offset, `${path}.offset`);
      if (offset >= target.size) throw new ScenarioError(`${path}.offset`, a.offset, `must be inside ${a.device}'s region (0 to ${hex(target.size - 1)})`);
    } else {
      throw new ScenarioError(path, valueAt(accesses, [j]), 'needs a register (a name) or an offset');
    }
    const address = target.base + offset;
    const named = a.register === undefined ? {} : { register: a.register };
    if (a.write === undefined) return { at: time, device: a.device, ...named, offset, address, size, kind: 'read' };
    try {
      guestWrite(address, a.write, size);
    } catch (error) {
      if (error instanceof BusRangeError) throw new ScenarioError(`${path}.write`, a.write, error.rule);
      throw error;
    }
    return { at: time, device: a.device, ...named, offset, address, size, kind: 'write', value: a.write };
  });
};

/** The interrupt controller's registers, read once from a throwaway instance. */
let controllerRegisterList: readonly RegisterInfo[] | undefined;
const controllerRegisters = (): readonly RegisterInfo[] =>
  (controllerRegisterList ??= new InterruptController(new VirtualClock(), [new IrqLine('input')]).registers ?? []);

/**
 * Builds the guest's program against a stand-in system (a clock at 0, idle
 * lines), so every rule the program checks is checked at parse time; its
 * refusal names an option, which is reported at the scenario key that gave it.
 */
const dryRun = (g: ChannelGuest, device: ScenarioDevice, type: CatalogueDeviceType, at: string, given: ScenarioGuestJson): void => {
  const standIn = { clock: new VirtualClock(), line: (path: string) => new IrqLine(path) };
  try {
    channelProgram(g, device, type, standIn);
  } catch (error) {
    if (!(error instanceof SystemConfigError)) throw error;
    const option = /options\.(\w+)/.exec(error.what)?.[1];
    const key = option === undefined || !Object.hasOwn(OPTION_KEYS, option) ? undefined : OPTION_KEYS[option];
    if (key === undefined) throw new ScenarioError(at, given, error.rule);
    throw new ScenarioError(`${at}.${key}`, valueAt(given, [key]), error.rule);
  }
};
