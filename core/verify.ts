// Verification against a CPU reference: each compared element has an allowed absolute error
// derived from the arithmetic (the family knows it); the row gets max abs/rel error and the
// cosine difference of the compared elements, and fails on any element out of bounds or not finite.
import type { Verification } from './results.ts';
import type { Rng } from './rng.ts';

export interface ElementComparison {
  expected: ArrayLike<number>;
  actual: ArrayLike<number>;
  /** Largest acceptable |actual - expected| per element. */
  allowed: ArrayLike<number>;
  /** Elements in the whole output (the compared ones may be a sample). */
  total: number;
}

/** Cosine differences above this fail even when every element is inside its bound. */
export const MAX_COSINE_DIFF = 1e-4;

export function compareElements({ expected, actual, allowed, total }: ElementComparison): Verification {
  let maxAbsErr = 0;
  let maxRelErr = 0;
  let failures = 0;
  let dot = 0;
  let ee = 0;
  let aa = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  // Relative error is reported only where the reference is not near zero relative to the output.
  const relFloor = scale * 1e-3;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    const err = Math.abs(a - e);
    if (!Number.isFinite(a) || !(err <= allowed[i])) failures++;
    if (Number.isFinite(err)) {
      maxAbsErr = Math.max(maxAbsErr, err);
      if (Math.abs(e) > relFloor) maxRelErr = Math.max(maxRelErr, err / Math.abs(e));
    } else {
      maxAbsErr = Infinity;
      maxRelErr = Infinity;
    }
    dot += a * e;
    ee += e * e;
    aa += a * a;
  }
  const cosine = ee === 0 && aa === 0 ? 1 : dot / Math.sqrt(ee * aa);
  const cosineDiff = Number.isFinite(cosine) ? Math.max(0, 1 - cosine) : Infinity;
  return {
    ok: failures === 0 && expected.length > 0 && cosineDiff <= MAX_COSINE_DIFF,
    maxAbsErr,
    maxRelErr,
    cosineDiff,
    checked: expected.length,
    total,
    failures,
  };
}

export interface MatrixSample {
  /** Row-major flat indices into a rows x cols output. */
  indices: number[];
  wholeRows: number[];
  wholeCols: number[];
}

/**
 * A seeded sample of a rows x cols output for shapes too large to check whole: whole rows and whole
 * columns (first, last and random ones, so edge tiles are covered) plus random single elements.
 */
export function sampleMatrix(rows: number, cols: number, rng: Rng, randomElements = 512): MatrixSample {
  const pick = (n: number): number[] => [...new Set([0, n - 1, rng.int(n), rng.int(n)])];
  const wholeRows = pick(rows);
  const wholeCols = pick(cols);
  const seen = new Set<number>();
  for (const r of wholeRows) for (let c = 0; c < cols; c++) seen.add(r * cols + c);
  for (const c of wholeCols) for (let r = 0; r < rows; r++) seen.add(r * cols + c);
  for (let i = 0; i < randomElements; i++) seen.add(rng.int(rows) * cols + rng.int(cols));
  return { indices: [...seen].sort((x, y) => x - y), wholeRows, wholeCols };
}
