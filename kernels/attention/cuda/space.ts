// The config space of the sm_90a paged decode kernels (MLA absorbed and MHA/GQA/MQA share it): a
// CTA serves `headsPerCta` query heads of one KV head for every query token of the step (16-row
// m16n8k16 tiles of query rows), walks its split's cache tiles through a cp.async pipeline of
// `stages` tiles, and `warps` warps divide the tile's tokens for q.k and the value dims for p.v.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { Constraint, Space } from '../../types.ts';
import { PAGE_SIZE, type AttentionShape } from '../shape.ts';
import { MAX_PARTS } from './merge.ts';
import { wgmmaSharedBytes } from './wgmma.ts';
import { cudaMaxSplits, FP8_ROW_BYTES } from './workload.ts';
import type { CudaDecodeConfig } from './config.ts';

export type { CudaDecodeConfig } from './config.ts';

/** Rows of a 16-row MMA tile; the m-tiles a CTA carries. */
export const MMA_M = 16;
export const mTiles = (s: AttentionShape, c: CudaDecodeConfig): number => Math.ceil((s.queryTokens * c.headsPerCta) / MMA_M);

/** f32 output accumulators per thread: m-tiles x (valueDim / warps / 8) n-tiles x 4. */
export const outputAccumulators = (s: AttentionShape, c: CudaDecodeConfig): number => (mTiles(s, c) * s.valueDim * 4) / (8 * c.warps);

/** The shared-memory row stride (elements) of q and key tiles: 16 bytes of padding spread the banks. */
export const keyStride = (s: AttentionShape): number => s.keyDim + 8;
export const valueStride = (s: AttentionShape): number => s.valueDim + 8;

/** Shared memory the kernel asks for, by part (all multiples of 16 bytes, laid out in this order). */
export function sharedParts(s: AttentionShape, c: CudaDecodeConfig): Record<'q' | 'stages' | 'dequant' | 'values' | 'scores' | 'probs' | 'stats', number> {
  const rows = mTiles(s, c) * MMA_M;
  const keyTile = c.tokensPerTile * keyStride(s) * 2;
  const valueTile = s.valuesInKeys ? 0 : c.tokensPerTile * valueStride(s) * 2;
  const fp8 = c.cache === 'fp8';
  return {
    q: rows * keyStride(s) * 2,
    stages: c.stages * (fp8 ? c.tokensPerTile * FP8_ROW_BYTES : keyTile),
    dequant: fp8 ? keyTile : 0,
    values: c.stages * valueTile,
    scores: rows * (c.tokensPerTile + 4) * 4,
    probs: rows * (c.tokensPerTile + 8) * 2,
    stats: Math.ceil((3 * rows * 4) / 16) * 16,
  };
}

export const sharedBytes = (s: AttentionShape, c: CudaDecodeConfig): number =>
  c.kernel === 'wgmma' ? wgmmaSharedBytes(c, s.queryTokens * c.headsPerCta) : Object.values(sharedParts(s, c)).reduce((a, b) => a + b, 0);

export function sharedLimit(caps: Capabilities): number {
  if (!caps.cuda) throw new Error(`the CUDA decode kernels need a CUDA device's capabilities, not ${caps.backend}'s`);
  return caps.cuda.sharedPerBlockOptinBytes;
}

/** Shared memory one CTA may take when `ctasPerSm` of them share an SM (each also reserves 1 KB). */
export function sharedLimitAt(caps: Capabilities, ctasPerSm: number): number {
  const limit = sharedLimit(caps);
  return ctasPerSm <= 1 ? limit : Math.min(limit, Math.floor(caps.cuda!.sharedPerSmBytes / ctasPerSm) - 1024);
}

export function cudaDecodeConstraints(s: AttentionShape, caps: Capabilities): Constraint<CudaDecodeConfig>[] {
  const group = s.heads / s.kvHeads;
  const limit = sharedLimit(caps);
  const registersPerSm = caps.cuda?.registersPerSm ?? 65536;
  const longest = Math.max(...s.lengths);
  return [
    {
      name: 'heads-share-one-kv-head',
      why: `heads per CTA must divide the ${group} query heads that share a KV head`,
      ok: (c) => Number.isInteger(c.headsPerCta) && c.headsPerCta >= 1 && group % c.headsPerCta === 0,
    },
    {
      name: 'rows-within-four-m-tiles',
      why: `s_q (${s.queryTokens}) x heads per CTA must be at most 64 query rows (four 16-row MMA tiles)`,
      ok: (c) => mTiles(s, c) <= 4,
    },
    {
      name: 'tile-inside-a-page',
      why: `tokens per tile must be 16, 32 or 64: a multiple of the MMA's k (16) that divides the ${PAGE_SIZE}-token page`,
      ok: (c) => [16, 32, 64].includes(c.tokensPerTile),
    },
    {
      name: 'warps-divide-the-work',
      why: 'warps must be 4, 8 or 16 (the value dims split into 8-wide MMA tiles per warp)',
      ok: (c) => [4, 8, 16].includes(c.warps) && s.valueDim % (8 * c.warps) === 0,
    },
    {
      name: 'accumulators-fit',
      why: 'at most 64 f32 output accumulators per thread (registers without spilling); WGMMA: 128 (m64 x 256 value dims a warpgroup)',
      ok: (c) => c.kernel === 'wgmma' || outputAccumulators(s, c) <= 64,
    },
    {
      name: 'fp8-registers-at-16-warps',
      why: 'with 16 warps (128 registers a thread) the FP8 dequantization spills beside 32 or more accumulators (ptxas 13, sm_90a): at most 16 there',
      ok: (c) => c.kernel === 'wgmma' || c.cache !== 'fp8' || c.warps < 16 || outputAccumulators(s, c) <= 16,
    },
    {
      name: 'wgmma-shape',
      why: 'the WGMMA kernel is MLA: 64-token tiles (a page a load), 8 warps (two math warpgroups), 1 or 2 stages; over the FP8 cache with the scores whole',
      ok: (c) => c.kernel !== 'wgmma' || (s.valuesInKeys && s.keyDim === 576 && s.valueDim === 512 && c.tokensPerTile === 64 && c.warps === 8 && c.stages <= 2 &&
        (c.cache === 'bf16' || (c.scores ?? 'whole') === 'whole')),
    },
    {
      name: 'scores-ways-are-wgmma',
      why: 'scores in halves or alternating between the warpgroups are ways of the WGMMA kernel; alternating needs two stages (with one, a warpgroup would wait for a page that only its own later release loads)',
      ok: (c) => (c.scores ?? 'whole') === 'whole' || (c.kernel === 'wgmma' && (c.scores === 'halves' || (c.scores === 'alternating' && c.stages >= 2) || c.scores === 'transposed')),
    },
    {
      name: 'transposed-rows',
      why: 'scores transposed (the page\'s tokens as the MMA\'s m, the query rows its n) take at most 32 query rows a CTA, two stages (one a warpgroup), the bf16 cache',
      ok: (c) => c.scores !== 'transposed' || (s.queryTokens * c.headsPerCta <= 32 && c.stages === 2 && c.cache === 'bf16'),
    },
    {
      name: 'box-loads-are-alternating',
      why: 'loads by box (a barrier a box, each box loaded again after its last reader) are a way of the alternating scores, where each box has one known last reader',
      ok: (c) => (c.loads ?? 'page') === 'page' || (c.loads === 'boxes' && c.scores === 'alternating'),
    },
    {
      name: 'softmax-overlap-is-alternating',
      why: "a p.v in flight through the softmax is the alternating scores' consumer of the other warpgroup's page",
      ok: (c) => (c.overlap ?? 'none') === 'none' || (c.overlap === 'softmax' && c.scores === 'alternating'),
    },
    {
      name: 'ctas-per-sm-fit',
      why: `two CTAs an SM: the mma.sync kernel with at most 8 warps, at 8 at most 32 output accumulators a thread (${registersPerSm / 512} registers a thread: 64 spill, ptxas 13), and the shared memory of both on the SM (${sharedLimitAt(caps, 2)} bytes each)`,
      ok: (c) => (c.ctasPerSm ?? 1) === 1 ||
        (c.ctasPerSm === 2 && c.kernel !== 'wgmma' && (c.warps <= 4 || (c.warps === 8 && outputAccumulators(s, c) <= 32)) && sharedBytes(s, c) <= sharedLimitAt(caps, 2)),
    },
    {
      name: 'stages-in-range',
      why: 'stages must be 1 to 6',
      ok: (c) => Number.isInteger(c.stages) && c.stages >= 1 && c.stages <= 6,
    },
    {
      name: 'shared-memory-within-limit',
      why: `q, the staged tiles, scores and probabilities must fit the device's ${limit} bytes per block`,
      ok: (c) => sharedBytes(s, c) <= limit,
    },
    {
      name: 'splits-within-scratch',
      why: `the split scratch holds ${cudaMaxSplits(s)} partials per sequence (even: at most that many splits; balanced: B + CTAs - 1 partials in all, at most ${MAX_PARTS} CTAs)`,
      ok: (c) => Number.isInteger(c.splits) && c.splits >= 1 &&
        (c.schedule === 'balanced' ? c.splits <= MAX_PARTS && s.batch + c.splits - 1 <= s.batch * cudaMaxSplits(s) : c.splits <= cudaMaxSplits(s)),
    },
    {
      name: 'split-holds-a-tile',
      why: `even splits x tokens per tile must not exceed the longest sequence (${longest}): the extra splits would be empty`,
      ok: (c) => c.schedule === 'balanced' || c.splits === 1 || c.splits * c.tokensPerTile <= longest,
    },
    {
      name: 'bf16-storage',
      why: 'the CUDA kernels read q and the cache in bf16 (f16 problems stand for it); an f32 problem has no CUDA config',
      ok: () => s.storage !== 'f32',
    },
    {
      name: 'fp8-cache-is-mla',
      why: 'the FP8 cache is the latent cache of MLA (512 e4m3 values + 64 RoPE values per token)',
      ok: (c) => c.cache === 'bf16' || (s.valuesInKeys && s.valueDim === 512 && s.keyDim === 576),
    },
  ];
}

export function cudaDecodeSpace(s: AttentionShape, caps: Capabilities): Space<CudaDecodeConfig> {
  return {
    params: {
      headsPerCta: [1, 2, 4, 8, 16, 32, 64],
      tokensPerTile: [16, 32, 64],
      stages: [1, 2, 3, 4],
      warps: [4, 8, 16],
      schedule: ['even', 'balanced'],
      splits: [1, 2, 4, 8, 16, 32],
      cache: s.valuesInKeys ? ['bf16', 'fp8'] : ['bf16'],
      kernel: s.valuesInKeys ? ['mma-sync', 'wgmma'] : ['mma-sync'],
      ctasPerSm: [1, 2],
      scores: ['whole', 'halves', 'alternating', 'transposed'],
      loads: ['page', 'boxes'],
      overlap: ['none', 'softmax'],
    },
    constraints: cudaDecodeConstraints(s, caps),
  };
}
