// Mann-Whitney U (Wilcoxon rank-sum) test, two-sided: does one set of timing samples tend to be
// larger than the other? It assumes nothing about the shape of the noise, which on a shared CI
// machine is skewed (a sample is only ever delayed) and often bimodal (clock states), so a t-test
// would be the wrong tool. google/benchmark's tools/gbench/report.py gates on the same test.
//
// No npm package fits (the two on the registry are unmaintained, untyped and normal-only), so this
// is a small implementation: the exact null distribution when there are no ties and the samples are
// small, the normal approximation with tie and continuity correction otherwise (as scipy's
// `mannwhitneyu(method="auto")` does).

export interface MannWhitneyResult {
  /** U of the first sample: how many (x, y) pairs have x > y, ties counting one half. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  method: 'exact' | 'normal';
}

/** Largest n1 * n2 for which the exact distribution is computed (O((n1 n2)^2) work at most). */
const EXACT_MAX_CELLS = 2500;

export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one sample on each side');
  const { rankSumX, tieTerm } = rankSum(x, y);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const small = Math.min(u, n1 * n2 - u);
  if (tieTerm === 0 && n1 * n2 <= EXACT_MAX_CELLS) {
    return { u, pValue: Math.min(1, 2 * exactLowerTail(n1, n2, small)), method: 'exact' };
  }
  return { u, pValue: normalPValue(n1, n2, u, tieTerm), method: 'normal' };
}

/** Rank sum of x in the pooled sample (ties get their average rank) and the tie term sum(t^3 - t). */
function rankSum(x: readonly number[], y: readonly number[]): { rankSumX: number; tieTerm: number } {
  const pooled = [...x.map((value) => ({ value, fromX: true })), ...y.map((value) => ({ value, fromX: false }))];
  pooled.sort((a, b) => a.value - b.value);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start + 1;
    while (end < pooled.length && pooled[end].value === pooled[start].value) end++;
    const t = end - start;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (pooled[i].fromX) rankSumX += averageRank;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { rankSumX, tieTerm };
}

/**
 * P(U <= u) under the null, no ties. Built from P(m, n, u) = m/(m+n) P(m-1, n, u-n) + n/(m+n) P(m, n-1, u):
 * the largest pooled value is from x (then it beats all n of y) with probability m/(m+n). Only
 * probabilities are stored, so nothing overflows the way counts (binomial(m+n, m)) would.
 */
function exactLowerTail(m: number, n: number, u: number): number {
  // row[j] holds the distribution for (i, j) over U = 0..i*j, for the current i.
  let previous: Float64Array[] = [];
  for (let i = 0; i <= m; i++) {
    const row: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const dist = new Float64Array(i * j + 1);
      if (i === 0 || j === 0) {
        dist[0] = 1;
      } else {
        const fromX = previous[j];
        const fromY = row[j - 1];
        const px = i / (i + j);
        for (let k = 0; k < dist.length; k++) {
          const a = k - j >= 0 && k - j < fromX.length ? fromX[k - j] : 0;
          const b = k < fromY.length ? fromY[k] : 0;
          dist[k] = px * a + (1 - px) * b;
        }
      }
      row.push(dist);
    }
    previous = row;
  }
  const dist = previous[n];
  let tail = 0;
  for (let k = 0; k <= Math.floor(u) && k < dist.length; k++) tail += dist[k];
  return tail;
}

function normalPValue(n1: number, n2: number, u: number, tieTerm: number): number {
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1; // every sample equal: no evidence of any difference
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * normalUpperTail(z));
}

/** 1 - Phi(z) for z >= 0, through erfc (Numerical Recipes' erfcc, fractional error < 1.2e-7). */
export function normalUpperTail(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
}

function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly =
    -x * x - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}
