// The device's dispatch table, as the page offers it for download: per kernel, the fastest verified
// config of each problem swept. The same shape as `tilesweep export`'s tables (schema
// tilesweep.dispatch/1: dims, problem, config, medianMs, stable), so one consumer reads both; the page
// does not re-measure its top configs, so no entry is `stable`.
import { stableStringify } from '../core/hash.ts';
import type { Config, DeviceInfo, Problem, ResultRow } from '../core/results.ts';

export const DISPATCH_SCHEMA = 'tilesweep.dispatch/1';

export interface DispatchEntry {
  dims: number[];
  problem: Problem;
  config: Config;
  medianMs: number;
  timer?: string;
  stable: boolean;
}

export interface DispatchTable {
  schema: typeof DISPATCH_SCHEMA;
  kernel: string;
  device: Pick<DeviceInfo, 'backend' | 'name' | 'fingerprint'>;
  dimensions: string[];
  entries: DispatchEntry[];
}

const isVerifiedCandidate = (r: ResultRow): boolean =>
  r.role === 'candidate' && r.reference !== true && r.status === 'ok' && r.verified?.ok === true && r.medianMs !== undefined && r.medianMs > 0;

/** One table per kernel with a verified row, kernels in name order, entries by their dimensions. */
export function dispatchTables(device: DeviceInfo, rows: readonly ResultRow[]): DispatchTable[] {
  const byKernel = new Map<string, Map<string, ResultRow>>();
  for (const row of rows.filter(isVerifiedCandidate)) {
    const problems = byKernel.get(row.kernel) ?? new Map<string, ResultRow>();
    byKernel.set(row.kernel, problems);
    const key = stableStringify(row.problem);
    const best = problems.get(key);
    if (!best || row.medianMs! < best.medianMs!) problems.set(key, row);
  }
  return [...byKernel.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kernel, problems]) => {
      const winners = [...problems.values()];
      const dimensions = Object.entries(winners[0].problem).filter(([, v]) => typeof v === 'number').map(([k]) => k);
      const entries = winners
        .map((row): DispatchEntry => ({ dims: dimensions.map((d) => Number(row.problem[d])), problem: row.problem, config: row.config, medianMs: row.medianMs!, timer: row.timer, stable: false }))
        .sort((a, b) => a.dims.reduce((order, v, i) => order || v - b.dims[i], 0));
      return { schema: DISPATCH_SCHEMA, kernel, device: { backend: device.backend, name: device.name, fingerprint: device.fingerprint }, dimensions, entries };
    });
}
