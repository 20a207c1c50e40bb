// Runs a commander program as the `tilesweep` process: every way it can fail (a thrown error, a
// rejection or exception that escapes the command's promise) ends in failureExit's one line and
// exit code, never in Node's default stack trace and exit 1.
import type { Command } from 'commander';
import { failureExit } from './failure.ts';

function fail(error: unknown): void {
  const { code, text } = failureExit(error, process.env);
  if (text) process.stderr.write(text);
  process.exitCode = code;
}

/** Parses `argv` with `program`; the exit code is left in process.exitCode. */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  const escaped = (error: unknown): void => {
    fail(error);
    process.exit();
  };
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    fail(error);
  }
}
