// Is a config's time distinguishable from the best one's? Two-sided Mann-Whitney U test on the raw
// samples (normal approximation with tie correction), as google/benchmark's compare.py does for its
// U test; rows without samples fall back to overlapping p10..p90 ranges.
import type { ResultRow } from '../../core/results.ts';

export interface TieOptions {
  /** Significance level of the U test. */
  alpha: number;
  /** Fewer samples than this on either side and the U test is not trusted: ranges are compared. */
  minSamples: number;
}

export const defaultTieOptions: TieOptions = { alpha: 0.05, minSamples: 5 };

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Two-sided p-value of the Mann-Whitney U test between two samples. */
export function mannWhitneyP(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  let r1 = 0;
  all.forEach((x, i) => {
    if (x.g === 0) r1 += ranks[i];
  });
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  const z = (Math.abs(u1 - mean) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
}

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
    return mannWhitneyP(a, b) >= options.alpha;
  }
  const ra = range(best);
  const rb = range(row);
  return ra !== undefined && rb !== undefined && rb[0] <= ra[1] && ra[0] <= rb[1];
}
