// Real-valued synthetic operands for the FP8 GEMMs, shaped like DeepSeek-V3's: they are quantized
// afterwards (kernels/fp8/quantize.ts), so the scales carry real information and a kernel that drops
// or misplaces one is caught.
import { createRng, type Rng } from '../../core/rng.ts';
import { E4M3_MAX, encodeE4m3 } from './e4m3.ts';
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

/** Quantiles of the standard normal the direct generator draws from (a 16-bit index). */
const QUANTILES = 1 << 16;

interface QuantileCodes {
  /** e4m3 code of each quantile, scaled so that the extreme one sits at the e4m3 maximum. */
  readonly codes: Uint8Array;
  /** The extreme quantile in standard deviations (about 4.3): a code's value times extreme / 448 is in standard deviations. */
  readonly extreme: number;
}

let quantileCodes: QuantileCodes | undefined;

/** The quantile table, once: 2^16 normal draws of a fixed seed, sorted and made symmetric. */
function quantiles(): QuantileCodes {
  if (quantileCodes) return quantileCodes;
  const rng = createRng(0x5eed);
  const sorted = Float64Array.from({ length: QUANTILES }, () => rng.normal()).sort();
  const symmetric = sorted.map((v, i) => (v - sorted[QUANTILES - 1 - i]!) / 2);
  const extreme = symmetric[QUANTILES - 1]!;
  quantileCodes = { codes: Uint8Array.from(symmetric, (v) => encodeE4m3((v / extreme) * E4M3_MAX)), extreme };
  return quantileCodes;
}

/**
 * Weights [N, K] as e4m3 codes and 128x128 block scales directly, without the real-valued stage of
 * `weights` and the block maxima of quantizeBlocks: each code is a standard-normal quantile drawn by
 * 16 random bits, scaled so that the extreme quantile is the e4m3 maximum, and each block's scale
 * gives its values the same power-of-two magnitudes as `weights`. About a hundred times faster than
 * `quantizeBlocks(weights(...))`, for a layer of many experts (256 x 7168 x 2048 is 3.76 G codes).
 * Codes go into `codes` (N K bytes, row-major); the scales are returned, row-major over the blocks.
 */
export function normalWeightCodes(codes: Uint8Array, N: number, K: number, rng: Rng): Float32Array {
  if (codes.length !== N * K) throw new RangeError(`normalWeightCodes needs ${N * K} bytes, got ${codes.length}`);
  const { codes: table, extreme } = quantiles();
  const scales = Float32Array.from({ length: scaleBlocks(N) * scaleBlocks(K) }, () => Math.fround(((2 ** (rng.int(9) - 4) * 0.02) * extreme) / E4M3_MAX));
  // Two codes a 32-bit draw (SplitMix32-style mixing, as core/rng.ts), seeded from the caller's stream.
  let state = Math.floor(rng.next() * 2 ** 32) >>> 0;
  const pairs = codes.length >> 1;
  for (let i = 0; i < pairs; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    let z = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    codes[2 * i] = table[z & 0xffff]!;
    codes[2 * i + 1] = table[z >>> 16]!;
  }
  if (codes.length & 1) codes[codes.length - 1] = table[rng.int(QUANTILES)]!;
  return scales;
}
