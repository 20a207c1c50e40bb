// The outputs of a sweep (tune, bench), checked and claimed before any device opens or any row
// runs: the results file (writable, not under /proc, /sys or /dev, and not being written by another
// sweep: core/output-lock.ts) and the cache folder. Each problem is a one-line exit 2.
import { checkOutputDir, checkOutputFile } from '../core/output-path.ts';
import { lockOutput } from '../core/output-lock.ts';

export interface SweepOutputs {
  /** The results file; undefined while it depends on a problem the device picks (then its folder is checked). */
  out?: string;
  /** Folder of a default --out whose file name is not known yet. */
  outDir?: string;
  /** The cache folder; undefined with --no-cache. */
  cache?: string;
}

/** Checks every output named and locks the results file for this process (released at exit). */
export function checkOutputs({ out, outDir, cache }: SweepOutputs): void {
  if (out !== undefined) checkOutputFile(out, '--out');
  else if (outDir !== undefined) checkOutputDir(outDir, '--out');
  if (cache !== undefined) checkOutputDir(cache, '--cache');
  if (out !== undefined) lockOutput(out);
}
