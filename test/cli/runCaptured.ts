import { runCli } from '../../cli/runCli';

/** What one call of the CLI printed, and its exit code. */
export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The `ptimer-rx` command line in this process, its output captured: what
 * cli/main.ts adds around `runCli` (the exit code as the process's, a closed
 * pipe) is tested on the built command in main.spec.ts.
 * @param args - the arguments after the program name
 * @returns the exit code and everything written, stdout a line per `io.stdout` call
 */
export const runCaptured = async (args: readonly string[]): Promise<CliOutcome> => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (line) => void (stdout += `${line}\n`),
    stderr: { write: (text) => ((stderr += text), true) },
  });
  return { code, stdout, stderr };
};
