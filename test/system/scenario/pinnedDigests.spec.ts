// The trace digests of the built-in scenarios for 10 virtual ms, pinned: performance work
// (#19) must leave every event, its order and its content as they were. A change that
// alters the trace on purpose updates these values and says why in its commit.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSystem, parseScenario } from '../../../system/scenario';

const scenario = (name: string, delivery?: string): unknown => {
  const json = JSON.parse(readFileSync(resolve(__dirname, `../../../examples/scenarios/${name}.json`), 'utf8')) as Record<string, unknown>;
  if (delivery !== undefined) json['delivery'] = delivery;
  return json;
};

describe('pinned digests: 10 virtual ms of the built-in scenarios', () => {
  it.each([
    ['default', 'sync', '4cd57ce63656d49d'],
    ['default', 'bottom-half', 'd7b6d3a4c99d7d9d'],
    ['cortex-m', undefined, 'a416c6841f3682ea'],
  ])('%s (%s delivery): %s, with the trace kept and with only its running digest', (name, delivery, digest) => {
    for (const keepTrace of [true, false]) {
      const { system } = buildSystem(parseScenario(scenario(name, delivery)), { keepTrace });
      system.run(10_000_000);
      expect(system.digest()).toBe(digest);
    }
  });
});
