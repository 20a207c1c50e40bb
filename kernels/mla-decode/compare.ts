// MLA against MHA at the same model size, as data (the bench command prints it): the MHA problem
// with the same heads, batch, lengths and query tokens (128-dim heads, H_kv = H), the KV cache each
// reads per token (../shared/reference/deepseek-v3.md: MLA d_c + d_h^R = 576 elements, MHA
// 2 * n_h * d_h), and the measured time ratio.
import { bytesPerElement, kvElementsPerToken } from '../attention/shape.ts';
import { mhaShape, type MhaProblem } from '../mha-decode/problem.ts';
import { mlaShape, type MlaProblem } from './problem.ts';

export const mhaPeer = (p: MlaProblem): MhaProblem => ({ B: p.B, sq: p.sq, H: p.H, Hkv: p.H, L: p.L, lengths: p.lengths, dtype: p.dtype });

export interface KvComparison {
  /** Bytes per cached element (f16 as the BF16 stand-in, or f32). */
  elementBytes: number;
  mlaElementsPerToken: number;
  mhaElementsPerToken: number;
  mlaBytesPerToken: number;
  mhaBytesPerToken: number;
  /** MHA bytes / MLA bytes per token (one layer). */
  cacheRatio: number;
}

export function kvComparison(p: MlaProblem): KvComparison {
  const elementBytes = bytesPerElement(p.dtype);
  const mla = kvElementsPerToken(mlaShape(p));
  const mha = kvElementsPerToken(mhaShape(mhaPeer(p)));
  return {
    elementBytes,
    mlaElementsPerToken: mla,
    mhaElementsPerToken: mha,
    mlaBytesPerToken: mla * elementBytes,
    mhaBytesPerToken: mha * elementBytes,
    cacheRatio: mha / mla,
  };
}

export interface DecodeComparison extends KvComparison {
  mlaMedianMs: number;
  mhaMedianMs: number;
  /** MHA time / MLA time: above 1, MLA is faster. */
  timeRatio: number;
}

export const decodeComparison = (p: MlaProblem, mlaMedianMs: number, mhaMedianMs: number): DecodeComparison => ({
  ...kvComparison(p),
  mlaMedianMs,
  mhaMedianMs,
  timeRatio: mhaMedianMs / mlaMedianMs,
});
