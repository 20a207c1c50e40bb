// Real-valued synthetic operands for the FP8 GEMMs, shaped like DeepSeek-V3's: they are quantized
// afterwards (kernels/fp8/quantize.ts), so the scales carry real information and a kernel that drops
// or misplaces one is caught.
import type { Rng } from '../../core/rng.ts';
import { SCALE_BLOCK, scaleBlocks } from './quantize.ts';

/** Activations [rows, K]: standard normal, with ~1% of channels 20x larger (the outliers 1x128 scales absorb). */
export function activations(M: number, K: number, rng: Rng): Float32Array {
  const outlier = Float32Array.from({ length: K }, () => (rng.next() < 0.01 ? 20 : 1));
  const x = new Float32Array(M * K);
  for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) x[m * K + k] = rng.normal() * outlier[k];
  return x;
}

/** Weights [N, K]: normal, each 128x128 block (the last along K partial) at its own power-of-two magnitude (what 128x128 scales absorb). */
export function weights(N: number, K: number, rng: Rng): Float32Array {
  const blocksK = scaleBlocks(K);
  const blockScale = Float32Array.from({ length: scaleBlocks(N) * blocksK }, () => 2 ** (rng.int(9) - 4) * 0.02);
  const w = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) w[n * K + k] = rng.normal() * blockScale[Math.floor(n / SCALE_BLOCK) * blocksK + Math.floor(k / SCALE_BLOCK)];
  }
  return w;
}
