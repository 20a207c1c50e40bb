// One sweep = the rows of one kernel and problem on one device, over every call that measured it. A
// config measured in several calls is one ranked row (its fastest call's, with the count of calls), so
// a top-k table lists k configs, not one config k times. For each sweep: the best config, a top-k table
// that marks configs statistically tied with the best, the two tile parameters that vary most (the
// axes of the heatmap) and, per call, how the best so far fell as configs were measured.
import type { Config, ParamValue, Problem, ResultRow } from '../../core/results.ts';
import type { ReportDevice } from './devices.ts';
import { copyKernel } from './devices.ts';
import { isMeasuredOk } from './load.ts';
import { defaultTieOptions, tiedWithBest, type TieOptions } from './stats.ts';

/** Problems in the order of their dimensions as the rows state them (M, then N, then K for a GEMM). */
export function compareProblems(a: Problem, b: Problem): number {
  for (const k of Object.keys(a)) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return 0;
}

export interface RankedRow {
  row: ResultRow & { medianMs: number };
  tiedWithBest: boolean;
  /** Calls that measured this config (verified); `row` is the fastest of them. */
  calls: number;
}

/** Best median so far against configs measured, in one call's order: only the steps where it fell. */
export interface Convergence {
  call: string;
  points: { configs: number; bestMs: number }[];
  /** Configs the call measured for this problem. */
  measured: number;
}

export interface Sweep {
  device: ReportDevice;
  kernel: string;
  problem: Problem;
  /** Stable text key of the problem, e.g. "K=2048 M=4096 N=7168". */
  problemLabel: string;
  rows: ResultRow[];
  measured: RankedRow[];
  /** Rows that failed or were not measured, counted by status. */
  failures: Record<string, number>;
  /** Up to two config parameters with the most distinct values among measured rows, numeric ones first. */
  mainParams: string[];
  convergence: Convergence[];
}

export function problemLabel(problem: Problem): string {
  return Object.keys(problem)
    .sort()
    .map((k) => `${k}=${problem[k]}`)
    .join(' ');
}

/** "4096x7168x16384" for a GEMM (M, N, K); "B=4 H=128 L=4096" for any other problem's numbers. */
export function shortShape(problemLabel: string, problem?: Readonly<Record<string, unknown>>): string {
  if (!problem) return problemLabel;
  const keys = Object.keys(problem);
  if (keys.length === 3 && ['M', 'N', 'K'].every((k) => typeof problem[k] === 'number')) return `${problem.M}x${problem.N}x${problem.K}`;
  const numbers = Object.entries(problem).filter(([, v]) => typeof v === 'number');
  return numbers.length ? numbers.map(([k, v]) => `${k}=${v}`).join(' ') : problemLabel;
}

export function configLabel(config: Config): string {
  return Object.keys(config)
    .sort()
    .map((k) => `${k}=${config[k]}`)
    .join(' ');
}

function mainParams(rows: readonly ResultRow[]): string[] {
  const distinct = new Map<string, Set<ParamValue>>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row.config)) {
      if (!distinct.has(k)) distinct.set(k, new Set());
      distinct.get(k)!.add(v);
    }
  }
  // Tile sizes are numbers; switches (stage, decode, arith) are strings and make poorer axes.
  const numeric = (values: Set<ParamValue>) => ([...values].every((v) => typeof v === 'number') ? 1 : 0);
  return [...distinct.entries()]
    .filter(([, values]) => values.size > 1)
    .sort((a, b) => numeric(b[1]) - numeric(a[1]) || b[1].size - a[1].size || a[0].localeCompare(b[0]))
    .slice(0, 2)
    .map(([k]) => k);
}

export function rankRows(rows: readonly ResultRow[], options: TieOptions = defaultTieOptions): RankedRow[] {
  const byConfig = new Map<string, { row: ResultRow & { medianMs: number }; calls: Set<unknown> }>();
  for (const row of rows) {
    if (!isMeasuredOk(row)) continue;
    const key = configLabel(row.config);
    const seen = byConfig.get(key);
    if (!seen) byConfig.set(key, { row, calls: new Set([row.call]) });
    else {
      seen.calls.add(row.call);
      if (row.medianMs < seen.row.medianMs) seen.row = row;
    }
  }
  const measured = [...byConfig.values()].sort((a, b) => a.row.medianMs - b.row.medianMs);
  const best = measured[0]?.row;
  return measured.map(({ row, calls }) => ({ row, calls: calls.size, tiedWithBest: best !== undefined && tiedWithBest(best, row, options) }));
}

/** Per call, in the order the call measured them, the steps at which the best median fell. */
export function convergence(rows: readonly ResultRow[]): Convergence[] {
  const byCall = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const call = String(row.call ?? '');
    const list = byCall.get(call) ?? [];
    list.push(row);
    byCall.set(call, list);
  }
  return [...byCall.entries()].map(([call, list]) => {
    const points: Convergence['points'] = [];
    let best = Number.POSITIVE_INFINITY;
    list.forEach((row, i) => {
      if (isMeasuredOk(row) && row.medianMs < best) {
        best = row.medianMs;
        points.push({ configs: i + 1, bestMs: best });
      }
    });
    if (points.length > 0 && points.at(-1)!.configs !== list.length) points.push({ configs: list.length, bestMs: best });
    return { call, points, measured: list.length };
  });
}

/** Sweeps of every kernel except the copy ceiling rows, candidates only (baselines and peers are shown apart). */
export function collectSweeps(devices: readonly ReportDevice[], options: TieOptions = defaultTieOptions): Sweep[] {
  const sweeps: Sweep[] = [];
  for (const device of devices) {
    const groups = new Map<string, ResultRow[]>();
    for (const row of device.rows) {
      if (row.kernel === copyKernel || (row.role ?? 'candidate') !== 'candidate') continue;
      const key = `${row.kernel}\u0000${problemLabel(row.problem)}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(row);
    }
    for (const rows of groups.values()) {
      const measured = rankRows(rows, options);
      const failures: Record<string, number> = {};
      for (const row of rows) {
        if (!isMeasuredOk(row)) {
          const status = row.status === 'ok' ? 'unmeasured or unverified' : row.status;
          failures[status] = (failures[status] ?? 0) + 1;
        }
      }
      sweeps.push({
        device,
        kernel: rows[0].kernel,
        problem: rows[0].problem,
        problemLabel: problemLabel(rows[0].problem),
        rows,
        measured,
        failures,
        mainParams: mainParams(measured.map((m) => m.row)),
        convergence: convergence(rows),
      });
    }
  }
  return sweeps.sort((a, b) => a.kernel.localeCompare(b.kernel) || compareProblems(a.problem, b.problem));
}
