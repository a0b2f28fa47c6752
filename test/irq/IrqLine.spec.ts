import { describe, expect, it } from 'vitest';
import { IrqLine } from '../../index';

describe('IrqLine', () => {
  it('emits the level on subscription, then each change, never the same level twice', () => {
    const irq = new IrqLine('x');
    const seen: boolean[] = [];
    irq.level$.subscribe((l) => seen.push(l));
    irq.set(true);
    irq.raise();
    irq.lower();
    irq.set(false);
    expect(seen).toEqual([false, true, false]);
  });

  it('pulse: high then low within the instant; absorbed on a line held high', () => {
    const irq = new IrqLine('x');
    const seen: boolean[] = [];
    irq.level$.subscribe((l) => seen.push(l));
    irq.pulse();
    irq.raise();
    irq.pulse();
    expect(seen).toEqual([false, true, false, true]);
    expect(irq.level).toBe(true);
  });

  it('a change made by a subscriber during an emission reaches every subscriber after it, in order', () => {
    // Found with the CMSDK APB timer: the nested change used to overtake the outer one for
    // later subscribers, whose distinct filter then left them believing the wrong level.
    const irq = new IrqLine('x');
    const a: boolean[] = [];
    const b: boolean[] = [];
    irq.level$.subscribe((l) => {
      a.push(l);
      if (l) irq.set(false); // an interrupt handler acknowledging synchronously
      // `level` is current at once: low again right after the handler's acknowledgement
      if (l) expect(irq.level).toBe(false);
    });
    irq.level$.subscribe((l) => b.push(l));
    irq.set(true);
    expect(irq.level).toBe(false);
    expect(a).toEqual([false, true, false]);
    expect(b).toEqual([false, true, false]);
  });

  it('a late subscriber sees the current level', () => {
    const irq = new IrqLine('x', true);
    const seen: boolean[] = [];
    irq.level$.subscribe((l) => seen.push(l));
    expect(seen).toEqual([true]);
  });
});

describe('IrqLine subscribers during an emission', () => {
  it('a subscriber added while a level is being delivered gets that level first, then later changes, each once', () => {
    const line = new IrqLine('l');
    const late: boolean[] = [];
    const early: boolean[] = [];
    line.level$.subscribe((level) => {
      early.push(level);
      if (level && late.length === 0) line.level$.subscribe((l) => late.push(l));
    });
    line.raise();
    line.lower();
    expect(early).toEqual([false, true, false]);
    expect(late).toEqual([true, false]);
  });

  it('an unsubscribed observer gets nothing more, and the others keep receiving', () => {
    const line = new IrqLine('l');
    const a: boolean[] = [];
    const b: boolean[] = [];
    const sa = line.level$.subscribe((l) => a.push(l));
    line.level$.subscribe((l) => b.push(l));
    line.raise();
    sa.unsubscribe();
    line.lower();
    expect(a).toEqual([false, true]);
    expect(b).toEqual([false, true, false]);
  });
});

describe('IrqLine.watch', () => {
  it('gets each change (not the current level), in the same order as level$, until removed', () => {
    const line = new IrqLine('l');
    const order: string[] = [];
    line.level$.subscribe((l) => order.push(`sub ${l}`));
    const stop = line.watch((l) => order.push(`watch ${l}`));
    line.raise();
    line.raise(); // no change
    line.pulse(); // absorbed: the line is high
    line.lower();
    stop();
    line.raise();
    expect(order).toEqual(['sub false', 'sub true', 'watch true', 'sub false', 'watch false', 'sub true']);
  });

  it('a change made by a listener is delivered to everyone after the current one', () => {
    const line = new IrqLine('l');
    const seen: string[] = [];
    line.watch((l) => {
      seen.push(`a ${l}`);
      if (l) line.lower();
    });
    line.watch((l) => seen.push(`b ${l}`));
    line.raise();
    expect(seen).toEqual(['a true', 'b true', 'a false', 'b false']);
    expect(line.level).toBe(false);
  });
});

describe('IrqLine.watch: recorders (#13)', () => {
  it('a listener added with first has each change before the level$ subscribers and the other listeners, whenever it was added', () => {
    const line = new IrqLine('l');
    const order: string[] = [];
    line.watch((l) => order.push(`listener ${l}`));
    line.level$.subscribe((l) => order.push(`sub ${l}`));
    const stop = line.watch((l) => order.push(`recorder ${l}`), { first: true });
    line.watch((l) => order.push(`second recorder ${l}`), { first: true });
    line.raise();
    stop();
    stop(); // idempotent
    line.lower();
    expect(order).toEqual([
      'sub false',
      'recorder true',
      'second recorder true',
      'sub true',
      'listener true',
      'second recorder false',
      'sub false',
      'listener false',
    ]);
  });

  it('a change a listener makes in response reaches the recorders after the change it responds to', () => {
    const line = new IrqLine('l');
    const recorded: boolean[] = [];
    line.watch((l) => {
      if (l) line.lower(); // an acknowledging handler, watching before the recorder was added
    });
    line.watch((l) => recorded.push(l), { first: true });
    line.raise();
    expect(recorded).toEqual([true, false]);
  });

  it('removing one of two registrations of the same function keeps the other', () => {
    const line = new IrqLine('l');
    const seen: boolean[] = [];
    const listener = (l: boolean): number => seen.push(l);
    const stop = line.watch(listener);
    line.watch(listener);
    stop();
    line.raise();
    expect(seen).toEqual([true]);
  });
});

describe('IrqLine.watch: a throwing listener (#13)', () => {
  it('does not keep the other listeners, or a level set meanwhile, from the change; the first error is thrown after all ran', () => {
    const irq = new IrqLine('x');
    const seen: string[] = [];
    irq.watch((l) => {
      seen.push(`a${l}`);
      if (l) {
        irq.lower(); // queued behind this emission
        throw new Error('first');
      }
    });
    irq.watch((l) => {
      seen.push(`b${l}`);
      if (l) throw new Error('second');
    });
    expect(() => irq.raise()).toThrow('first');
    expect(seen).toEqual(['atrue', 'btrue', 'afalse', 'bfalse']);
    expect(irq.level).toBe(false);
  });
});

describe('IrqLine with a sole listener (#19: called without its list)', () => {
  it('gets a level set meanwhile after the change, and its error reaches whoever changed the line', () => {
    const irq = new IrqLine('x');
    const seen: boolean[] = [];
    irq.watch((l) => {
      seen.push(l);
      if (l) {
        irq.lower(); // queued behind this emission
        throw new Error('sole');
      }
    });
    expect(() => irq.raise()).toThrow('sole');
    expect(seen).toEqual([true, false]);
    expect(irq.level).toBe(false);
  });

  it('a subscriber the sole listener adds during a change gets the level it set meanwhile; the first error wins', () => {
    const irq = new IrqLine('x');
    const seen: string[] = [];
    let subscribed = false;
    irq.watch((l) => {
      seen.push(`sole ${l}`);
      if (l) {
        if (!subscribed) irq.level$.subscribe((v) => seen.push(`sub ${v}`)); // makes the side record mid-change
        subscribed = true;
        irq.lower(); // queued behind this change
        throw new Error('first');
      }
      throw new Error('second');
    });
    expect(() => irq.raise()).toThrow('first');
    expect(seen).toEqual(['sole true', 'sub true', 'sub false', 'sole false']);
    expect(irq.level).toBe(false);
    // The line is not left mid-emission: the next change is delivered at once.
    expect(() => irq.raise()).toThrow('first');
    expect(seen.slice(4)).toEqual(['sub true', 'sole true', 'sub false', 'sole false']);
  });

  it('hands over to the list when a second listener joins, and back when it leaves', () => {
    const irq = new IrqLine('x');
    const seen: string[] = [];
    irq.watch((l) => seen.push(`a${l}`));
    const stop = irq.watch((l) => seen.push(`b${l}`));
    irq.raise();
    stop();
    irq.lower();
    expect(seen).toEqual(['atrue', 'btrue', 'afalse']);
  });

  it('keeps the one that stays when the first of two leaves, and hands over again when another joins', () => {
    const irq = new IrqLine('x');
    const seen: string[] = [];
    const stopA = irq.watch((l) => seen.push(`a${l}`));
    irq.watch((l) => seen.push(`b${l}`));
    stopA();
    stopA(); // idempotent: b stays
    irq.raise();
    const stopC = irq.watch((l) => seen.push(`c${l}`));
    irq.lower();
    stopC();
    irq.raise();
    expect(seen).toEqual(['btrue', 'bfalse', 'cfalse', 'btrue']);
  });

  it('a listener joining or leaving during a change takes part from the next change, and the others get this one', () => {
    const irq = new IrqLine('x');
    const seen: string[] = [];
    let stopB: (() => void) | undefined;
    const stopA = irq.watch((l) => {
      seen.push(`a${l}`);
      if (l && stopB === undefined) stopB = irq.watch((m) => seen.push(`b${m}`)); // joins during the sole's change
    });
    irq.raise();
    irq.lower();
    stopA();
    irq.watch((l) => {
      seen.push(`c${l}`);
      stopB!(); // leaves during the change, after b got it (b is first in the list)
    });
    irq.raise();
    irq.lower();
    expect(seen).toEqual(['atrue', 'afalse', 'bfalse', 'btrue', 'ctrue', 'cfalse']);
  });

  it('builds level$ once, on first use', () => {
    const irq = new IrqLine('x', true);
    expect(irq.level$).toBe(irq.level$);
    const seen: boolean[] = [];
    irq.level$.subscribe((l) => seen.push(l));
    irq.lower();
    expect(seen).toEqual([true, false]);
  });
});

describe('IrqLine.listen / unwatch (#19: a watch that makes no function)', () => {
  it('listens as watch does, in the same order as the other listeners, and unwatch stops one registration', () => {
    const irq = new IrqLine('x');
    const seen: string[] = [];
    const a = (l: boolean): number => seen.push(`a${l}`);
    const b = (l: boolean): number => seen.push(`b${l}`);
    irq.listen(a);
    irq.watch(b);
    irq.listen(a); // a second registration of the same function
    irq.raise();
    irq.unwatch(a); // the first registration only
    irq.lower();
    irq.unwatch(a);
    irq.unwatch(a); // none left: nothing
    irq.raise();
    expect(seen).toEqual(['atrue', 'btrue', 'atrue', 'bfalse', 'afalse', 'btrue']);
  });

  it('unwatch of a function never listened changes nothing, with one listener or many', () => {
    const irq = new IrqLine('x');
    const seen: string[] = [];
    irq.listen((l) => seen.push(`a${l}`));
    irq.unwatch(() => {});
    irq.raise();
    irq.listen((l) => seen.push(`b${l}`));
    irq.unwatch(() => {});
    irq.lower();
    expect(seen).toEqual(['atrue', 'afalse', 'bfalse']);
  });

  it('a listener that stops itself during a change keeps the others of that change', () => {
    const irq = new IrqLine('x');
    const seen: string[] = [];
    const self = (l: boolean): void => {
      seen.push(`self${l}`);
      irq.unwatch(self);
    };
    irq.listen(self);
    irq.listen((l) => seen.push(`b${l}`));
    irq.raise();
    irq.lower();
    expect(seen).toEqual(['selftrue', 'btrue', 'bfalse']);
  });
});

describe('IrqLine with nobody listening (#19: the change stops at the level)', () => {
  it('keeps its level through changes, and a later subscriber or listener sees the level it was left at', () => {
    const line = new IrqLine('unwired');
    line.raise();
    line.lower();
    line.pulse();
    line.raise();
    expect(line.level).toBe(true);
    const seen: boolean[] = [];
    line.level$.subscribe((l) => seen.push(l));
    line.lower();
    expect(seen).toEqual([true, false]);
  });

  it('delivers again once a listener is back, after one came and went', () => {
    const line = new IrqLine('irq');
    const seen: boolean[] = [];
    const stop = line.watch((l) => seen.push(l));
    line.raise();
    stop();
    line.lower();
    line.raise();
    line.watch((l) => seen.push(l));
    line.lower();
    expect(seen).toEqual([true, false]);
    expect(line.level).toBe(false);
  });
});
