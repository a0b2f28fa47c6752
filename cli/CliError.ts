/** Exit code of a usage error (a bad option or argument, or options that contradict each other), as most command lines use. */
export const USAGE_ERROR = 2;

/**
 * An error the CLI reports as one line on stderr (no stack), with exit code
 * `exitCode`: bad input, an unwritable path, a failed check.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  /**
   * @param message - the line to print (without the `ptimer-rx:` prefix)
   * @param exitCode - the process exit code (default 1)
   */
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
  }
}
