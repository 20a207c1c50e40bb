// Verification of paged decode attention outputs (o and lse) against the f64 reference, on every
// row of small problems and a seeded sample of rows of large ones. Infinities must match exactly
// (an empty row's lse is -Infinity); a NaN anywhere is a failure.
import { createRng } from '../../core/rng.ts';
import type { Verification } from '../../core/results.ts';
import type { HostArray, Workload } from '../types.ts';
import { attentionInputs, referenceRow, type AttentionInputs } from './reference.ts';
import { queryRows, visibleTokens, type AttentionShape } from './shape.ts';
import type { DecodeConfig } from './space.ts';

export interface Tolerance {
  abs: number;
  rel: number;
}

/**
 * Allowed error per output element: abs + rel * |reference|. f32 arithmetic (over an f16 or f32
 * cache, both exact in f32) errs by ~1e-6; f16 arithmetic forms q.k products whose 4-term partial
 * sums round to 11 bits: measured 5e-5 in o on lavapipe, bounded here by 2e-3. A split that
 * loses a step of tokens moves lse by log(1 - dropped/visible), far outside either bound.
 */
export function decodeTolerance(config?: Pick<DecodeConfig, 'arithmetic'>): Tolerance {
  return config?.arithmetic === 'f16' ? { abs: 2e-3, rel: 2e-3 } : { abs: 1e-4, rel: 1e-4 };
}

/** Reference work (multiply-adds) above which rows are sampled instead of all checked. */
const FULL_CHECK_WORK = 6e7;

function rowsToCheck(shape: AttentionShape, seed: number): number[] {
  const rows = queryRows(shape);
  let work = 0;
  for (let r = 0; r < rows; r++) work += rowWork(shape, r);
  if (work <= FULL_CHECK_WORK) return Array.from({ length: rows }, (_, r) => r);
  const rng = createRng(seed ^ 0x5eed);
  const picked = new Set<number>([rows - 1, 0]);
  let budget = FULL_CHECK_WORK;
  while (budget > 0 && picked.size < rows) {
    const r = rng.int(rows);
    if (!picked.has(r)) budget -= Math.max(1, rowWork(shape, r));
    picked.add(r);
  }
  return [...picked].sort((x, y) => x - y);
}

function rowWork(shape: AttentionShape, row: number): number {
  const b = Math.floor(row / (shape.queryTokens * shape.heads));
  const i = Math.floor(row / shape.heads) % shape.queryTokens;
  return visibleTokens(shape.lengths[b], shape.queryTokens, i) * (shape.keyDim + shape.valueDim);
}

/** `inputs`: readers of the workload's q and cache when they are not in the shape's storage (the CUDA kernels' bf16). */
export function verifyAttention(
  shape: AttentionShape,
  workload: Workload,
  outputs: Readonly<Record<string, HostArray>>,
  tolerance: Tolerance,
  inputs: AttentionInputs = attentionInputs(shape, workload),
): Verification {
  const o = outputs.o as Float32Array;
  const lse = outputs.lse as Float32Array;
  const rows = rowsToCheck(shape, workload.seed);
  let maxAbsErr = 0;
  let maxRelErr = 0;
  let failures = 0;
  let dot = 0;
  let normRef = 0;
  let normOut = 0;
  const compare = (got: number, want: number): void => {
    if (!Number.isFinite(want) || !Number.isFinite(got)) {
      if (!(got === want)) failures++;
      return;
    }
    const abs = Math.abs(got - want);
    const rel = abs / Math.max(Math.abs(want), 1e-6);
    maxAbsErr = Math.max(maxAbsErr, abs);
    if (Math.abs(want) > tolerance.abs) maxRelErr = Math.max(maxRelErr, rel);
    if (abs > tolerance.abs + tolerance.rel * Math.abs(want)) failures++;
    dot += got * want;
    normRef += want * want;
    normOut += got * got;
  };
  for (const row of rows) {
    const b = Math.floor(row / (shape.queryTokens * shape.heads));
    const i = Math.floor(row / shape.heads) % shape.queryTokens;
    const head = row % shape.heads;
    const ref = referenceRow(shape, inputs, b, i, head);
    for (let d = 0; d < shape.valueDim; d++) compare(o[row * shape.valueDim + d], ref.o[d]);
    compare(lse[row], ref.lse);
  }
  const cosine = normRef === 0 && normOut === 0 ? 1 : dot / Math.sqrt(normRef * normOut || 1);
  const cosineDiff = Math.max(0, 1 - cosine);
  return {
    ok: failures === 0,
    maxAbsErr,
    maxRelErr,
    cosineDiff,
    checked: rows.length * (shape.valueDim + 1),
    total: queryRows(shape) * (shape.valueDim + 1),
    failures,
  };
}
