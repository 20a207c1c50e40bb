// How far an analytic model (kernels/<family>/model) is from what was measured, as data for the
// report: per row the estimate, scaled by the one factor that best fits the measured times (the
// model's units are not milliseconds), and per problem the rank correlation and the time lost by
// trusting the model's first choice. Model units differ between problems only by that factor, so
// each problem gets its own.
import { stableStringify } from '../core/hash.ts';
import type { Capabilities } from '../core/capabilities.ts';
import type { Config, ResultRow } from '../core/results.ts';
import type { CostModel } from '../kernels/types.ts';

export interface ModelErrorRow {
  config: Config;
  measuredMs: number;
  /** The estimate in model units. */
  estimate: number;
  /** The estimate times the problem's fitted scale, in ms. */
  predictedMs: number;
  /** predictedMs / measuredMs. */
  ratio: number;
}

export interface ModelError {
  problem: object;
  rows: ModelErrorRow[];
  /** ms per model unit: the geometric mean of measured / estimate. */
  scale: number;
  /** Spearman rank correlation of estimate and measured time (1: the model orders them all right). */
  spearman: number;
  /** Median of |ln(predicted / measured)|, as a percentage: exp(.) - 1. */
  medianErrorPct: number;
  /** Measured time of the model's fastest config over the fastest measured, minus 1, in percent. */
  firstChoiceLossPct: number;
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && order[end][0] === order[start][0]) end++;
    for (let k = start; k < end; k++) out[order[k][1]] = (start + end + 1) / 2;
    start = end;
  }
  return out;
}

export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < ra.length; i++) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) ** 2;
    sbb += (rb[i] - mean) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The model's error on the ok candidate rows of each problem in `rows` (first row per config; rows
 * the model cannot estimate are left out). Problems with fewer than two usable rows are left out.
 */
export function modelError<P extends object>(model: CostModel<P, object>, caps: Capabilities, rows: readonly ResultRow[]): ModelError[] {
  const byProblem = new Map<string, { problem: P; rows: Map<string, ResultRow> }>();
  for (const row of rows) {
    if (row.status !== 'ok' || row.role !== 'candidate' || row.reference === true || row.remeasured === true || !(row.medianMs! > 0)) continue;
    const key = stableStringify(row.problem);
    const entry = byProblem.get(key) ?? { problem: row.problem as unknown as P, rows: new Map() };
    byProblem.set(key, entry);
    if (!entry.rows.has(stableStringify(row.config))) entry.rows.set(stableStringify(row.config), row);
  }
  const out: ModelError[] = [];
  for (const { problem, rows: measured } of byProblem.values()) {
    const pairs = [...measured.values()]
      .map((row) => ({ row, estimate: model.estimate(problem, row.config, caps).time }))
      .filter((p) => Number.isFinite(p.estimate) && p.estimate > 0);
    if (pairs.length < 2) continue;
    const scale = Math.exp(pairs.reduce((s, p) => s + Math.log(p.row.medianMs! / p.estimate), 0) / pairs.length);
    const errorRows = pairs.map(({ row, estimate }) => ({ config: row.config, measuredMs: row.medianMs!, estimate, predictedMs: estimate * scale, ratio: (estimate * scale) / row.medianMs! }));
    const best = Math.min(...errorRows.map((r) => r.measuredMs));
    const first = errorRows.reduce((a, b) => (b.estimate < a.estimate ? b : a));
    out.push({
      problem,
      rows: errorRows,
      scale,
      spearman: spearman(errorRows.map((r) => r.estimate), errorRows.map((r) => r.measuredMs)),
      medianErrorPct: (Math.exp(median(errorRows.map((r) => Math.abs(Math.log(r.ratio))))) - 1) * 100,
      firstChoiceLossPct: (first.measuredMs / best - 1) * 100,
    });
  }
  return out;
}
