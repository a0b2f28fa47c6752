/**
 * Runs `fn` and returns what it threw, so a test can check the error's class,
 * fields and message together; fails the test if nothing was thrown.
 */
export const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};
