// A short list of decode configs per problem, generated from the shape and the device (never a
// fixed list): the one or two largest head groups that fill a 16-row MMA tile (each cache tile read
// once per head group, so the most heads per CTA reads the cache the fewest times), the splits that
// make B x head groups x splits fill the SMs (the smallest power of two that reaches one wave, and
// twice that, for the tail of uneven lengths; with uneven lengths also one wave of CTAs sharing
// the batch by the balanced plan), 64- and 32-token tiles with the deepest pipeline that
// fits, every warp count whose accumulators fit (on the H200 16-row MLA tiles ran 1.15x faster
// with 8 warps than with 4: the split is latency-bound) and, up to 8 warps, also two CTAs an SM
// (half the registers and shared memory each, the phases of one overlapping the other's), each
// cache the family offers;
// for MLA over the bf16 cache also the WGMMA kernel (whole 64-token pages, two warpgroups) with
// each head group that fits its 64-row tile, two stages, its scores computed by each warpgroup
// whole, in halves, and by the warpgroups in turn (with whole-page or box-by-box loads, and the
// latter also with the other's p.v in flight through the softmax), and, for at most 32 query rows,
// transposed (the page's tokens as the MMA's m); and over the FP8 cache (scores whole).
import type { Capabilities } from '../../../core/capabilities.ts';
import { PAGE_SIZE, type AttentionShape } from '../shape.ts';
import { cudaDecodeConstraints, sharedBytes, sharedLimitAt, type CudaDecodeConfig } from './space.ts';
import { cudaMaxSplits } from './workload.ts';

const MAX_STAGES = 4;

/** The deepest pipeline (1 to MAX_STAGES) whose shared memory fits (beside the config's other CTAs on the SM); 0 when not even one stage does. */
export function deepestStages(s: AttentionShape, config: Omit<CudaDecodeConfig, 'stages'>, caps: Capabilities): number {
  const limit = sharedLimitAt(caps, config.ctasPerSm ?? 1);
  let stages = 0;
  while (stages < MAX_STAGES && sharedBytes(s, { ...config, stages: stages + 1 }) <= limit) stages++;
  return stages;
}

/** Head groups: the largest divisors of the KV group with at most 64 query rows, at least a full MMA tile where the group allows. */
export function headGroupSizes(s: AttentionShape): number[] {
  const group = s.heads / s.kvHeads;
  const sizes = [];
  for (let h = Math.min(group, Math.floor(64 / s.queryTokens)); h >= 1 && sizes.length < 2; h--) {
    if (group % h !== 0) continue;
    if (sizes.length > 0 && s.queryTokens * h < Math.min(16, s.queryTokens * group)) break;
    sizes.push(h);
  }
  return sizes;
}

/** Splits that fill the SMs: one wave's worth (a power of two) and twice it, bounded by the tiles of the longest sequence. */
export function splitCounts(s: AttentionShape, headsPerCta: number, tokensPerTile: number, smCount: number): number[] {
  const ctas = s.batch * (s.heads / headsPerCta);
  const longest = Math.max(...s.lengths);
  const most = Math.max(1, Math.min(cudaMaxSplits(s), Math.floor(longest / tokensPerTile)));
  let splits = 1;
  while (splits < most && ctas * splits < smCount) splits *= 2;
  splits = Math.min(splits, most);
  return splits * 2 <= most ? [splits, splits * 2] : [splits];
}

export function cudaDecodeCandidates(s: AttentionShape, caps: Capabilities): CudaDecodeConfig[] {
  const smCount = caps.cuda?.smCount ?? 1;
  const constraints = cudaDecodeConstraints(s, caps);
  const configs: CudaDecodeConfig[] = [];
  const uneven = s.lengths.some((len) => len !== s.lengths[0]);
  const caches: CudaDecodeConfig['cache'][] = s.valuesInKeys && s.keyDim === 576 ? ['bf16', 'fp8'] : ['bf16'];
  const schedules = (headsPerCta: number, tokensPerTile: number): Pick<CudaDecodeConfig, 'schedule' | 'splits'>[] => [
    ...splitCounts(s, headsPerCta, tokensPerTile, smCount).map((splits) => ({ schedule: 'even' as const, splits })),
    // Uneven lengths: one wave of CTAs per head group sharing the batch's tiles by the plan.
    ...(uneven ? [{ schedule: 'balanced' as const, splits: Math.max(1, Math.floor(smCount / (s.heads / headsPerCta))) }] : []),
  ];
  for (const headsPerCta of headGroupSizes(s)) {
    for (const tokensPerTile of [PAGE_SIZE, PAGE_SIZE / 2]) {
      for (const cache of caches) {
        const fitting = [4, 8, 16].filter((warps) => constraints.every((k) => k.name !== 'accumulators-fit' || k.ok({ headsPerCta, tokensPerTile, warps, cache, schedule: 'even', splits: 1, stages: 1 })));
        for (const warps of fitting) {
          for (const schedule of schedules(headsPerCta, tokensPerTile)) {
            for (const ctasPerSm of warps <= 8 ? ([1, 2] as const) : ([1] as const)) {
              const base = { headsPerCta, tokensPerTile, warps, cache, ...schedule, ...(ctasPerSm > 1 ? { ctasPerSm } : {}) };
              const stages = deepestStages(s, base, caps);
              if (stages > 0) configs.push({ ...base, stages });
            }
          }
        }
      }
    }
    if (caches[0] === 'bf16' && s.valuesInKeys && s.keyDim === 576 && headsPerCta * s.queryTokens <= 64) {
      for (const schedule of schedules(headsPerCta, PAGE_SIZE)) {
        // Two stages only: one stage lost to two at every shape measured on the H200 (1.28-1.37x slower, 2026-12-05).
        for (const scores of [{}, { scores: 'halves' } as const, { scores: 'alternating' } as const, { scores: 'alternating', loads: 'boxes' } as const, { scores: 'alternating', loads: 'boxes', overlap: 'softmax' } as const]) configs.push({ kernel: 'wgmma', headsPerCta, tokensPerTile: PAGE_SIZE, warps: 8, cache: 'bf16', ...schedule, ...scores, stages: 2 });
        configs.push({ kernel: 'wgmma', headsPerCta, tokensPerTile: PAGE_SIZE, warps: 8, cache: 'fp8', ...schedule, stages: 2 });
        // At most 32 query rows: also the tokens as the MMA's m (rows padded to 8, not to 64).
        if (headsPerCta * s.queryTokens <= 32) configs.push({ kernel: 'wgmma', headsPerCta, tokensPerTile: PAGE_SIZE, warps: 8, cache: 'bf16', ...schedule, scores: 'transposed', stages: 2 });
      }
    }
  }
  return configs.filter((c) => constraints.every((k) => k.ok(c)));
}
