// The problems and configs the decode GPU tests sweep (decode.test.ts), in one place so that
// scripts/compile-ahead-tests.ts can compile the same sources here before a device session (the
// source's header names the problem and config as written, so the objects must be these).
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CudaDecodeConfig } from '../../../kernels/attention/cuda/config.ts';
import { mhaDecode } from '../../../kernels/mha-decode/index.ts';
import type { MhaProblem } from '../../../kernels/mha-decode/problem.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import type { MlaProblem } from '../../../kernels/mla-decode/problem.ts';

export interface DecodeCase<P> {
  readonly problem: P;
  readonly configs: readonly CudaDecodeConfig[];
}

const base: CudaDecodeConfig = { headsPerCta: 16, tokensPerTile: 64, stages: 2, warps: 4, schedule: 'even', splits: 1, cache: 'bf16' };
// Eight warps: 32 query rows (16 heads, s_q 2) keep 64 accumulators a thread.
const mla: CudaDecodeConfig = { ...base, warps: 8 };
const wgmma: CudaDecodeConfig = { ...mla, kernel: 'wgmma' };

/** MLA cases that must verify: the mma.sync kernel's corners, then the WGMMA kernel's variants. */
export function mlaCases(): DecodeCase<MlaProblem>[] {
  const cases: DecodeCase<MlaProblem>[] = [];
  const configs: CudaDecodeConfig[] = [
    mla,
    { ...mla, splits: 4 },
    { ...mla, cache: 'fp8' },
    { ...mla, cache: 'fp8', splits: 3, stages: 2 },
    { ...mla, tokensPerTile: 32, stages: 3, splits: 2 },
    { ...mla, tokensPerTile: 16, stages: 4, splits: 8 },
    { ...mla, stages: 1, warps: 16 },
    { ...base, headsPerCta: 8, splits: 2 },
    { ...base, headsPerCta: 4, warps: 16, cache: 'fp8' },
    // Two CTAs an SM (registers capped at half the file).
    { ...mla, headsPerCta: 8, tokensPerTile: 32, stages: 2, splits: 2, ctasPerSm: 2 },
    { ...base, headsPerCta: 8, tokensPerTile: 32, cache: 'fp8', ctasPerSm: 2 },
  ];
  // edges: lengths 300, 0, 1, 63, 64, 65, 129, 299 (empty sequences, partial and exactly full pages).
  for (const sq of [1, 2]) cases.push({ problem: { B: 8, sq, H: 16, L: 300, lengths: 'edges', dtype: 'f16' }, configs });
  // Four 16-row m-tiles a CTA (64 heads, s_q 1; 32 heads, s_q 2) with 16 warps.
  for (const [H, sq] of [[64, 1], [64, 2]]) {
    cases.push({
      problem: { B: 8, sq, H, L: 200, lengths: 'edges', dtype: 'f16' },
      configs: [
        { ...base, headsPerCta: 64 / sq, warps: 16, stages: 1 }, { ...base, headsPerCta: 64 / sq, warps: 16, tokensPerTile: 32, stages: 2, schedule: 'balanced', splits: 3 },
        { ...base, headsPerCta: 32 / sq, warps: 8, tokensPerTile: 32, stages: 2, splits: 2, cache: 'fp8' },
      ],
    });
  }
  // The WGMMA kernel, scores whole, in halves and alternating, and over the FP8 cache: one and two
  // stages, even and balanced plans, 16 heads (s_q 1 and 2) and 64 query rows a CTA.
  for (const [H, sq] of [[16, 1], [16, 2], [64, 1], [32, 2]]) {
    const heads = Math.min(H, 64 / sq);
    cases.push({
      problem: { B: 8, sq, H, L: 300, lengths: 'edges', dtype: 'f16' },
      configs: [
        { ...wgmma, headsPerCta: heads }, { ...wgmma, headsPerCta: heads, stages: 1, splits: 3 },
        { ...wgmma, headsPerCta: heads, schedule: 'balanced', splits: 5 }, { ...wgmma, headsPerCta: Math.max(1, heads / 2), splits: 2 },
        // Scores in halves: each warpgroup's 32 tokens, maxima and probabilities exchanged.
        { ...wgmma, scores: 'halves', headsPerCta: heads }, { ...wgmma, scores: 'halves', headsPerCta: heads, stages: 1, splits: 3 },
        { ...wgmma, scores: 'halves', headsPerCta: heads, schedule: 'balanced', splits: 5 },
        // Scores alternating: the warpgroups take the pages in turn (odd and even page counts; two stages, as it needs).
        { ...wgmma, scores: 'alternating', headsPerCta: heads }, { ...wgmma, scores: 'alternating', headsPerCta: heads, splits: 3 },
        { ...wgmma, scores: 'alternating', headsPerCta: heads, schedule: 'balanced', splits: 5 },
        // Alternating with loads box by box: a barrier a box, each box loaded again after its last reader.
        { ...wgmma, scores: 'alternating', loads: 'boxes', headsPerCta: heads }, { ...wgmma, scores: 'alternating', loads: 'boxes', headsPerCta: heads, splits: 3 },
        { ...wgmma, scores: 'alternating', loads: 'boxes', headsPerCta: heads, schedule: 'balanced', splits: 5 },
        // ... and the other's p.v in flight through the softmax (whole-page and box loads).
        { ...wgmma, scores: 'alternating', loads: 'boxes', overlap: 'softmax', headsPerCta: heads }, { ...wgmma, scores: 'alternating', overlap: 'softmax', headsPerCta: heads, splits: 3 },
        { ...wgmma, scores: 'alternating', loads: 'boxes', overlap: 'softmax', headsPerCta: heads, schedule: 'balanced', splits: 5 },
        // Scores transposed (tokens as the MMA's m; at most 32 query rows, so 32 / s_q heads at most).
        { ...wgmma, scores: 'transposed', headsPerCta: Math.min(heads, 32 / sq) }, { ...wgmma, scores: 'transposed', headsPerCta: Math.min(heads, 32 / sq), splits: 3 },
        { ...wgmma, scores: 'transposed', headsPerCta: Math.min(heads, 32 / sq), schedule: 'balanced', splits: 5 }, { ...wgmma, scores: 'transposed', headsPerCta: 8 / sq, splits: 2 },
        // Over the FP8 cache: bulk-copied raw pages dequantized into the swizzled tile.
        { ...wgmma, cache: 'fp8', headsPerCta: heads }, { ...wgmma, cache: 'fp8', headsPerCta: heads, stages: 1, splits: 3 },
        { ...wgmma, cache: 'fp8', headsPerCta: heads, schedule: 'balanced', splits: 5 },
      ],
    });
  }
  return cases;
}

/** A varied-length DeepSeek-V3 shard: every candidate for the device must verify (sampled rows). */
export const mlaShard = (caps: Capabilities): DecodeCase<MlaProblem> => {
  const problem: MlaProblem = { B: 32, sq: 2, H: 16, L: 2048, lengths: 'varied', dtype: 'f16' };
  return { problem, configs: mlaDecode.targets.cuda!.candidates!(problem, caps) as CudaDecodeConfig[] };
};

/** Broken MLA variants: each must come back `mismatch`. */
export const mlaFaults: DecodeCase<MlaProblem> = {
  problem: { B: 8, sq: 2, H: 16, L: 300, lengths: 'edges', dtype: 'f16' },
  configs: [
    { ...mla, fault: 'drop-last-tile' }, { ...mla, splits: 4, fault: 'drop-last-tile' }, { ...mla, fault: 'no-mask' }, { ...mla, cache: 'fp8', fault: 'no-mask' },
    { ...mla, schedule: 'balanced', splits: 5, fault: 'drop-last-tile' }, { ...mla, kernel: 'wgmma', fault: 'drop-last-tile' }, { ...mla, kernel: 'wgmma', fault: 'no-mask' },
    { ...mla, kernel: 'wgmma', scores: 'halves', fault: 'no-mask' }, { ...mla, kernel: 'wgmma', scores: 'alternating', fault: 'no-mask' },
    { ...mla, kernel: 'wgmma', scores: 'alternating', fault: 'drop-last-tile' },
    { ...mla, kernel: 'wgmma', scores: 'alternating', loads: 'boxes', fault: 'no-mask' },
    { ...mla, kernel: 'wgmma', scores: 'alternating', loads: 'boxes', overlap: 'softmax', fault: 'no-mask' },
    { ...mla, kernel: 'wgmma', scores: 'alternating', loads: 'boxes', overlap: 'softmax', fault: 'drop-last-tile' },
    { ...mla, kernel: 'wgmma', scores: 'transposed', fault: 'no-mask' }, { ...mla, kernel: 'wgmma', scores: 'transposed', fault: 'drop-last-tile' }, { ...mla, kernel: 'wgmma', cache: 'fp8', fault: 'no-mask' },
  ],
};

/** MHA, GQA and MQA cases that must verify. */
export function mhaCases(): DecodeCase<MhaProblem>[] {
  const cases: DecodeCase<MhaProblem>[] = [];
  for (const [H, Hkv] of [[4, 4], [16, 2], [8, 1]]) {
    for (const sq of [1, 2]) {
      const group = H / Hkv;
      cases.push({
        problem: { B: 8, sq, H, Hkv, L: 300, lengths: 'edges', dtype: 'f16' },
        configs: [
          { ...base, headsPerCta: 1, stages: 4 },
          { ...base, headsPerCta: group, stages: 3, splits: 4 },
          { ...base, headsPerCta: group, tokensPerTile: 32, warps: 8, stages: 2, splits: 2 },
          { ...base, headsPerCta: group, tokensPerTile: 16, warps: 16, stages: 1 },
          { ...base, headsPerCta: group, schedule: 'balanced', splits: 7, stages: 3 },
        ],
      });
    }
  }
  return cases;
}

export const mhaShard = (caps: Capabilities): DecodeCase<MhaProblem> => {
  const problem: MhaProblem = { B: 32, sq: 1, H: 32, Hkv: 4, L: 2048, lengths: 'varied', dtype: 'f16' };
  return { problem, configs: mhaDecode.targets.cuda!.candidates!(problem, caps) as CudaDecodeConfig[] };
};

export const mhaFaults: DecodeCase<MhaProblem> = {
  problem: { B: 8, sq: 2, H: 16, Hkv: 2, L: 300, lengths: 'edges', dtype: 'f16' },
  configs: [{ ...base, headsPerCta: 8, fault: 'drop-last-tile' }, { ...base, headsPerCta: 8, fault: 'no-mask' }],
};

/** Every case of both tests for a device's capabilities, by family (what compile-ahead-tests compiles). */
export const decodeCompileCases = (caps: Capabilities): { family: string; cases: DecodeCase<object>[] }[] => [
  { family: 'mla-decode', cases: [...mlaCases(), mlaShard(caps), mlaFaults] },
  { family: 'mha-decode', cases: [...mhaCases(), mhaShard(caps), mhaFaults] },
];
