// Files that a kill must never leave half-written: write beside the target, then rename over it
// (rename is atomic within one filesystem). A write that fails (a full disk, a folder in the way)
// removes its temporary file and is a one-line UsageError naming the target: the CLI's exit 2.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { message, UsageError } from './errors.ts';
import { ioReason } from './io-reason.ts';

/** The temporary name a write by process `pid` uses beside `path` (core/output-lock.ts removes orphans). */
export const tempPath = (path: string, pid = process.pid): string => `${path}.${pid}.tmp`;

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was created there (a parent is a file, or the folder is gone).
  }
}

export function writeFileAtomic(path: string, text: string): void {
  const temp = tempPath(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw new UsageError(message.writeFailed(path, ioReason(error)));
  }
}
