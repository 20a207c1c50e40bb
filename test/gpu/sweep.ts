// runSweep for the GPU tests, with every row also appended, as it comes, to the file named by
// TILESWEEP_GPU_TRACE (when set): node's test runner prints a test's output only when the test
// ends, so a device call that runs out of time would otherwise show nothing of what ran.
import { appendFileSync } from 'node:fs';
import type { ResultRow } from '../../core/results.ts';
import { runSweep, type SweepOptions } from '../../tuner/sweep.ts';

export function traceRow(row: ResultRow, file = process.env.TILESWEEP_GPU_TRACE): void {
  if (!file) return;
  const ms = row.medianMs === undefined ? '' : ` ${row.medianMs.toPrecision(4)} ms`;
  appendFileSync(file, `${new Date().toISOString()} ${row.kernel} ${row.status}${ms} ${JSON.stringify(row.problem)} ${JSON.stringify(row.config)}${row.error ? ` ${row.error}` : ''}\n`);
}

export function sweep(options: SweepOptions): Promise<ResultRow[]> {
  // A list left empty by TILESWEEP_GPU_ONLY has nothing to run.
  if (options.configs && options.configs.length === 0) return Promise.resolve([]);
  return runSweep({ ...options, onRow: (row, i) => { traceRow(row); options.onRow?.(row, i); } });
}
