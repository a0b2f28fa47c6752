import { buildSystem, DEFAULT_SCENARIO, parseScenario } from './system';
const scenario = parseScenario(DEFAULT_SCENARIO);
const original = buildSystem(scenario);
const mid = 4_321_987;
original.system.run(mid);
const snapshot = JSON.parse(JSON.stringify(original.system.snapshot()));
original.system.run(original.until);
const restored = buildSystem(scenario, { start: snapshot.time });
restored.system.restore(snapshot);
restored.system.run(restored.until);
const a = original.system.trace.events.filter(e => e.time > mid);
const b = restored.system.trace.events;
console.log(a.length, b.length);
for (let i = 0; i < Math.max(a.length, b.length); i++) {
  if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) { console.log(i, JSON.stringify(a[i]), '\n  ', JSON.stringify(b[i])); for (let j=i-3;j<i+6;j++) console.log('  o', JSON.stringify(a[j]), '\n  r', JSON.stringify(b[j])); break; }
}
