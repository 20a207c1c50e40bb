// One sweep = the rows of one kernel and problem on one device. For each: the best config, a top-k
// table that marks configs statistically tied with the best, the distribution of times, and the two
// tile parameters that vary most (the axes of the heatmap).
import type { Config, ParamValue, Problem, ResultRow } from '../../core/results.ts';
import type { ReportDevice } from './devices.ts';
import { copyKernel } from './devices.ts';
import { isMeasuredOk } from './load.ts';
import { defaultTieOptions, tiedWithBest, type TieOptions } from './stats.ts';

export interface RankedRow {
  row: ResultRow & { medianMs: number };
  tiedWithBest: boolean;
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
}

export function problemLabel(problem: Problem): string {
  return Object.keys(problem)
    .sort()
    .map((k) => `${k}=${problem[k]}`)
    .join(' ');
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
  const measured = rows.filter(isMeasuredOk).sort((a, b) => a.medianMs - b.medianMs);
  const best = measured[0];
  return measured.map((row) => ({ row, tiedWithBest: best !== undefined && tiedWithBest(best, row, options) }));
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
      });
    }
  }
  return sweeps.sort((a, b) => a.kernel.localeCompare(b.kernel) || a.problemLabel.localeCompare(b.problemLabel));
}
