// Output paths checked before any device opens or any row runs (the CLI contract): a file output
// must be a regular file or not exist yet, its folder must be one that can be made and written; a
// folder output likewise. Nothing under /proc, /sys or /dev is an output (a recursive mkdir there
// never returns, and a write there is not a file). Each refusal is a one-line UsageError naming the
// flag and the path. The check writes and removes a probe file, so a read-only file system or a
// folder without permission is found now, not after the sweep has measured.
import { closeSync, existsSync, mkdirSync, openSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { tempPath } from './atomic-file.ts';
import { message, UsageError } from './errors.ts';
import { ioReason } from './io-reason.ts';

const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'] as const;

const under = (path: string, root: string): boolean => path === root || path.startsWith(root + sep);

/** The nearest path at or above `path` that exists. */
function existingAncestor(path: string): string {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/** Refuses `path` when it, or where its nearest existing ancestor really is, lies under /proc, /sys or /dev. */
function refuseSpecial(flag: string, path: string, absolute: string): void {
  const ancestor = existingAncestor(absolute);
  let real = absolute;
  try {
    real = join(realpathSync(ancestor), relative(ancestor, absolute));
  } catch {
    // An ancestor that cannot be resolved is judged by its name.
  }
  for (const root of SPECIAL_ROOTS) {
    if (under(absolute, root) || under(real, root)) throw new UsageError(message.outputSpecial(flag, path, root));
  }
}

/** Makes `folder` (and its parents), naming the first ancestor that is a file instead of a folder. */
function makeFolder(flag: string, path: string, folder: string): void {
  const ancestor = existingAncestor(folder);
  if (!statSync(ancestor).isDirectory()) throw new UsageError(message.outputUnderFile(flag, path, ancestor));
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new UsageError(message.cannotWrite(flag, path, ioReason(error)));
  }
}

/** Creates and removes `probe`: the folder really takes new files. */
function probeWrite(flag: string, path: string, probe: string): void {
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (error) {
    throw new UsageError(message.cannotWrite(flag, path, ioReason(error)));
  }
  rmSync(probe, { force: true });
}

/** A results or report file named by `flag` (e.g. --out): writable by temp-then-rename. */
export function checkOutputFile(path: string, flag: string): void {
  const absolute = resolve(path);
  refuseSpecial(flag, path, absolute);
  if (existsSync(absolute)) {
    const stat = statSync(absolute);
    if (stat.isDirectory()) throw new UsageError(message.outputIsFolder(flag, path));
    if (!stat.isFile()) throw new UsageError(message.outputNotFile(flag, path));
  }
  makeFolder(flag, path, dirname(absolute));
  probeWrite(flag, path, tempPath(absolute));
}

/** A folder named by `flag` (report --out, --cache) that files are written into. */
export function checkOutputDir(path: string, flag: string): void {
  const absolute = resolve(path);
  refuseSpecial(flag, path, absolute);
  if (existsSync(absolute) && !statSync(absolute).isDirectory()) throw new UsageError(message.outputUnderFile(flag, path, path));
  makeFolder(flag, path, absolute);
  probeWrite(flag, path, join(absolute, `.tilesweep-probe.${process.pid}.tmp`));
}
