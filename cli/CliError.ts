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
