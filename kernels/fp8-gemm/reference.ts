// CPU reference of the block-scaled FP8 GEMM, in float64 from exactly decoded e4m3 values, with
// the same per-128 K block promotion as the kernels. For each element it also returns the sum of
// |products| times |scales|: the magnitude that rounding errors of any summation order scale with.
import { E4M3_TABLE } from '../fp8/e4m3.ts';
import { SCALE_BLOCK } from '../fp8/quantize.ts';
import { kBlocks, type GemmProblem } from './problem.ts';

export interface GemmOperands {
  a: Uint32Array;
  b: Uint32Array;
  scaleA: Float32Array;
  scaleB: Float32Array;
}

export interface ReferenceValues {
  value: Float64Array;
  absSum: Float64Array;
}

function decodeRow(packed: Uint32Array, row: number, K: number): Float64Array {
  const out = new Float64Array(K);
  const bytes = new Uint8Array(packed.buffer, packed.byteOffset + row * K, K);
  for (let k = 0; k < K; k++) out[k] = E4M3_TABLE[bytes[k]];
  return out;
}

/** Reference values of the given flat output indices (row-major M x N). */
export function gemmReference(problem: GemmProblem, operands: GemmOperands, indices: ArrayLike<number>): ReferenceValues {
  const { N, K } = problem;
  const KB = kBlocks(problem);
  const rowsA = new Map<number, Float64Array>();
  const rowsB = new Map<number, Float64Array>();
  const row = (cache: Map<number, Float64Array>, packed: Uint32Array, r: number): Float64Array => {
    let decoded = cache.get(r);
    if (!decoded) cache.set(r, (decoded = decodeRow(packed, r, K)));
    return decoded;
  };
  const value = new Float64Array(indices.length);
  const absSum = new Float64Array(indices.length);
  for (let e = 0; e < indices.length; e++) {
    const m = Math.floor(indices[e] / N);
    const n = indices[e] % N;
    const x = row(rowsA, operands.a, m);
    const y = row(rowsB, operands.b, n);
    let total = 0;
    let magnitude = 0;
    for (let kb = 0; kb < KB; kb++) {
      let sum = 0;
      let abs = 0;
      // The last block ends at K when K is not a multiple of 128.
      for (let k = kb * SCALE_BLOCK, end = Math.min(K, (kb + 1) * SCALE_BLOCK); k < end; k++) {
        const p = x[k] * y[k];
        sum += p;
        abs += Math.abs(p);
      }
      const scale = operands.scaleA[m * KB + kb] * operands.scaleB[Math.floor(n / SCALE_BLOCK) * KB + kb];
      total += sum * scale;
      magnitude += abs * Math.abs(scale);
    }
    value[e] = total;
    absSum[e] = magnitude;
  }
  return { value, absSum };
}
