// A dispatch table: per (device, kernel), the config to launch for each tuned problem, and a rule for
// the problems nobody tuned. Built from results files: for each problem, the latest call that tuned it
// decides (times compare only within a call; calls are ordered by their recorded start, else by their
// order in the files), and within it the stable winner where the sweep re-measured its top configs
// (tuner/winners.ts), else the fastest ok candidate.
//
// The nearest-shape rule, the same in every emitted form (JSON consumers, the TypeScript module, the
// C++ header): the first dimension is the one that varies at run time (GEMM's M: tokens per batch),
// the others name the layer (N, K: the weight's shape). Among tuned problems with the same layer
// dimensions, the nearest first dimension in log2 wins; when no tuned problem has them, the nearest
// by the sum over all dimensions of |log2(query / tuned)|. Ties go to the entry earlier in the table,
// which is sorted by dimensions, first dimension last: the smaller tuned M.
import { stableStringify } from '../../core/hash.ts';
import type { Config, DeviceInfo, ResultRow, ResultsFile } from '../../core/results.ts';

export const DISPATCH_SCHEMA = 'tilesweep.dispatch/1';

export interface DispatchEntry {
  /** The problem's dimensions, in the table's `dimensions` order. */
  dims: number[];
  problem: Readonly<Record<string, number | string>>;
  config: Config;
  medianMs: number;
  /** True when the entry is a stable winner (re-measured), false when it is the fastest single measurement. */
  stable: boolean;
  /** The call the entry was measured in. */
  runId?: string;
}

export interface DispatchTable {
  schema: typeof DISPATCH_SCHEMA;
  kernel: string;
  device: Pick<DeviceInfo, 'backend' | 'name' | 'fingerprint'>;
  dimensions: string[];
  rule: string;
  entries: DispatchEntry[];
}

export const NEAREST_RULE =
  'same layer dimensions (all but the first) and nearest first dimension in log2; else nearest by the sum of |log2 ratio| over all dimensions; ties to the earlier entry (smaller dimensions)';

/** Numeric dimensions of a problem, in its key order. */
const dimensionsOf = (problem: object): string[] => Object.entries(problem).filter(([, v]) => typeof v === 'number').map(([k]) => k);

const isCandidate = (r: ResultRow): boolean => r.role === 'candidate' && r.reference !== true && r.status === 'ok' && r.medianMs !== undefined && r.medianMs > 0;

/** The hardware that measured a file's rows: a replay's rows were measured by the recorded device. */
function measuredOn(device: DeviceInfo): Pick<DeviceInfo, 'backend' | 'name' | 'fingerprint'> {
  const recorded = device.replayOf as Partial<DeviceInfo> | undefined;
  return recorded?.fingerprint && recorded.name && recorded.backend ? { backend: recorded.backend, name: recorded.name, fingerprint: recorded.fingerprint } : device;
}

/** The tables of these files, one per (device fingerprint, kernel), sorted by kernel then device name. */
export function dispatchTables(files: readonly ResultsFile[]): DispatchTable[] {
  const groups = new Map<string, { device: Pick<DeviceInfo, 'backend' | 'name' | 'fingerprint'>; kernel: string; rows: ResultRow[] }>();
  // When each call started, where the files say; the order calls are met in otherwise.
  const started = new Map<string, string>();
  for (const file of files) for (const [id, call] of Object.entries(file.calls ?? {})) if (call.startedAt) started.set(id, call.startedAt);
  for (const file of files) {
    const device = measuredOn(file.device);
    for (const row of file.runs) {
      if (!isCandidate(row)) continue;
      const key = `${device.fingerprint} ${row.kernel}`;
      const group = groups.get(key) ?? { device, kernel: row.kernel, rows: [] };
      groups.set(key, group);
      group.rows.push(row);
    }
  }
  return [...groups.values()]
    .map(({ device, kernel, rows }) => tableOf(device, kernel, rows, started))
    .sort((a, b) => (a.kernel === b.kernel ? a.device.name.localeCompare(b.device.name) : a.kernel.localeCompare(b.kernel)));
}

/** The rows of the latest call among these (a row without a runId is its own unnamed call). */
function latestCall(rows: readonly ResultRow[], started: ReadonlyMap<string, string>): ResultRow[] {
  const order = [...new Set(rows.map((r) => r.runId ?? ''))];
  const latest = order.reduce((a, b) => {
    const [ta, tb] = [started.get(a), started.get(b)];
    return ta !== undefined && tb !== undefined ? (tb >= ta ? b : a) : b;
  });
  return rows.filter((r) => (r.runId ?? '') === latest);
}

function tableOf(device: Pick<DeviceInfo, 'backend' | 'name' | 'fingerprint'>, kernel: string, rows: readonly ResultRow[], started: ReadonlyMap<string, string>): DispatchTable {
  const dimensions = dimensionsOf(rows[0].problem);
  const byProblem = new Map<string, ResultRow[]>();
  for (const row of rows) byProblem.set(stableStringify(row.problem), [...(byProblem.get(stableStringify(row.problem)) ?? []), row]);
  const entries = [...byProblem.values()].map((allRows): DispatchEntry => {
    const problemRows = latestCall(allRows, started);
    const chosen = problemRows.find((r) => r.remeasured === true && (r.stable as { chosen?: boolean } | undefined)?.chosen === true);
    const fastest = problemRows.filter((r) => r.remeasured !== true).reduce((a, b) => (b.medianMs! < a.medianMs! ? b : a), problemRows[0]);
    const row = chosen ?? fastest;
    return { dims: dimensions.map((d) => Number(row.problem[d])), problem: row.problem, config: row.config, medianMs: row.medianMs!, stable: chosen !== undefined, ...(row.runId ? { runId: row.runId } : {}) };
  });
  entries.sort((a, b) => compareDims(a.dims, b.dims));
  return { schema: DISPATCH_SCHEMA, kernel, device: { backend: device.backend, name: device.name, fingerprint: device.fingerprint }, dimensions, rule: NEAREST_RULE, entries };
}

/** Layer dimensions first (all but the first), then the first: entries of one layer sit together, smaller M first. */
function compareDims(a: readonly number[], b: readonly number[]): number {
  for (let i = 1; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a[0] - b[0];
}

/** Index of the entry the nearest-shape rule picks for `dims` (see the header comment). */
export function nearestEntry(entries: readonly Pick<DispatchEntry, 'dims'>[], dims: readonly number[]): number {
  const sameLayer = (e: readonly number[]) => e.every((v, i) => i === 0 || v === dims[i]);
  const anySame = entries.some((e) => sameLayer(e.dims));
  let best = -1;
  let bestDistance = Infinity;
  entries.forEach((e, i) => {
    if (anySame && !sameLayer(e.dims)) return;
    const distance = anySame ? Math.abs(Math.log2(dims[0]) - Math.log2(e.dims[0])) : e.dims.reduce((s, v, j) => s + Math.abs(Math.log2(dims[j]) - Math.log2(v)), 0);
    // The tolerance keeps ties ties across languages (log2 may differ in the last bit).
    if (distance < bestDistance - 1e-9) [best, bestDistance] = [i, distance];
  });
  return best;
}

/** A file-name-safe name of the table's device: its name in lower case and its fingerprint's start. */
export const tableSlug = (table: Pick<DispatchTable, 'device'>): string =>
  `${table.device.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 32)}-${table.device.fingerprint.slice(0, 8)}`;
