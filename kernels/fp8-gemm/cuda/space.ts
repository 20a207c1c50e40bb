// The CUDA (sm_90a) FP8 GEMM config space as data (STYLE.md, habit 1): the configs of the sum type
// (config.ts) listed, and named constraints that are resource limits (shared memory, registers, TMA
// boxes, the device's cluster size, what ptxas serializes or spills) or the problem's own, checked
// against the device's figures before anything is compiled. Which options go together is the type's
// business, not a constraint's.
import type { Capabilities, CudaCapabilities } from '../../../core/capabilities.ts';
import type { Constraint, Space } from '../../types.ts';
import type { GemmProblem } from '../problem.ts';
import {
  accumulatorSets,
  clusterAlong,
  isHopper,
  overlapsStore,
  scaleStaging,
  staggered,
  swapped,
  type CudaGemmConfig,
  type HopperGemmConfig,
  type RingLoop,
} from './config.ts';
import { gemvConstraints } from './gemv.ts';

export type { CudaGemmConfig, HopperGemmConfig } from './config.ts';

/** The scale block is also the K step of the pipeline: one stage holds one 128-wide K block. */
export const BLOCK_K = 128;
/** WGMMA's fixed M per instruction. */
export const WGMMA_M = 64;
/**
 * Register budget of a math thread after `setmaxnreg` (DeepGEMM's split: 40 for the producer). With
 * three math warpgroups the 64K registers of an SM leave (65536 - 128 x 40) / 384 = 157, rounded
 * down to setmaxnreg's multiple of 8.
 */
export const PRODUCER_REGISTERS = 40;
/** The producer's scale warp needs more: 56, and two math warpgroups 224 (64512 of 65536). */
const scaleWarp = (c: HopperGemmConfig): boolean => scaleStaging(c) === 'scale-warp';
export const producerRegisters = (c: HopperGemmConfig): number => (scaleWarp(c) ? 56 : PRODUCER_REGISTERS);
export const consumerRegisters = (c: HopperGemmConfig): number =>
  c.mathWarpgroups === 1 ? 240 : c.mathWarpgroups === 2 ? (scaleWarp(c) ? 224 : 232) : 152;

/** Scales staged in shared memory with each stage (by the scale warp or the TMA thread). */
export const stagedScales = (c: HopperGemmConfig): boolean => scaleStaging(c) !== 'ring';

/**
 * Floats per stage of staged scales: blockM activation scales, then the weight-scale blocks (four
 * floats), with TMA rounded up to 128 bytes (its destinations' alignment).
 */
export const scaleStride = (c: HopperGemmConfig): number => (scaleStaging(c) === 'tma' ? Math.ceil((c.blockM + 4) / 32) * 32 : c.blockM + 4);

export const subTilesPerWarpgroup = (c: Pick<HopperGemmConfig, 'blockM' | 'mathWarpgroups'>): number => c.blockM / (WGMMA_M * c.mathWarpgroups);
export const threadsPerCta = (c: HopperGemmConfig): number => 128 * (c.mathWarpgroups + 1);

export const outputBytes = (c: Pick<CudaGemmConfig, 'out'>): 2 | 4 => (c.out === 'bf16' ? 2 : 4);

/**
 * Tiles (1024-byte aligned), the epilogue's staging (rows padded by 16 bytes, or unpadded slabs for
 * TMA stores), a full and an empty mbarrier per stage and the stagger barrier, 8 bytes each.
 */
export function sharedBytes(c: HopperGemmConfig): number {
  const stage = (c.blockM + c.blockN) * BLOCK_K;
  // Swapped: each math warpgroup stages blockN rows of C (tokens), its own blockM / mathWarpgroups
  // values each, padded by 16 bytes.
  const staging = c.epilogue !== 'threads'
    ? (c.blockM * c.blockN * outputBytes(c)) / (c.epilogue === 'tma-by-sub-tile' ? subTilesPerWarpgroup(c) : 1)
    : swapped(c)
      ? c.blockN * (c.blockM * outputBytes(c) + 16 * c.mathWarpgroups)
      : c.blockM * (c.blockN * outputBytes(c) + 16);
  // Staged scales (after the barriers; with TMA aligned to 128 bytes).
  const scales = stagedScales(c) ? c.stages * scaleStride(c) * 4 + (scaleStaging(c) === 'tma' ? 128 : 0) : 0;
  return 1024 /* alignment slack */ + c.stages * stage + staging + c.stages * 16 + 8 /* stagger barrier */ + scales;
}

/**
 * Accumulator registers per math thread: the WGMMA accumulator sets and the promoted f32 totals,
 * each blockN/2 floats per m64 sub-tile, plus what addresses, scales and loop state take: ~40 where
 * the budget is 232-240 (32 with staged scales: no ring of scales nor pointers walking it; ptxas
 * uses 168 for 256x128 in turn either way); ptxas (nvcc 13.0) fits 64 + 64 floats in three
 * warpgroups' 152 with 24 (192x128) and spills 72 + 72 (192x144), so 24 there.
 */
export const accumulatorRegisters = (c: HopperGemmConfig): number =>
  (subTilesPerWarpgroup(c) + (c.loop === 'in-turn' ? 1 : subTilesPerWarpgroup(c) * accumulatorSets(c))) * (c.blockN / 2) +
  (c.mathWarpgroups === 3 ? 24 : stagedScales(c) ? 32 : 40) + (swapped(c) ? 4 * swappedColumnScales(c.blockN) : 0);

/**
 * Swapped, a math thread's columns are tokens, each with its own activation scale: two per 8
 * columns, in a ring of two K blocks, a copy and their products with the row scale (four sets:
 * with three, ptxas spills 80-450 bytes at 112-token tiles and 624-700 at 128).
 */
export const swappedColumnScales = (blockN: number): number => blockN / 4;

/** The split tail's scratch: a counter per CTA and math warpgroup (16-byte aligned), then a tile of f32 partials per CTA. */
export const splitScratchBytes = (ctas: number, c: HopperGemmConfig): number =>
  4 * (Math.ceil((ctas * c.mathWarpgroups) / 4) * 4 + ctas * c.blockM * c.blockN);

/** The problem in the kernel's frame: swapped it computes C^T = B x A^T, an N x M product. */
export const kernelProblem = (p: GemmProblem, c: HopperGemmConfig): GemmProblem => (swapped(c) ? { M: p.N, N: p.M, K: p.K } : p);

/** Cluster-sized tiles (the unit the persistent clusters walk): cluster tiles side by side. */
export function superTiles(problem: GemmProblem, c: HopperGemmConfig): number {
  const p = kernelProblem(problem, c);
  const m = c.blockM * (clusterAlong(c) === 'm' ? c.cluster : 1);
  const n = c.blockN * (clusterAlong(c) === 'n' ? c.cluster : 1);
  return Math.ceil(p.M / m) * Math.ceil(p.N / n);
}

/** The device's CUDA figures (STYLE.md, habit 4: read from the device, never assumed). */
export function cudaCaps(caps: Capabilities): CudaCapabilities {
  if (!caps.cuda) throw new Error(`the CUDA fp8-gemm needs a CUDA device's capabilities, not ${caps.backend}'s`);
  return caps.cuda;
}

/** A constraint on the sm_90a kernel's configs (the SIMT kernel's tile is fixed: always ok). */
const hopperConstraint = (name: string, why: string, ok: (c: HopperGemmConfig) => boolean): Constraint<CudaGemmConfig> => ({
  name,
  why,
  ok: (c) => !isHopper(c) || ok(c),
});

export function cudaGemmConstraints(problem: GemmProblem, caps: Capabilities): Constraint<CudaGemmConfig>[] {
  const cuda = cudaCaps(caps);
  const smemLimit = cuda.sharedPerBlockOptinBytes;
  const maxCluster = cuda.maxClusterSize;
  return [
    hopperConstraint('block-m-is-whole-m64-subtiles', 'blockM must be 64 x mathWarpgroups x (1 or 2) m64 sub-tiles', (c) => [1, 2].includes(subTilesPerWarpgroup(c))),
    hopperConstraint(
      'block-n-is-wgmma-n',
      'blockN must be a multiple of 8 in [8, 256] (WGMMA n, TMA box rows, 128B swizzle atoms of 8 rows)',
      (c) => c.blockN % 8 === 0 && c.blockN >= 8 && c.blockN <= 256,
    ),
    hopperConstraint('pipeline-at-least-two-stages', 'one stage leaves no overlap between TMA loads and WGMMA', (c) => c.stages >= 2),
    hopperConstraint(
      'shared-memory-within-limit',
      `stages x (blockM + blockN) x 128 bytes plus staging, barriers and staged scales must fit the device's ${smemLimit} bytes per block`,
      (c) => sharedBytes(c) <= smemLimit,
    ),
    hopperConstraint(
      'accumulators-fit-registers',
      'WGMMA accumulators and promoted totals must stay in the math threads\' registers (no spills)',
      (c) => accumulatorRegisters(c) <= consumerRegisters(c),
    ),
    hopperConstraint(
      'no-measured-spill',
      'ptxas (nvcc 13.0) spills one warpgroup of 64x112 with two accumulator sets, and of 64x176 with its eight compiled promotions (16-24 bytes, seen by the CI compile test), though the estimate fits; with the split tail, two accumulator sets of more than 96 columns per warpgroup (36 bytes at 128x128, 32 at 64x128) or three math warpgroups spill 20-60 bytes',
      (c) =>
        !(c.mathWarpgroups === 1 && ((c.blockN === 112 && c.loop === 'two-sets') || c.blockN === 176)) &&
        !(c.grid === 'split-tail' && ((c.loop === 'two-sets' && subTilesPerWarpgroup(c) * c.blockN > 96) || c.mathWarpgroups === 3)),
    ),
    hopperConstraint(
      'registers-per-sm',
      'producer and consumer register budgets must fit the 64K registers of one SM',
      (c) => 128 * producerRegisters(c) + 128 * c.mathWarpgroups * consumerRegisters(c) <= cuda.registersPerSm,
    ),
    hopperConstraint('stagger-needs-two-warpgroups', 'staggering offsets the second math warpgroup: with one there is nothing to offset', (c) => !staggered(c) || c.mathWarpgroups > 1),
    hopperConstraint(
      'in-turn-two-sub-tiles',
      'sub-tiles take turns through one set: two m64 sub-tiles per warpgroup (blockM = 128 x mathWarpgroups)',
      (c) => c.loop !== 'in-turn' || subTilesPerWarpgroup(c) === 2,
    ),
    hopperConstraint(
      'overlap-store-without-cluster',
      'with a cluster\'s remote arrivals ptxas (nvcc 13.0) serializes the overlapped store\'s WGMMAs (C7518)',
      (c) => !overlapsStore(c) || c.cluster === 1,
    ),
    hopperConstraint('cluster-within-device', `a cluster of ${maxCluster === 1 ? 'more than 1' : '2 or 4'} must be within the device's ${maxCluster}`, (c) => c.cluster <= maxCluster),
    hopperConstraint(
      'multicast-slice-is-whole-swizzle-atoms',
      'each CTA multicasts 1/cluster of the shared tile: that many rows must be a multiple of 8 (one 1024-byte swizzle atom)',
      (c) => ((clusterAlong(c) === 'm' ? c.blockN : c.blockM) / c.cluster) % 8 === 0,
    ),
    hopperConstraint(
      'tma-scales-one-box',
      'the TMA thread loads a tile\'s activation scales as one box: at most 256 rows',
      (c) => scaleStaging(c) !== 'tma' || c.blockM <= 256,
    ),
    hopperConstraint(
      'tma-store-whole-slabs',
      'the TMA epilogue stores slabs 128 bytes wide: blockN x output bytes must be a multiple of 128',
      (c) => c.epilogue === 'threads' || (c.blockN * outputBytes(c)) % 128 === 0,
    ),
    hopperConstraint(
      'store-by-sub-tile-two-sub-tiles',
      'storing one sub-tile at a time halves the staging only with two m64 sub-tiles per warpgroup',
      (c) => c.epilogue !== 'tma-by-sub-tile' || subTilesPerWarpgroup(c) === 2,
    ),
    hopperConstraint(
      'tma-store-row-pitch',
      `a TMA tensor map needs C's rows 16-byte aligned: N x output bytes must be a multiple of 16 (N=${problem.N})`,
      (c) => c.epilogue === 'threads' || (problem.N * outputBytes(c)) % 16 === 0,
    ),
    hopperConstraint(
      'tile-within-problem',
      'a tile much larger than the problem computes padding: blockM <= max(64, M rounded up to 64), in the kernel\'s frame (N when swapped)',
      (c) => c.blockM <= Math.max(64, Math.ceil(kernelProblem(problem, c).M / 64) * 64),
    ),
    hopperConstraint(
      'swapped-threads-epilogue',
      'swapped A and B store C through the threads epilogue (C\'s columns are the kernel\'s rows)',
      (c) => !swapped(c) || c.epilogue === 'threads',
    ),
    hopperConstraint(
      'swap-for-small-m',
      `swapping A and B is for small M (at most 256 tokens, here M=${problem.M}), with a token tile (blockN) no wider than M rounded up to 8`,
      (c) => !swapped(c) || (problem.M <= 256 && c.blockN <= Math.ceil(problem.M / 8) * 8),
    ),
    hopperConstraint('ffma-yield-spacing', 'ffmaYield is every how many FFMAs one yields: a whole number from 1 to 16', (c) => c.ffmaYield === undefined || (Number.isInteger(c.ffmaYield) && c.ffmaYield >= 1 && c.ffmaYield <= 16)),
    hopperConstraint(
      'raster-group-size',
      'rasterGroup is how many tiles one raster group spans: a whole number from 1 to 64',
      (c) => c.rasterGroup === undefined || (Number.isInteger(c.rasterGroup) && c.rasterGroup >= 1 && c.rasterGroup <= 64),
    ),
    // The GEMV kernel's own (every other config passes them).
    ...gemvConstraints(problem, caps),
  ];
}

/** WGMMA, TMA and setmaxnreg need compute capability 9.0 (sm_90a); other GPUs get the SIMT kernel. */
export const hopper = (caps: Capabilities): boolean => Number(cudaCaps(caps).computeCapability.split('.')[0]) >= 9;

/**
 * A space over a list of configs: `configs` is what strategies walk; `params` holds the values each
 * field takes among them (for strategies that step between neighbouring values, and --param).
 */
export function listedSpace(configs: readonly CudaGemmConfig[], constraints: Constraint<CudaGemmConfig>[]): Space<CudaGemmConfig> {
  const params: Record<string, unknown[]> = {};
  for (const config of configs) {
    for (const [name, value] of Object.entries(config)) {
      const values = (params[name] ??= []);
      if (!values.includes(value)) values.push(value);
    }
  }
  return { params: params as unknown as Space<CudaGemmConfig>['params'], constraints, configs };
}

/** The portable kernel's space: its tile is fixed; only the output type varies. */
export function simtSpace(): Space<CudaGemmConfig> {
  return listedSpace([{ kernel: 'simt', out: 'bf16' }, { kernel: 'simt', out: 'f32' }], []);
}

/** The main loops of the default space: both accumulator schedules, two sets with and without the overlapped store. */
const DEFAULT_LOOPS: readonly RingLoop[] = [{ loop: 'two-sets' }, { loop: 'two-sets', overlapStore: true }, { loop: 'one-set', scales: 'ring' }];

/**
 * The default space (every instance compiles in CI, so it stays near a hundred distinct sources; the
 * raster is a launch argument and needs no compile of its own). N tiles include non-powers of two
 * (112, 176) so that DeepSeek-V3's N (2112, 4096, 7168, 24576, 32768) divide into tile counts closer
 * to a multiple of the H200's 132 SMs (7168 / 176 = 40.7 tiles of 128 rows: 9.9 of 10 waves); narrow
 * tiles (16, 32) give M=64 problems enough CTAs to spread B's reads. Swapped A and B are in it for
 * small M (swap-for-small-m leaves them out above 256). Every config here passes the constraints.
 */
export function cudaGemmSpace(problem: GemmProblem, caps: Capabilities): Space<CudaGemmConfig> {
  if (!hopper(caps)) return simtSpace();
  const constraints = cudaGemmConstraints(problem, caps);
  const configs: HopperGemmConfig[] = [];
  for (const blockM of [64, 128]) {
    for (const blockN of [16, 32, 112, 128, 176]) {
      for (const stages of [3, 5]) {
        for (const mathWarpgroups of [1, 2] as const) {
          for (const loop of DEFAULT_LOOPS) {
            for (const raster of ['along-m', 'along-n'] as const) {
              for (const cluster of [{ cluster: 1 }, { cluster: 2, clusterAlong: 'm' }, { cluster: 2, clusterAlong: 'n' }] as const) {
                const tile = { blockM, blockN, stages, mathWarpgroups, raster, out: 'bf16', grid: 'full', ...cluster, ...loop } as const;
                configs.push({ ...tile, epilogue: 'threads' }, { ...tile, epilogue: 'tma' });
                configs.push({ ...tile, epilogue: 'threads', swapAB: true });
              }
            }
          }
        }
      }
    }
  }
  return listedSpace(configs.filter((c) => constraints.every((k) => k.ok(c))), constraints);
}
