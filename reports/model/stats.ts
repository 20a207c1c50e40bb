// Is a config's time distinguishable from the best one's? Two-sided Mann-Whitney U test on the raw
// samples (the gate's implementation, core/stats/mann-whitney.ts: exact for small untied samples),
// as google/benchmark's compare.py does; rows without samples fall back to overlapping p10..p90 ranges.
import type { ResultRow } from '../../core/results.ts';
import { mannWhitneyU } from '../../core/stats/mann-whitney.ts';

export interface TieOptions {
  /** Significance level of the U test. */
  alpha: number;
  /** Fewer samples than this on either side and the U test is not trusted: ranges are compared. */
  minSamples: number;
}

export const defaultTieOptions: TieOptions = { alpha: 0.05, minSamples: 5 };

function range(row: ResultRow): [number, number] | undefined {
  if (row.p10Ms !== undefined && row.p90Ms !== undefined) return [row.p10Ms, row.p90Ms];
  if (row.medianMs !== undefined) return [row.medianMs, row.medianMs];
  return undefined;
}

/** True when `row` cannot be told apart from `best` at the given significance. */
export function tiedWithBest(best: ResultRow, row: ResultRow, options: TieOptions = defaultTieOptions): boolean {
  if (best === row) return true;
  const a = best.samplesMs ?? [];
  const b = row.samplesMs ?? [];
  if (a.length >= options.minSamples && b.length >= options.minSamples) {
    return mannWhitneyU(a, b).pValue >= options.alpha;
  }
  const ra = range(best);
  const rb = range(row);
  return ra !== undefined && rb !== undefined && rb[0] <= ra[1] && ra[0] <= rb[1];
}
