import type { Device } from '../src/bus/Device';
import type { AccessSize } from '../src/bus/GuestAccess';
import type { VirtualClock } from '../src/clock/VirtualClock';
import { InterruptController } from '../src/irq/InterruptController';
import type { IrqSignal } from '../src/irq/IrqLine';
import type { ControllerInput } from './ControllerInput';
import { SystemConfigError } from './errors';
import { isWhole } from './isWhole';
import { isReservedName, RESERVED_NAME_RULE } from './reservedName';
import type { SystemRecorder } from './SystemRecorder';
import { SystemBus, type BusRegion } from './SystemBus';

/** Where a device sits on the bus. */
export interface MapOptions {
  /** First byte address (whole, non-negative). */
  readonly base: number;
  /**
   * Bytes it spans. Default: its registers' extent rounded up to 4 KiB, or
   * 4 KiB for a device that does not list its registers.
   */
  readonly size?: number;
}

const PAGE = 0x1000;

/**
 * The hardware side of a system: its devices by name, mapped on its bus,
 * their lines by path (`<device>.<line>`), the interrupt controllers fed by
 * those lines, and the tracing of all of it. It checks what it is given
 * (names, ranges, line paths) and releases everything it connected at
 * {@link SystemBuilder.dispose}.
 * @internal
 */
export class SystemBuilder {
  /** The guest's view: absolute addresses routed to the devices. */
  readonly bus: SystemBus;
  private readonly regions = new Map<string, BusRegion>();
  private readonly lines = new Map<string, IrqSignal>();
  private readonly controllerInputs = new Map<string, readonly ControllerInput[]>();
  /** What stops the tracing of each device and line, in the order connected. */
  private readonly untrace: (() => void)[] = [];

  /**
   * @param clock - the system's clock (interrupt controllers stamp events with it)
   * @param recorder - traces the devices and lines
   * @param onAccess - sees each bus access before it is performed (the guest runner's recording)
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly recorder: SystemRecorder,
    onAccess: (kind: 'read' | 'write', address: number, size: AccessSize, value: number) => void,
  ) {
    this.bus = new SystemBus(() => clock.now(), recorder, onAccess);
  }

  /** See `System.addDevice`. */
  addDevice<D extends Device>(device: D, options: MapOptions): D {
    const { name } = device;
    checkName(name, 'addDevice(device.name)');
    if (this.regions.has(name) || name === this.bus.name) {
      throw new SystemConfigError(name, 'device names must be unique in a system (and not "bus")', 'addDevice(device.name)');
    }
    const { base } = options;
    if (!isWhole(base)) throw new SystemConfigError(base, 'must be a whole, non-negative address', `addDevice(${name}).base`);
    const size = options.size ?? defaultSize(device);
    if (!isWhole(size) || size === 0) throw new SystemConfigError(size, 'must be a positive whole number of bytes', `addDevice(${name}).size`);
    const r = this.bus.overlapping(base, size);
    if (r !== undefined) {
      throw new SystemConfigError(
        `0x${base.toString(16)}..0x${(base + size - 1).toString(16)}`,
        `overlaps ${r.device.name} at 0x${r.base.toString(16)}..0x${(r.base + r.size - 1).toString(16)}`,
        `addDevice(${name})`,
      );
    }
    const region: BusRegion = { device, base, size };
    this.bus.map(region);
    this.regions.set(name, region);
    this.untrace.push(this.recorder.traceDevice(device));
    for (const [key, signal] of Object.entries(device.lines ?? {})) {
      const path = `${name}.${key}`;
      this.lines.set(path, signal);
      this.untrace.push(this.recorder.traceLine(path, signal));
    }
    this.recorder.addProbes(name, device);
    return device;
  }

  /** See `System.addInterruptController`. */
  addInterruptController(name: string, inputs: readonly string[], options: MapOptions & { readonly edge?: readonly number[] }): InterruptController {
    checkName(name, 'addInterruptController(name)');
    const signals = inputs.map((path, i) => this.lineAt(path, `addInterruptController(${name}).inputs[${i}]`));
    const controller = new InterruptController(this.clock, signals, { name, ...(options.edge === undefined ? {} : { edge: options.edge }) });
    this.addDevice(controller, options);
    const edge = new Set(options.edge ?? []);
    this.controllerInputs.set(
      name,
      inputs.map((path, i) => ({ path, signal: signals[i]!, edge: edge.has(i) })),
    );
    return controller;
  }

  /** The region of device `name`. @throws SystemConfigError naming the known devices */
  region(name: string): BusRegion {
    const region = this.regions.get(name);
    if (region === undefined) {
      throw new SystemConfigError(name, `is not a device of this system; devices: ${[...this.regions.keys()].join(', ') || '(none)'}`, 'device(name)');
    }
    return region;
  }

  /**
   * The line at `path`.
   * @param path - `<device>.<line>`
   * @param what - where it was given, for the error
   * @throws SystemConfigError naming the known lines
   */
  lineAt(path: string, what: string): IrqSignal {
    const signal = this.lines.get(path);
    if (signal === undefined) {
      throw new SystemConfigError(path, `is not a device line; known lines: ${[...this.lines.keys()].join(', ') || '(none)'}`, what);
    }
    return signal;
  }

  /** Each interrupt controller's inputs, by controller name: the line each follows (restores name them in their refusals). */
  get routes(): ReadonlyMap<string, readonly ControllerInput[]> {
    return this.controllerInputs;
  }

  /** The devices by name, in the order they were added. */
  get devices(): ReadonlyMap<string, Device> {
    return new Map([...this.regions].map(([name, { device }]) => [name, device]));
  }

  /**
   * Stops tracing, unmaps the devices and disposes of each that can be
   * (`Device.dispose`), the last added first (an interrupt controller before
   * the devices whose lines it follows). A device without `dispose` is only
   * let go of: its timers and clock-input listeners stay where it put them.
   */
  dispose(): void {
    for (const stop of this.untrace.splice(0).reverse()) stop();
    this.bus.dispose();
    for (const { device } of [...this.regions.values()].reverse()) device.dispose?.();
  }
}

/** A device name is a non-empty string that plain objects do not reserve (it indexes the system snapshot's records). */
const checkName = (name: unknown, what: string): void => {
  if (typeof name !== 'string' || name === '') throw new SystemConfigError(name, 'must be a non-empty string', what);
  if (isReservedName(name)) throw new SystemConfigError(name, RESERVED_NAME_RULE, what);
};

const defaultSize = (device: Device): number => {
  const regs = device.registers;
  if (regs === undefined || regs.length === 0) return PAGE;
  const end = Math.max(...regs.map((r) => r.offset + r.size));
  return Math.max(PAGE, Math.ceil(end / PAGE) * PAGE);
};
