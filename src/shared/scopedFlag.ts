/**
 * A flag that holds while a call runs and no longer: for a mode a few call
 * sites enter and code deep below them reads (a restore of trusted data, a
 * restore bottom halves follow), without passing it through every layer.
 * Calls nest; the flag holds until the outermost one returns or throws.
 */
export interface ScopedFlag {
  /** Runs `body` with the flag held. */
  within<T>(body: () => T): T;
  /** Whether a {@link ScopedFlag.within} call is running now. */
  held(): boolean;
}

/** A new {@link ScopedFlag}, not held. */
export const scopedFlag = (): ScopedFlag => {
  let depth = 0;
  return {
    within: (body) => {
      depth++;
      try {
        return body();
      } finally {
        depth--;
      }
    },
    held: () => depth > 0,
  };
};
