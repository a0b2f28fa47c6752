// DeviceLifetime: a kit device's lifetime, a Subscription that holds its function and object
// teardowns itself (#19 item 3: no 17-slot array per device), and behaves as one.
import { Subscription, UnsubscriptionError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DeviceLifetime } from '../../../src/bus/kit/DeviceLifetime';

describe('DeviceLifetime', () => {
  it('unsubscribe runs the child subscriptions, then the held teardowns in the order added, once', () => {
    const log: string[] = [];
    const life = new DeviceLifetime();
    life.add(() => log.push('f1'));
    life.add({ unsubscribe: () => log.push('o2') });
    life.add(new Subscription(() => log.push('child')));
    life.add(() => log.push('f3'));
    life.add(undefined);
    life.add(life); // itself: ignored, as by Subscription
    life.unsubscribe();
    life.unsubscribe();
    expect(log).toEqual(['child', 'f1', 'o2', 'f3']);
    expect(life.closed).toBe(true);
  });

  it('one teardown alone is held without an array, and runs', () => {
    let ran = 0;
    const life = new DeviceLifetime();
    life.add(() => ran++);
    life.unsubscribe();
    expect(ran).toBe(1);
  });

  it('remove takes a held teardown or a child back', () => {
    const log: string[] = [];
    const life = new DeviceLifetime();
    const a = (): void => void log.push('a');
    const b = { unsubscribe: () => log.push('b') };
    const child = new Subscription(() => log.push('child'));
    life.add(a);
    life.add(b);
    life.add(child);
    life.remove(a);
    life.remove(child);
    life.unsubscribe();
    expect(log).toEqual(['b']);
    const single = new DeviceLifetime();
    single.add(a);
    single.remove(a);
    single.unsubscribe();
    expect(log).toEqual(['b']);
  });

  it('a teardown added once it is closed runs at once', () => {
    const life = new DeviceLifetime();
    life.unsubscribe();
    let ran = false;
    life.add(() => (ran = true));
    expect(ran).toBe(true);
  });

  it('errors: every teardown runs, then one UnsubscriptionError carries every error in order', () => {
    const log: string[] = [];
    const life = new DeviceLifetime();
    life.add(new Subscription(() => {
      throw new Error('child');
    }));
    life.add(() => {
      throw new Error('first');
    });
    life.add(() => log.push('ran'));
    life.add({
      unsubscribe: () => {
        throw new UnsubscriptionError([new Error('nested')]);
      },
    });
    let caught: unknown;
    try {
      life.unsubscribe();
    } catch (error) {
      caught = error;
    }
    expect(log).toEqual(['ran']);
    expect(caught).toBeInstanceOf(UnsubscriptionError);
    expect((caught as UnsubscriptionError).errors.map((e) => (e as Error).message)).toEqual(['child', 'first', 'nested']);
  });
});
