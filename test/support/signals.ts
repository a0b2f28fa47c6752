import { Observable, skip } from 'rxjs';
import type { IrqSignal } from '../../src/irq/IrqLine';

/**
 * A signal driven by an observable of levels (marbles, subjects), for tests:
 * `level$` is `levels$` itself (its first emission is the current level),
 * `watch` gets every later emission of it, unfiltered. `level` is fixed:
 * nothing under test may rely on reading it.
 * @param name - the signal's name
 * @param levels$ - the levels, current first
 * @param level - what `level` reads (default low)
 */
export const signalOf = (name: string, levels$: Observable<boolean>, level = false): IrqSignal => ({
  name,
  level,
  level$: levels$,
  watch: (listener) => {
    const subscription = levels$.pipe(skip(1)).subscribe(listener);
    return () => subscription.unsubscribe();
  },
});

/**
 * `signal` with a count of who follows it now: its `level$` subscribers and
 * its `watch` listeners.
 * @param signal - the signal to follow through
 */
export const counted = (signal: IrqSignal): { signal: IrqSignal; followers: () => number } => {
  let followers = 0;
  const level$ = new Observable<boolean>((subscriber) => {
    followers++;
    const subscription = signal.level$.subscribe(subscriber);
    return () => {
      followers--;
      subscription.unsubscribe();
    };
  });
  return {
    signal: {
      name: signal.name,
      get level() {
        return signal.level;
      },
      level$,
      watch: (listener) => {
        followers++;
        const stop = signal.watch(listener);
        let watching = true;
        return () => {
          if (!watching) return;
          watching = false;
          followers--;
          stop();
        };
      },
    },
    followers: () => followers,
  };
};
