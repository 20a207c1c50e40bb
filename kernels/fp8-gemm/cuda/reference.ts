// The family's reference arithmetic (float64 sums of exactly decoded e4m3 products per 128-wide K
// block, promoted with the block's two scales; plus the sum of |products| x |scales| that rounding
// errors scale with), organised for the sampled checks of GPU-sized problems: operand rows are
// decoded once into Float64Arrays and each sampled element is one tight loop over K.
import { E4M3_TABLE } from '../../fp8/e4m3.ts';
import { SCALE_BLOCK } from '../../fp8/quantize.ts';
import { kBlocks, type GemmProblem } from '../problem.ts';
import type { GemmOperands, ReferenceValues } from '../reference.ts';

const DECODED = Float64Array.from(E4M3_TABLE);

function decoder(packed: Uint32Array, K: number): (row: number) => Float64Array {
  const bytes = new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
  const rows = new Map<number, Float64Array>();
  return (row) => {
    let out = rows.get(row);
    if (!out) {
      out = new Float64Array(K);
      const base = row * K;
      for (let k = 0; k < K; k++) out[k] = DECODED[bytes[base + k]];
      rows.set(row, out);
    }
    return out;
  };
}

export function sampledReference(problem: GemmProblem, operands: GemmOperands, indices: ArrayLike<number>): ReferenceValues {
  const { N, K } = problem;
  const KB = kBlocks(problem);
  const rowA = decoder(operands.a, K);
  const rowB = decoder(operands.b, K);
  const value = new Float64Array(indices.length);
  const absSum = new Float64Array(indices.length);
  for (let e = 0; e < indices.length; e++) {
    const m = Math.floor(indices[e] / N);
    const n = indices[e] - m * N;
    const x = rowA(m);
    const y = rowB(n);
    const sa = m * KB;
    const sb = Math.floor(n / SCALE_BLOCK) * KB;
    let total = 0;
    let magnitude = 0;
    for (let kb = 0; kb < KB; kb++) {
      let sum = 0;
      let abs = 0;
      const end = (kb + 1) * SCALE_BLOCK;
      for (let k = kb * SCALE_BLOCK; k < end; k++) {
        const p = x[k] * y[k];
        sum += p;
        abs += p < 0 ? -p : p;
      }
      const scale = operands.scaleA[sa + kb] * operands.scaleB[sb + kb];
      total += sum * scale;
      magnitude += abs * (scale < 0 ? -scale : scale);
    }
    value[e] = total;
    absSum[e] = magnitude;
  }
  return { value, absSum };
}
