// How much each tile parameter matters, beyond the two a heatmap can show: for each parameter and
// value, the best median with the parameter held at that value over the best median of the sweep
// (1 = the value costs nothing; 1.5 = the best config with it is 50% slower), as a geometric mean over
// the sweeps of one device and kernel where the parameter varies.
import type { Sweep } from './sweeps.ts';
import { geomean } from './stats.ts';

export interface ParamSensitivity {
  param: string;
  value: string;
  /** Geometric mean over sweeps of best-with-value / best. */
  slowdown: number;
  sweeps: number;
}

function ofSweep(sweep: Sweep): Map<string, number> {
  const out = new Map<string, number>();
  const best = sweep.measured[0]?.row.medianMs;
  if (best === undefined) return out;
  const values = new Map<string, Map<string, number>>();
  for (const { row } of sweep.measured) {
    for (const [param, value] of Object.entries(row.config)) {
      const byValue = values.get(param) ?? new Map<string, number>();
      const key = String(value);
      byValue.set(key, Math.min(byValue.get(key) ?? Number.POSITIVE_INFINITY, row.medianMs));
      values.set(param, byValue);
    }
  }
  for (const [param, byValue] of values) {
    if (byValue.size < 2) continue;
    for (const [value, ms] of byValue) out.set(`${param}\u0000${value}`, ms / best);
  }
  return out;
}

/** Sensitivities of one device's sweeps of one kernel, most costly parameter first. */
export function sensitivity(sweeps: readonly Sweep[]): ParamSensitivity[] {
  const ratios = new Map<string, number[]>();
  for (const sweep of sweeps) {
    for (const [key, ratio] of ofSweep(sweep)) {
      const list = ratios.get(key) ?? [];
      list.push(ratio);
      ratios.set(key, list);
    }
  }
  const rows = [...ratios.entries()].map(([key, list]) => {
    const [param, value] = key.split('\u0000');
    return { param, value, slowdown: geomean(list)!, sweeps: list.length };
  });
  const worst = new Map<string, number>();
  for (const r of rows) worst.set(r.param, Math.max(worst.get(r.param) ?? 1, r.slowdown));
  return rows.sort((a, b) => worst.get(b.param)! - worst.get(a.param)! || a.param.localeCompare(b.param) || a.slowdown - b.slowdown);
}
