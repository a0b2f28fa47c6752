import type { RegisterInfo } from '../../src/bus/Device';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import type { System } from '../../system/System';
import { FootprintBuilder, type Footprint } from './Footprint';

/** An interrupt controller of a system: its name and its inputs' line paths (`<device>.<line>`), in input order. @internal */
export interface ControllerRoutes {
  /** The controller's name (a device of the system). */
  readonly name: string;
  /** The line path feeding each input. */
  readonly inputs: readonly string[];
}

/** Collects the footprint of each piece of work a system runs (see `ExplorerRun.takeFootprint`). @internal */
export interface FootprintRecorder {
  /** What the work run since the last call touched; starts again empty. */
  take(): Footprint;
  /** Stops watching the system. */
  stop(): void;
}

/**
 * Learns footprints from what a system's work actually did, from its trace
 * as it is recorded: each guest access (a read of a register whose map says
 * it has no effect is a read of that register; a read with effects, or a
 * write, is a write of the device; a refused access is a read, since whether
 * it is refused can depend on state), each device event (an expiry, a
 * trigger, anything else a device records: a write of the device), and each
 * change of a line routed to a controller (a change of that input). Events
 * the recorder cannot place (marks, a line nothing routes) add nothing: the
 * device work that caused them is recorded by its own events.
 * @param system - the system, before it runs
 * @param controllers - its interrupt controllers and their inputs
 * @returns the recorder, watching from now on
 * @internal
 */
export const systemFootprints = (system: System, controllers: readonly ControllerRoutes[] = []): FootprintRecorder => {
  const builder = new FootprintBuilder();
  const devices = new Set(system.deviceNames);
  const inputs = new Map<string, { controller: string; input: number }>();
  // A line's changes are traced under its path (`<device>.<line>`).
  for (const c of controllers) {
    c.inputs.forEach((path, input) => {
      system.line(path); // an unknown path is refused here, naming the known lines
      inputs.set(path, { controller: c.name, input });
    });
  }
  const effects = new Map<string, readonly RegisterInfo[]>();
  /** Whether a read at `offset` of `device` changes its state, from its register map. */
  const readHasEffects = (device: string, offset: number): boolean => {
    let registers = effects.get(device);
    if (registers === undefined) {
      registers = (system.device(device).registers ?? []).filter((r) => r.readEffects === true);
      effects.set(device, registers);
    }
    return registers.some((r) => offset >= r.offset && offset < r.offset + r.size);
  };
  /** The device an event's source names: a device, or `<device>.<timer or line>`. */
  const deviceOf = (source: string): string | undefined => {
    if (devices.has(source)) return source;
    const dot = source.indexOf('.');
    return dot > 0 && devices.has(source.slice(0, dot)) ? source.slice(0, dot) : undefined;
  };
  const stop = system.watchTrace((event: TraceEvent) => {
    switch (event.kind) {
      case 'read':
      case 'write': {
        const device = deviceOf(event.source);
        if (device === undefined) return; // an unmapped address: no device state involved
        if (event.kind === 'write' && event.error === undefined) builder.write(device);
        else if (event.kind === 'read' && event.error === undefined && readHasEffects(device, event.offset)) builder.write(device);
        else builder.read(device, event.offset);
        return;
      }
      case 'irq': {
        const routed = inputs.get(event.source);
        if (routed !== undefined) builder.input(routed.controller, routed.input);
        return;
      }
      case 'guest-error':
      case 'unimplemented':
      case 'mark':
      case 'violation':
        return; // each accompanies an access (recorded above) or is the explorer's own
      default: {
        const device = deviceOf(event.source);
        if (device === undefined) builder.all();
        else builder.write(device);
      }
    }
  });
  return { take: () => builder.take(), stop };
};
