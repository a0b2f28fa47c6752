import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import { buildSystem, parseScenario, ScenarioError, System, SystemConfigError, type GuestProgram, type Scenario } from '../../system';
import { thrown } from '../support/errors';

// Names a plain object answers without holding them: an entry under one would vanish or be misread (#14).
const RESERVED = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const RULE = /must not be a name plain objects reserve/;

const idle: GuestProgram = { start: function* () {}, position: () => ({}) };

/** A valid scenario file as JSON text, so that `__proto__` stays an own key (as read from a file). */
const scenarioText = (edit: { device?: string; guest?: string; controller?: string; clock?: string } = {}): string => `{
  "duration": "1ms",
  "devices": [{ "name": ${JSON.stringify(edit.device ?? 'timer0')}, "type": "minimal-timer", "base": "0x40000000",
                "clocks": { ${JSON.stringify(edit.clock ?? 'clk')}: "1MHz" } }],
  "interruptController": { "name": ${JSON.stringify(edit.controller ?? 'intc')}, "base": "0x4000f000", "inputs": [${JSON.stringify(`${edit.device ?? 'timer0'}.irq`)}] },
  "guests": [{ "name": ${JSON.stringify(edit.guest ?? 'tick')}, "program": "periodic-tick", "device": ${JSON.stringify(edit.device ?? 'timer0')}, "hz": "1kHz" }]
}`;

describe.each(RESERVED)('reserved name %s (#14)', (name) => {
  it('is refused as a device name, a controller name and a guest name when a system is built', () => {
    const system = new System();
    expect(thrown(() => system.addDevice(new MinimalTimer(system.clock, { name, periodNs: 100 }), { base: 0 }))).toMatchObject({
      name: 'SystemConfigError',
      what: 'addDevice(device.name)',
      value: name,
      rule: expect.stringMatching(RULE) as unknown,
    });
    system.addDevice(new MinimalTimer(system.clock, { name: 'timer0', periodNs: 100 }), { base: 0 });
    expect(thrown(() => system.addInterruptController(name, ['timer0.irq'], { base: 0x1000 }))).toMatchObject({
      what: 'addInterruptController(name)',
      value: name,
    });
    expect(thrown(() => system.addGuest(name, idle))).toMatchObject({ name: 'SystemConfigError', what: 'addGuest(name)', value: name });
    // Nothing refused was added: the system still builds and runs.
    expect(system.deviceNames).toEqual(['timer0']);
    system.run(1_000);
  });

  it('is refused as a device, clock, controller or guest name when a scenario is loaded, at its path', () => {
    const at = (json: string): ScenarioError => {
      const error = thrown(() => parseScenario(JSON.parse(json)));
      expect(error).toBeInstanceOf(ScenarioError);
      return error as ScenarioError;
    };
    expect(at(scenarioText({ device: name }))).toMatchObject({ path: 'devices[0].name', value: name, rule: expect.stringMatching(RULE) as unknown });
    expect(at(scenarioText({ guest: name }))).toMatchObject({ path: 'guests[0].name', value: name });
    expect(at(scenarioText({ controller: name }))).toMatchObject({ path: 'interruptController.name', value: name });
    // Not "unknown clock" and, for __proto__, not silently dropped: refused as a name.
    expect(at(scenarioText({ clock: name }))).toMatchObject({ path: `devices[0].clocks.${name}`, rule: expect.stringMatching(RULE) as unknown });
    expect(parseScenario(JSON.parse(scenarioText())).devices[0]!.clocks).toEqual({ clk: 1_000_000 });
  });

  it('is refused by buildSystem in a scenario made in code (which skips parseScenario)', () => {
    const good = parseScenario(JSON.parse(scenarioText()));
    const edited = (edit: (s: { -readonly [K in keyof Scenario]: unknown }) => void): Scenario => {
      const s = JSON.parse(JSON.stringify(good)) as Scenario;
      edit(s as never);
      return s;
    };
    const refusal = (scenario: Scenario): unknown => thrown(() => buildSystem(scenario));
    expect(refusal(edited((s) => ((s.devices as { name: string }[])[0]!.name = name)))).toMatchObject({
      name: 'SystemConfigError',
      what: 'buildSystem(scenario.devices[0].name)',
      value: name,
    });
    expect(refusal(edited((s) => ((s.guests as { name: string }[])[0]!.name = name)))).toMatchObject({ what: 'buildSystem(scenario.guests[0].name)' });
    expect(refusal(edited((s) => ((s.interruptController as { name: string }).name = name)))).toMatchObject({
      what: 'buildSystem(scenario.interruptController.name)',
    });
    const clocks = JSON.parse(`{ ${JSON.stringify(name)}: 5, "clk": 1000000 }`) as Record<string, number>;
    expect(refusal(edited((s) => ((s.devices as { clocks: unknown }[])[0]!.clocks = clocks)))).toMatchObject({
      what: 'buildSystem(scenario.devices[0].clocks)',
      value: name,
    });
    expect(() => buildSystem(good)).not.toThrow();
  });
});

it('a built scenario keeps every guest program and clock input under its own name (no entry reaches a prototype)', () => {
  const built = buildSystem(parseScenario(JSON.parse(scenarioText({ guest: 'tick' }))));
  expect(Object.keys(built.programs)).toEqual(['tick']);
  expect(Object.keys(built.clocks)).toEqual(['timer0.clk']);
  expect(thrown(() => new System().addGuest('__proto__', idle))).toBeInstanceOf(SystemConfigError);
});
