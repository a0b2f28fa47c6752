import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../index';
import { wait, type DriverCommand, type DriverInput } from '../../operators/driverCommands';
import { DriverCommandError } from '../../operators/errors';
import { precheck, PrecheckedIterator } from '../../operators/prechecked';
import { runDriver } from '../../operators/runDriver';
import { guestRead, guestWrite, type GuestRead } from '../../src/bus/GuestAccess';
import { thrown } from '../support/errors';
import { FAKE, fakeDevice } from '../support/fakeDevice';

/** A prechecked driver that yields the given results in turn, then returns. */
class Listed extends PrecheckedIterator implements Iterator<DriverCommand, void, DriverInput> {
  private i = 0;
  readonly inputs: DriverInput[] = [];
  constructor(private readonly commands: readonly DriverCommand[]) {
    super();
  }
  next(input?: DriverInput): IteratorResult<DriverCommand, void> {
    this.inputs.push(input);
    const command = this.commands[this.i++];
    return command === undefined ? { value: undefined, done: true } : { value: command, done: false };
  }
}

describe('precheck', () => {
  it('refuses what runDriver would refuse at a yield, naming the rule', () => {
    const bad = { kind: 'read', offset: -4, size: 4 } as unknown as GuestRead;
    const error = thrown(() => precheck(bad));
    expect(error).toBeInstanceOf(DriverCommandError);
    expect((error as Error).message).toMatch(/offset/);
    expect(thrown(() => precheck({ kind: 'wait', ns: 1.5 }))).toBeInstanceOf(DriverCommandError);
  });

  it('freezes an access or a wait, so that it stays as checked; a wait-until stays open for its time', () => {
    const read = precheck(guestRead(FAKE.DATA));
    expect(Object.isFrozen(read)).toBe(true);
    expect(Object.isFrozen(precheck(wait(5)))).toBe(true);
    const until = precheck({ kind: 'wait-until', time: 0 } as DriverCommand);
    expect(Object.isFrozen(until)).toBe(false);
  });
});

describe('PrecheckedIterator', () => {
  it('marks its subclasses only, not an object that copies their shape or prototype', () => {
    const listed = new Listed([]);
    expect(PrecheckedIterator.is(listed)).toBe(true);
    expect(PrecheckedIterator.is(Object.create(Listed.prototype) as object)).toBe(false);
    expect(PrecheckedIterator.is({ next: () => ({ done: true, value: undefined }) })).toBe(false);
  });

  it("runs a prechecked driver's accesses and waits as any driver's", () => {
    const clock = new VirtualClock();
    const dev = fakeDevice(clock);
    const driver = new Listed([precheck(guestWrite(FAKE.DATA, 7)), precheck(wait(10)), precheck(guestRead(FAKE.DATA))]);
    const seen: number[] = [];
    runDriver(() => driver, { device: dev, scheduler: clock }).subscribe((r) => seen.push(r.time));
    clock.run();
    expect(dev.log).toEqual(['write DATA 7', 'read DATA 7']);
    expect(seen).toEqual([0, 10]);
    expect(driver.inputs).toEqual([undefined, undefined, undefined, 7]);
  });

  it("still checks a wait-until's time at each yield: one in the past errors the stream", () => {
    const clock = new VirtualClock();
    const dev = fakeDevice(clock);
    const until = precheck({ kind: 'wait-until', time: 0 } as DriverCommand) as { kind: 'wait-until'; time: number };
    const driver = new Listed([precheck(wait(20)), until]);
    let error: unknown;
    runDriver(() => driver, { device: dev, scheduler: clock }).subscribe({ error: (e: unknown) => (error = e) });
    until.time = 5;
    clock.run();
    expect(error).toBeInstanceOf(DriverCommandError);
    expect((error as Error).message).toMatch(/past/);
  });
});
