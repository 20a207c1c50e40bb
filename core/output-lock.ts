// One writer per results file. Two sweeps rewriting the same --out would each replace the other's
// file with their own rows, so a sweep takes `<out>.lock` (created exclusively, holding its pid)
// before its first row and a second sweep on the same file is refused with a one-line UsageError.
// A lock whose process has died (a kill) is taken over, and the temporary files that process left
// beside the output are removed. Liveness is checked by pid, so the lock holds on one machine.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { message, UsageError } from './errors.ts';
import { ioReason } from './io-reason.ts';

const lockPath = (path: string): string => `${path}.lock`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Removes `<out>.<pid>.tmp` files of processes that no longer run (killed mid-write). */
function removeOrphans(path: string): void {
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -'.tmp'.length)) : NaN;
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) rmSync(join(dirname(path), name), { force: true });
  }
}

/** Takes the lock of output file `path`; returns its release (also run when the process exits). */
export function lockOutput(path: string): () => void {
  const absolute = resolve(path);
  const lock = lockPath(absolute);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(message.cannotWrite('--out', path, ioReason(error)));
      const pid = holder(lock);
      // A lock being written right now reads empty once; a second empty read is a torn lock of a dead process.
      if ((pid !== undefined && alive(pid)) || (pid === undefined && attempt === 0)) {
        if (pid !== undefined) throw new UsageError(message.outputLocked(path, pid));
        continue;
      }
      if (attempt > 2) throw new UsageError(message.outputLocked(path, pid ?? 0));
      rmSync(lock, { force: true });
    }
  }
  removeOrphans(absolute);
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (holder(lock) === process.pid) rmSync(lock, { force: true });
  };
  process.on('exit', release);
  return release;
}
