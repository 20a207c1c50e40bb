// A small Gaussian process for the model-guided strategy: squared-exponential kernel over config
// coordinates (features.ts), a mean given by the caller (the analytic prior, fitted), the length scale
// picked from a short list by marginal likelihood, and expected improvement for minimization. Exact
// (Cholesky) because the points are the measured configs: tens to a few hundred.

export interface GpFit {
  /** Posterior mean and standard deviation of the residual at a point. */
  predict(x: readonly number[]): { mean: number; sd: number };
  lengthScale: number;
}

const sqDist = (a: readonly number[], b: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
};

/** Lower-triangular L with L L^T = A (A symmetric positive definite), or undefined if it is not. */
function cholesky(a: number[][]): number[][] | undefined {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (s <= 0) return undefined;
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** Solves L z = b (forward substitution). */
function forward(l: number[][], b: readonly number[]): number[] {
  const z = new Array<number>(b.length).fill(0);
  for (let i = 0; i < b.length; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * z[k];
    z[i] = s / l[i][i];
  }
  return z;
}

/** Solves L^T x = z (back substitution). */
function backward(l: number[][], z: readonly number[]): number[] {
  const n = z.length;
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

export interface GpOptions {
  /** Length scales tried, in coordinate units (a whole parameter range is 1). */
  lengthScales: readonly number[];
  /** Variance of measurement noise on log time (a few percent of run-to-run spread). */
  noise: number;
}

/** Fits residuals r (observed minus mean) at points xs. */
export function fitGp(xs: readonly (readonly number[])[], r: readonly number[], options: GpOptions): GpFit {
  const n = xs.length;
  const signal = Math.max(1e-4, r.reduce((s, v) => s + v * v, 0) / Math.max(1, n));
  let best: { nll: number; l: number[][]; alpha: number[]; scale: number } | undefined;
  for (const scale of options.lengthScales) {
    const k = xs.map((a, i) => xs.map((b, j) => signal * Math.exp(-sqDist(a, b) / (2 * scale * scale)) + (i === j ? options.noise : 0)));
    const l = cholesky(k);
    if (!l) continue;
    const alpha = backward(l, forward(l, r));
    // Negative log marginal likelihood, up to a constant: r^T K^-1 r / 2 + log det L.
    const nll = r.reduce((s, v, i) => s + v * alpha[i], 0) / 2 + l.reduce((s, row, i) => s + Math.log(row[i]), 0);
    if (!best || nll < best.nll) best = { nll, l, alpha, scale };
  }
  if (!best) return { predict: () => ({ mean: 0, sd: Math.sqrt(signal) }), lengthScale: NaN };
  const { l, alpha, scale } = best;
  return {
    lengthScale: scale,
    predict(x) {
      const kx = xs.map((b) => signal * Math.exp(-sqDist(x, b) / (2 * scale * scale)));
      const mean = kx.reduce((s, v, i) => s + v * alpha[i], 0);
      const v = forward(l, kx);
      const variance = Math.max(1e-12, signal - v.reduce((s, e) => s + e * e, 0));
      return { mean, sd: Math.sqrt(variance) };
    },
  };
}

const normalPdf = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** Abramowitz-Stegun 7.1.26 erf: 1.5e-7 absolute error, plenty for ranking candidates. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Expected improvement below `best` of a normal prediction (minimization). */
export function expectedImprovement(mean: number, sd: number, best: number): number {
  if (sd <= 0) return Math.max(0, best - mean);
  const z = (best - mean) / sd;
  return (best - mean) * normalCdf(z) + sd * normalPdf(z);
}
