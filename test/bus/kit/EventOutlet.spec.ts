import { describe, expect, it } from 'vitest';
import { EventOutlet, type TraceEvent } from '../../../index';

const EVENT: TraceEvent = { kind: 'unimplemented', time: 5, source: 'dev', offset: 4, feature: 'X' };

describe('EventOutlet', () => {
  it('gives each event to the connected sinks first, then to events$ subscribers, in order', () => {
    const outlet = new EventOutlet();
    const log: string[] = [];
    outlet.events$.subscribe((e) => log.push(`observer ${e.time}`));
    const stop = outlet.connect({ record: (e) => log.push(`sink ${e.time}`) });
    outlet.record(EVENT);
    stop();
    stop();
    outlet.record({ ...EVENT, time: 6 });
    expect(log).toEqual(['sink 5', 'observer 5', 'observer 6']);
  });

  it('a throwing sink does not keep the others or the observers from the event; its error is rethrown', () => {
    const outlet = new EventOutlet();
    const log: string[] = [];
    outlet.connect({
      record: () => {
        throw new Error('first sink');
      },
    });
    outlet.connect({ record: () => void log.push('second sink') });
    outlet.events$.subscribe(() => log.push('observer'));
    expect(() => outlet.record(EVENT)).toThrow('first sink');
    expect(log).toEqual(['second sink', 'observer']);
  });

  it('close() completes events$ (also for later subscribers), drops the sinks and ignores later events', () => {
    const outlet = new EventOutlet();
    const log: string[] = [];
    outlet.connect({ record: () => void log.push('sink') });
    outlet.events$.subscribe({ complete: () => log.push('complete') });
    outlet.close();
    outlet.close();
    outlet.record(EVENT);
    outlet.events$.subscribe({ complete: () => log.push('late complete') });
    expect(log).toEqual(['complete', 'late complete']);
  });
});
