import { expect } from 'vitest';
import type { System } from '../../system';

/**
 * Runs `system` towards `until` and stops it right after its first timer
 * expiry (an observer throws there): under bottom-half delivery, that
 * expiry's bottom halves are then queued and not yet run.
 */
export const cutAfterFirstExpiry = (system: System, until: number): void => {
  const stop = system.clock.observe({
    after: (tag) => {
      if (tag.kind === 'expiry') throw new Error('cut');
    },
  });
  expect(() => system.run(until)).toThrow('cut');
  stop();
};
