// How a device's sweeps of one kernel went: the best median so far against configs measured, per call
// and coloured by strategy (relative to the call's final best, so shapes of any size share an axis),
// and each tile parameter's cost (the best median with a parameter held at a value over the sweep's
// best, geometric mean over the sweeps).
import type { TopLevelSpec } from 'vega-lite';
import type { ReportCall } from '../model/calls.ts';
import type { ParamSensitivity } from '../model/sensitivity.ts';
import type { Sweep } from '../model/sweeps.ts';
import { median } from '../model/stats.ts';

const schema = 'https://vega.github.io/schema/vega-lite/v6.json';

/** 1, 2, ..., 10, then about eight steps per decade: where the convergence curves are sampled. */
export function logGrid(max: number): number[] {
  const out = new Set<number>();
  for (let n = 1; n <= Math.min(10, max); n++) out.add(n);
  for (let e = 1; 10 ** e <= max; e++) for (const m of [1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8, 10]) if (m * 10 ** e <= max) out.add(Math.round(m * 10 ** e));
  out.add(max);
  return [...out].sort((a, b) => a - b);
}

/** Best so far of one series at `n` configs measured (its steps are where the best fell). */
const bestAt = (points: readonly { configs: number; bestMs: number }[], n: number): number | undefined =>
  points.filter((p) => p.configs <= n).at(-1)?.bestMs;

/**
 * Per strategy, over every call and shape that used it: the median and the worst of the best so far
 * (relative to each series' final best) after n configs, sampled on a log grid so the page carries a
 * few dozen points per strategy, not every step of every call.
 */
export function convergenceSpec(sweeps: readonly Sweep[], calls: ReadonlyMap<string, ReportCall>): TopLevelSpec {
  const series = sweeps.flatMap((s) =>
    s.convergence
      .filter((c) => c.points.length > 0)
      .map((c) => ({ strategy: calls.get(c.call)?.strategy ?? 'not recorded', points: c.points, measured: c.measured, final: c.points.at(-1)!.bestMs })),
  );
  const values = [...new Set(series.map((s) => s.strategy))].flatMap((strategy) => {
    const mine = series.filter((s) => s.strategy === strategy);
    const max = mine.reduce((m, s) => Math.max(m, s.measured), 0);
    return logGrid(max).flatMap((n) => {
      const rel = mine.filter((s) => s.measured >= n).flatMap((s) => {
        const b = bestAt(s.points, n);
        return b === undefined ? [] : [b / s.final];
      });
      if (rel.length === 0) return [];
      return [{ strategy, configs: n, median: median(rel), worst: rel.reduce((a, b) => Math.max(a, b)), series: rel.length }];
    });
  });
  const x = { field: 'configs', type: 'quantitative', scale: { type: 'log' }, title: 'configs measured (log)' } as const;
  return {
    $schema: schema,
    width: 420,
    height: 220,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.15, interpolate: 'step-after' },
        encoding: { x, y: { field: 'worst', type: 'quantitative' }, y2: { field: 'median' }, color: { field: 'strategy', type: 'nominal' } },
      },
      {
        mark: { type: 'line', interpolate: 'step-after', point: true },
        encoding: {
          x,
          y: { field: 'median', type: 'quantitative', scale: { type: 'log' }, title: 'best so far / final best (median; band: worst)' },
          color: { field: 'strategy', type: 'nominal', title: 'strategy' },
          tooltip: [
            { field: 'strategy', type: 'nominal' },
            { field: 'configs', type: 'quantitative' },
            { field: 'median', type: 'quantitative', format: '.3f' },
            { field: 'worst', type: 'quantitative', format: '.3f' },
            { field: 'series', type: 'quantitative', title: 'calls x shapes' },
          ],
        },
      },
    ],
  };
}

export function sensitivitySpec(rows: readonly ParamSensitivity[], maxParams = 12): TopLevelSpec {
  const params = [...new Set(rows.map((r) => r.param))].slice(0, maxParams);
  const values = rows.filter((r) => params.includes(r.param)).map((r) => ({ ...r, label: `${r.param} = ${r.value}`, excess: r.slowdown - 1, zero: 0 }));
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 260 } } as const;
  const x = { field: 'excess', type: 'quantitative', title: 'best with this value / best overall − 1 (geomean over shapes)', axis: { format: '.0%' } } as const;
  // A lollipop, not bars: the value that costs nothing (0%) is a dot, where a bar would have no width.
  return {
    $schema: schema,
    width: 360,
    height: { step: 12 },
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#bbb' }, encoding: { y, x: { field: 'zero', type: 'quantitative' }, x2: { field: 'excess' } } },
      {
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          y,
          x,
          color: { field: 'param', type: 'nominal', legend: null },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'parameter' },
            { field: 'slowdown', type: 'quantitative', format: '.3f', title: 'slowdown' },
            { field: 'sweeps', type: 'quantitative', title: 'shapes' },
          ],
        },
      },
    ],
  };
}
