// System.dispose() (#13, item 3): a disposed system releases everything it holds, so that
// it leaves nothing on its clock and nothing listening to the ClockInputs it shares with
// other systems. Devices are disposed through Device.dispose(); a device without it is only
// let go of (its own timers and clock-input listeners stay): the default-scenario test
// states its checks for the devices that have dispose(), so it tightens by itself as more
// devices gain one, and turns into "nothing at all is left" once they all do.
import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/bus/Device';
import type { ClockInput } from '../../src/clock/ClockInput';
import type { PendingEvent } from '../../src/clock/VirtualClock';
import { buildSystem, DEFAULT_SCENARIO, parseScenario, SystemConfigError, type ScenarioJson } from '../../system';
import { thrown } from '../support/errors';

/** Two CMSDK APB timers (they have dispose()) on an interrupt controller, each with a tick handler. */
const TIMERS_ONLY: ScenarioJson = {
  name: 'timers',
  duration: '2ms',
  devices: [
    { name: 'timer0', type: 'cmsdk-apb-timer', base: '0x40000000', clocks: { pclk: '25MHz' } },
    { name: 'timer1', type: 'cmsdk-apb-timer', base: '0x40001000', clocks: { pclk: '10MHz' } },
  ],
  interruptController: { name: 'intc', base: '0x4000f000', inputs: ['timer0.timerint', 'timer1.timerint'] },
  guests: [
    { name: 'tick0', program: 'periodic-tick', device: 'timer0', channel: 'timer', hz: '10kHz', latency: '2us' },
    { name: 'tick1', program: 'periodic-tick', device: 'timer1', channel: 'timer', hz: '4kHz', latency: '3us' },
  ],
};

/** Subscribes to every device's events$ and reports which completed. */
const completions = (devices: readonly Device[]): (() => string[]) => {
  const completed: string[] = [];
  for (const d of devices) d.events$.subscribe({ complete: () => completed.push(d.name) });
  return () => completed;
};

const devicesOf = (system: { deviceNames: readonly string[]; device(name: string): Device }): Device[] =>
  system.deviceNames.map((name) => system.device(name));

/** Owner of a piece of device work: the device whose name prefixes its timer's name. */
const ownerOf = (e: PendingEvent, names: readonly string[]): string | undefined => names.find((n) => e.tag.owner === n || e.tag.owner.startsWith(`${n}.`));

describe('System.dispose (#13)', () => {
  it('leaves nothing on the clock, completes every device stream, and lets go of shared clock inputs; a system sharing them runs on unaffected', () => {
    const scenario = parseScenario(TIMERS_ONLY);
    const a = buildSystem(scenario);
    const b = buildSystem(scenario, { clocks: a.clocks }); // shares a's ClockInputs
    const reference = buildSystem(scenario); // its own
    const aCompleted = completions(devicesOf(a.system));
    let busCompleted = false;
    a.system.bus.events$.subscribe({ complete: () => (busCompleted = true) });
    for (const s of [a, b, reference]) s.system.run(1_000_000);
    expect(a.system.clock.pending).toBeGreaterThan(0);

    a.system.dispose();
    a.system.dispose(); // idempotent
    expect(a.system.clock.pending).toBe(0);
    expect(aCompleted()).toEqual(['intc', 'timer1', 'timer0']); // the last added first: the controller before the devices it follows
    expect(busCompleted).toBe(true);
    const recorded = a.system.trace.events.length;

    // The shared inputs change rate: b follows, a (disposed) hears nothing; the reference gets the same change.
    for (const [name, input] of Object.entries(a.clocks)) {
      expect(() => input.setHz(input.hz * 2)).not.toThrow();
      reference.clocks[name]!.setHz(reference.clocks[name]!.hz * 2);
    }
    expect(a.system.clock.pending).toBe(0);
    expect(a.system.trace.events.length).toBe(recorded);

    b.system.run(2_000_000);
    reference.system.run(2_000_000);
    expect(b.system.trace.events.length).toBeGreaterThan(recorded);
    expect(b.system.digest()).toBe(reference.system.digest());
  });

  it('releases a replay and its placer: nothing left on the clock mid-replay', () => {
    const scenario = parseScenario(TIMERS_ONLY);
    const original = buildSystem(scenario, { recordInputs: true });
    original.system.run(2_000_000);
    const replay = buildSystem(scenario, { guests: false });
    replay.system.replay(original.system.recording);
    replay.system.run(1_000_000);
    replay.system.dispose();
    expect(replay.system.clock.pending).toBe(0);
  });

  it('the default scenario: for every device that has dispose(), nothing of it is left (the others keep only their own timers)', () => {
    const scenario = parseScenario(DEFAULT_SCENARIO);
    const a = buildSystem(scenario);
    const b = buildSystem(scenario, { clocks: a.clocks });
    const reference = buildSystem(scenario);
    const devices = devicesOf(a.system);
    const disposable = devices.filter((d) => typeof d.dispose === 'function').map((d) => d.name);
    const kept = devices.filter((d) => typeof d.dispose !== 'function').map((d) => d.name);
    expect(disposable).toContain('timer0'); // the CMSDK APB timer, and the interrupt controller
    expect(disposable).toContain('intc');
    const aCompleted = completions(devices);
    for (const s of [a, b, reference]) s.system.run(1_000_000);

    a.system.dispose();
    const left = a.system.clock.pendingEvents();
    // No guest step and no placer anchor; device work only from devices without dispose().
    expect(left.filter((e) => e.tag.kind === 'guest' || e.tag.kind === 'placer')).toEqual([]);
    expect(left.filter((e) => !kept.includes(ownerOf(e, devices.map((d) => d.name)) ?? ''))).toEqual([]);
    if (kept.length === 0) expect(a.system.clock.pending).toBe(0);
    expect(aCompleted().sort()).toEqual([...disposable].sort());

    // The inputs of the devices with dispose() have nobody from a left: changing them changes nothing there.
    const inputsOf = (name: string): [string, ClockInput][] => Object.entries(a.clocks).filter(([clock]) => clock.startsWith(`${name}.`));
    const before = { pending: a.system.clock.pendingEvents(), events: a.system.trace.events.length };
    for (const [name, input] of disposable.flatMap(inputsOf)) {
      expect(() => input.setHz(input.hz * 2)).not.toThrow();
      reference.clocks[name]!.setHz(reference.clocks[name]!.hz * 2);
    }
    expect({ pending: a.system.clock.pendingEvents(), events: a.system.trace.events.length }).toEqual(before);

    b.system.run(2_000_000);
    reference.system.run(2_000_000);
    expect(b.system.digest()).toBe(reference.system.digest());
  });

  it('a disposed system refuses to run or to be built further; what it recorded stays readable', () => {
    const { system } = buildSystem(parseScenario(TIMERS_ONLY), { recordInputs: true });
    system.run(500_000);
    const digest = system.digest();
    const snapshot = system.snapshot();
    system.dispose();
    expect(thrown(() => system.run(600_000))).toMatchObject({ name: 'SystemConfigError', message: 'run(): "run" is invalid: cannot be called on a disposed system' });
    expect(thrown(() => system.addGuest('late', function* () {}))).toBeInstanceOf(SystemConfigError);
    expect(thrown(() => system.restore(snapshot))).toMatchObject({ name: 'SystemSnapshotError', message: '(system): "disposed" is invalid: restore into a system that is not disposed' });
    expect(system.digest()).toBe(digest);
    expect(system.bus.regions.map((r) => r.device.name)).toEqual(['timer0', 'timer1', 'intc']);
    expect(system.recording.steps.length).toBeGreaterThan(0);
  });
});
