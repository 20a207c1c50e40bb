// What a failure of the CLI prints and which exit code it ends with. Exit codes mean one thing each
// (ARCHITECTURE.md, CLI contract): 1 is reserved for "regression found" or "no config verified",
// set by the commands themselves; bad usage, bad input and unwritable outputs are 2 with one line;
// anything else is a crash of the tool, 70 (EX_SOFTWARE in sysexits.h), so CI never reads an
// internal error as a regression. The stack is printed only under TILESWEEP_DEBUG=1.
import { CommanderError } from 'commander';
import { UsageError } from '../core/errors.ts';

export const USAGE_EXIT = 2;
export const INTERNAL_ERROR_EXIT = 70;

export interface FailureExit {
  code: number;
  /** What goes to stderr: one line, or nothing when commander already printed its message. */
  text: string;
}

const firstLine = (text: string): string => text.split('\n')[0];

export function failureExit(error: unknown, env: NodeJS.ProcessEnv): FailureExit {
  // Help and --version exit 0; anything commander rejects is bad usage (it printed why).
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : USAGE_EXIT, text: '' };
  if (error instanceof UsageError) return { code: USAGE_EXIT, text: `tilesweep: ${firstLine(error.message)}\n` };
  const what = error instanceof Error ? `${error.name}: ${firstLine(error.message)}` : firstLine(String(error));
  const debug = env.TILESWEEP_DEBUG === '1';
  const where = debug && error instanceof Error && error.stack ? `${error.stack.split('\n').slice(1).join('\n')}\n` : '';
  const hint = debug ? '' : ' (TILESWEEP_DEBUG=1 shows where)';
  return { code: INTERNAL_ERROR_EXIT, text: `tilesweep: internal error: ${what}${hint}\n${where}` };
}
