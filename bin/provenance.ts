// The provenance of one CLI call (core/results.ts, CallProvenance): a run id that every row it
// measures carries, the command as typed (paths made relative, so no machine's layout leaks into
// results), the tool's commit when run from a checkout, and the device as the call saw it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallProvenance, DeviceInfo } from '../core/results.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The tool's git commit, or undefined outside a checkout (an installed package, a bundle).
 * TILESWEEP_COMMIT names it where the tree was copied without its history (a GPU host's copy).
 */
function toolCommit(): string | undefined {
  if (process.env.TILESWEEP_COMMIT) return process.env.TILESWEEP_COMMIT.slice(0, 12);
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `tilesweep <args>` with every absolute path argument made relative to the working directory. */
export function commandLine(args: readonly string[], cwd = process.cwd()): string {
  const shown = args.map((arg) => {
    const eq = arg.indexOf('=');
    const [flag, value] = arg.startsWith('--') && eq > 0 ? [`${arg.slice(0, eq)}=`, arg.slice(eq + 1)] : ['', arg];
    const path = isAbsolute(value) ? relative(cwd, value) || '.' : value;
    return `${flag}${/[\s"'$]/.test(path) ? JSON.stringify(path) : path}`;
  });
  return ['tilesweep', ...shown].join(' ');
}

export function newCall(device: DeviceInfo, args: readonly string[] = process.argv.slice(2)): CallProvenance {
  const startedAt = new Date().toISOString();
  const commit = toolCommit();
  return {
    runId: `${startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`,
    command: commandLine(args),
    startedAt,
    ...(commit ? { commit } : {}),
    device,
  };
}
