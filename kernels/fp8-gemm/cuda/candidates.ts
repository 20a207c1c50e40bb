// A short list of configs per problem for sweeps that must fit a small GPU-time budget: tiles by
// the size of M (DeepSeek-V3's decode batches M=64/128 are bound by reading B and by every CTA
// re-reading A, so they want many narrow N tiles with A multicast across a cluster along N, and at
// M <= 64 also A and B swapped, weight tiles against narrow token tiles; M=4096
// prefill runs power-limited, so 128-row tiles up to 192 columns wide and 192x128 tiles, alone or in
// pairs sharing B through multicast, and 256x128 with the sub-tiles in turn), each with the deepest pipeline that fits, under each accumulator
// schedule (one set; two sets; two sets with the next tile's first block overlapping the store) and
// with both epilogues (threads; TMA stores). In the sum type of config.ts: every candidate is a valid
// combination by construction; the constraints judge only resources and the problem.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { GemmProblem } from '../problem.ts';
import type { HopperGemmConfig, MainLoop } from './config.ts';
import { cudaCaps, cudaGemmConstraints, sharedBytes } from './space.ts';

const MAX_STAGES = 10;

/** A config less its pipeline depth (each variant of the union less `stages`). */
export type Unstaged = HopperGemmConfig extends infer C ? (C extends HopperGemmConfig ? Omit<C, 'stages'> : never) : never;

/** The deepest pipeline (at most MAX_STAGES) whose shared memory fits the device. */
export function deepestStages(config: Unstaged, caps: Capabilities): number {
  const limit = cudaCaps(caps).sharedPerBlockOptinBytes;
  let stages = 2;
  while (stages < MAX_STAGES && sharedBytes({ ...config, stages: stages + 1 } as HopperGemmConfig) <= limit) stages++;
  return stages;
}

/** The config with the deepest pipeline that fits. */
const deepest = (config: Unstaged, caps: Capabilities): HopperGemmConfig => ({ ...config, stages: deepestStages(config, caps) }) as HopperGemmConfig;

type Tile = { blockM: number; blockN: number; mathWarpgroups: 1 | 2 | 3 };
type Cluster = { cluster: 1 } | { cluster: 2 | 4; clusterAlong: 'm' | 'n' };

// (The split tail is in the type but not a candidate: in run 20 at M=4096, like for like, it ran at
// 0.79-1.01 of the throughput without it, 0.97 even at K=512 where no tile is split, and 0.90 at
// N=2112, the shape it was built for (128x192: 1037 against 1154 TFLOP/s); see docs/experiments/h200-fp8-gemm-sessions.md.)
const SCHEDULES: MainLoop[] = [
  { loop: 'one-set', scales: 'ring' },
  { loop: 'two-sets' },
  { loop: 'two-sets', overlapStore: true },
];

/** Both epilogues; the TMA one only where its slabs and C's row pitch allow (the constraints). */
const EPILOGUES = ['threads', 'tma'] as const;

const tile = (blockM: number, blockN: number): Tile => ({ blockM, blockN, mathWarpgroups: (blockM / 64) as 1 | 2 | 3 });

export function candidateConfigs(problem: GemmProblem, caps: Capabilities, out: HopperGemmConfig['out'] = 'bf16'): HopperGemmConfig[] {
  const large = problem.M > 128;
  const tiles: Tile[] = problem.M <= 64
    ? [16, 32, 48, 64].map((n) => tile(64, n))
    : problem.M <= 128
      ? [...[32, 64, 96].map((n) => tile(64, n)), ...[64, 128].map((n) => tile(128, n))]
      : // Wide N tiles read fewer L2 bytes per FLOP. 176 would fill the 132 SMs' last wave better
        // (N=2112: 2.9 waves against 192's 2.7) but measured 13-26% behind the best at every M=4096 shape
        // (run 14; 44% more instructions than 192 at N=2112 in Nsight Compute, run 15): not a candidate.
        // 192x128 tiles (three math warpgroups, one set each) were the best at K=512 and K=1536 in
        // run 18, 2-19% behind at the other M=4096 shapes (192x96: 18-28% behind). In run 48 (every
        // M=4096 candidate) none of 128x128, 128x160 and 192x128 was the best at any shape, and the
        // best at each shape has since moved 2-13% ahead (scales staged by TMA, runs 50-53): at M=4096
        // only 128x192 (the best at N=2112, where 256-row tiles leave 2.06 waves) stays beside them.
        [tile(128, 192)];
  const clusters: Cluster[] = large
    ? // Pairs along M share B's tile (half its L2 reads): within 0-4% of the best unpaired config at
      // M=4096 in runs 13-14 and the best at N=24576 in run 14. (Pairs along N measured 2-10% behind
      // pairs along M at every M=4096 shape in run 12.)
      [{ cluster: 1 }, { cluster: 2, clusterAlong: 'm' }]
    : [{ cluster: 1 }, { cluster: 2, clusterAlong: 'n' }, { cluster: 4, clusterAlong: 'n' }];
  const rasters: HopperGemmConfig['raster'][] = large ? ['along-m', 'along-n'] : ['along-m'];
  const constraints = cudaGemmConstraints(problem, caps);
  const configs: HopperGemmConfig[] = [];
  for (const t of tiles) {
    for (const c of clusters) {
      for (const raster of rasters) {
        for (const schedule of SCHEDULES) {
          // At M=4096 the threads epilogue led only once in runs 10-12 (within 0.4%): pairs get the TMA one.
          for (const epilogue of large && c.cluster > 1 ? (['tma'] as const) : EPILOGUES) {
            const base = { ...t, ...c, ...schedule, raster, out, epilogue, grid: 'full' } as Unstaged;
            const stages = deepestStages(base, caps);
            configs.push({ ...base, stages } as HopperGemmConfig);
            // Wide tiles measured faster one stage short of the deepest on the H200 (n=160: 4 over 5,
            // n=192: 3 over 4, at M=4096): both are candidates.
            if (t.blockN > 128 && stages > 3) configs.push({ ...base, stages: stages - 1 } as HopperGemmConfig);
          }
        }
      }
    }
  }
  if (problem.M <= 64) configs.push(...swappedCandidates(problem, caps, out));
  if (large) {
    configs.push(...inTurnCandidates(caps, out));
    // One set waiting for the next stage while this block's WGMMAs run: 128x192 (four stages, TMA
    // store) ran 0.5-4% ahead of the same tile without it at all six M=4096 shapes in run 42.
    const wide = { ...tile(128, 192), cluster: 1, raster: 'along-m', out, epilogue: 'tma', grid: 'full' } as const;
    configs.push(deepest({ ...wide, loop: 'one-set', scales: 'ring', waitAhead: true }, caps));
    // The same with its scales staged by the TMA thread, both rasters, in a pair along M, and without
    // waiting ahead: the best at N=2112 in runs 51-53 (1052-1086 TFLOP/s against 1021 without, run 52).
    const staged = { ...wide, loop: 'one-set', scales: 'tma' } as const;
    const stagedVariants: Unstaged[] = [
      { ...staged, waitAhead: true }, { ...staged, waitAhead: true, raster: 'along-n' },
      { ...staged, waitAhead: true, cluster: 2, clusterAlong: 'm' }, staged,
    ];
    configs.push(...stagedVariants.map((c) => deepest(c, caps)));
  }
  return configs.filter((c) => constraints.every((k) => k.ok(c)));
}

/**
 * A and B swapped (C^T = B x A^T, the issue's "swapping A/B for small M"): 64 or 128 weight rows per
 * tile against token tiles of 16-64, two accumulator sets. In run 29 (all 18 of DeepSeek-V3's small-M
 * shapes, like for like in one sweep) they were the best at M=64 for N=2112 (64x16: 6% ahead of the
 * best unswapped config, 132 CTAs that share each weight tile four ways instead of all reading the
 * same 64 tokens) and N=4096 (128x16: 3% ahead), 6-9% behind at the other four; at M=128 they were
 * 4-32% behind at every shape, so they are candidates at M <= 64 only. (Overlapped stores, one
 * accumulator set and clusters sharing the weight tile never led among them.)
 * (The split tail over every SM, also with fewer tiles than SMs, verifies but measured 0.40-1.00 of
 * the best at M=64 and 128 in run 29, 0.69 even at 128 tiles of 64x32 where almost nothing is
 * split: not a candidate; see docs/experiments/h200-fp8-gemm-sessions.md.)
 */
function swappedCandidates(problem: GemmProblem, caps: Capabilities, out: HopperGemmConfig['out']): HopperGemmConfig[] {
  const base = { loop: 'two-sets', raster: 'along-m', cluster: 1, out, epilogue: 'threads', grid: 'full', swapAB: true } as const;
  const tokens = [16, 32, 64].filter((n) => n <= Math.max(16, Math.ceil(problem.M / 8) * 8));
  return [64, 128].flatMap((blockM) => tokens.map((blockN) => deepest({ ...tile(blockM, blockN), ...base }, caps)));
}

/**
 * 256x128 tiles whose two m64 sub-tiles per warpgroup take turns through one accumulator set, alone
 * or in pairs sharing A, each grid full or balanced, both rasters (the facts behind DeepGEMM's M=4096
 * configs: it ran 1.17-1.18x cuBLASLt there, settled, in runs 37, 39 and 41), with their scales staged
 * in shared memory by the TMA thread (DeepGEMM's way: no global loads between the WGMMAs). In run 50
 * (M=4096, like for like) that ran 2-8% ahead of the same tiles with the scales read by the math
 * threads (the best at five shapes in run 48; 1233 against 1144 TFLOP/s at K=16384) and from 2%
 * behind (K=1536) to 17% ahead of the scale warp's staging; so neither is a candidate any more, nor
 * the fourth stage stored by sub-tile (level or behind in run 49), nor FFMA yields on them (level
 * to 4% behind in run 52). (256x88 and 256x112 with the threads epilogue ran 25-35% behind in run 38.)
 */
function inTurnCandidates(caps: Capabilities, out: HopperGemmConfig['out']): HopperGemmConfig[] {
  const base = { blockM: 256, blockN: 128, mathWarpgroups: 2, loop: 'in-turn', turnUnroll: 4, scales: 'tma', epilogue: 'tma', out } as const;
  const pairs = [{ cluster: 1 }, { cluster: 2, clusterAlong: 'n' }] as const;
  const configs: Unstaged[] = pairs.flatMap((c) =>
    (['along-m', 'along-n'] as const).flatMap((raster) =>
      (['full', 'balanced'] as const).map((grid) => ({ ...base, ...c, raster, grid }))));
  // Two blocks per trip instead of four (half the loop body; the best without staged scales at
  // K=7168 and 16384 in run 48).
  configs.push(...pairs.map((c) => ({ ...base, ...c, raster: 'along-m', grid: 'balanced', turnUnroll: 2 }) as const));
  return configs.map((config) => deepest(config, caps));
}
