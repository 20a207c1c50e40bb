// MLA against MHA at the same model size, as data (the bench command prints it): the MHA problem
// with the same heads, batch, lengths and query tokens (128-dim heads, H_kv = H), the KV cache each
// reads per token (../shared/reference/deepseek-v3.md: MLA d_c + d_h^R = 576 elements, MHA
// 2 * n_h * d_h; MLA's FP8 latent rows 656 bytes), and the measured time ratio.
import { bytesPerElement, kvBytesPerToken, kvElementsPerToken } from '../attention/shape.ts';
import type { CacheStorage } from '../element-types.ts';
import { mhaShape, type MhaProblem } from '../mha-decode/problem.ts';
import { mlaShape, type MlaProblem } from './problem.ts';

export const mhaPeer = (p: MlaProblem): MhaProblem => ({ B: p.B, sq: p.sq, H: p.H, Hkv: p.H, L: p.L, lengths: p.lengths, dtype: p.dtype });

export interface KvComparison {
  /** Bytes per cached element (f16 as the BF16 stand-in, or f32). */
  elementBytes: number;
  /** MLA's cache storage: bf16 elements, or the FP8 latent rows (MHA's cache is always the problem's type). */
  mlaCache: CacheStorage;
  mlaElementsPerToken: number;
  mhaElementsPerToken: number;
  mlaBytesPerToken: number;
  mhaBytesPerToken: number;
  /** MHA bytes / MLA bytes per token (one layer): 57x in bf16 at 128 heads, 100x against the FP8 latent cache. */
  cacheRatio: number;
}

export function kvComparison(p: MlaProblem, mlaCache: CacheStorage = 'bf16'): KvComparison {
  const mla = mlaShape(p);
  const mha = mhaShape(mhaPeer(p));
  const mlaBytesPerToken = kvBytesPerToken(mla, mlaCache);
  const mhaBytesPerToken = kvBytesPerToken(mha);
  return {
    elementBytes: bytesPerElement(p.dtype),
    mlaCache,
    mlaElementsPerToken: kvElementsPerToken(mla),
    mhaElementsPerToken: kvElementsPerToken(mha),
    mlaBytesPerToken,
    mhaBytesPerToken,
    cacheRatio: mhaBytesPerToken / mlaBytesPerToken,
  };
}

export interface DecodeComparison extends KvComparison {
  mlaMedianMs: number;
  mhaMedianMs: number;
  /** MHA time / MLA time: above 1, MLA is faster. */
  timeRatio: number;
}

export const decodeComparison = (p: MlaProblem, mlaMedianMs: number, mhaMedianMs: number, mlaCache: CacheStorage = 'bf16'): DecodeComparison => ({
  ...kvComparison(p, mlaCache),
  mlaMedianMs,
  mhaMedianMs,
  timeRatio: mhaMedianMs / mlaMedianMs,
});
