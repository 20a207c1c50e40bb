// The CUDA (sm_90a) FP8 GEMM config space as data (STYLE.md, habit 1): candidate values per
// parameter and named resource constraints (shared memory, registers, TMA box limits) checked
// against the device's own figures before anything is compiled.
import type { Capabilities } from '../../../harness/capabilities.ts';
import type { Constraint, Space } from '../../types.ts';
import type { GemmProblem } from '../problem.ts';

export type CudaGemmConfig = {
  /** Output rows per CTA tile: 64 per math warpgroup times the m64 sub-tiles each one owns. */
  readonly blockM: number;
  /** Output columns per CTA tile; any multiple of 8 up to 256 (WGMMA's n), so N tiles can fit 132 SMs. */
  readonly blockN: number;
  /** Shared-memory pipeline depth (TMA producer runs this many 128-wide K blocks ahead). */
  readonly stages: number;
  /** Consumer warpgroups issuing WGMMA; one more warpgroup produces (TMA). */
  readonly mathWarpgroups: number;
  /** Tile order of the persistent scheduler: consecutive tiles walk along M or along N (grouped by 8). */
  readonly raster: 'along-m' | 'along-n';
  /** CTAs per cluster sharing B tiles through TMA multicast (1: no cluster). */
  readonly cluster: number;
  /** Output element type written to C. */
  readonly out: 'f32' | 'bf16';
  /** A deliberately broken variant, never in the space: proves verification catches it. */
  readonly fault?: 'skip-last-k-block' | 'wrong-b-scale';
};

/** The scale block is also the K step of the pipeline: one stage holds one 128-wide K block. */
export const BLOCK_K = 128;
/** WGMMA's fixed M per instruction. */
export const WGMMA_M = 64;
/** Register budget of a math thread after `setmaxnreg` (DeepGEMM's split: 40 for the producer). */
export const PRODUCER_REGISTERS = 40;
export const consumerRegisters = (c: CudaGemmConfig): number => (c.mathWarpgroups === 1 ? 240 : 232);

export const subTilesPerWarpgroup = (c: CudaGemmConfig): number => c.blockM / (WGMMA_M * c.mathWarpgroups);
export const threadsPerCta = (c: CudaGemmConfig): number => 128 * (c.mathWarpgroups + 1);

/** Barriers: a full and an empty mbarrier per stage, 8 bytes each; tiles are 1024-byte aligned. */
export function sharedBytes(c: CudaGemmConfig): number {
  const stage = (c.blockM + c.blockN) * BLOCK_K;
  return 1024 /* alignment slack */ + c.stages * stage + c.stages * 16;
}

/**
 * Accumulator registers per math thread: the WGMMA accumulators and the promoted f32 totals, each
 * blockN/2 floats per m64 sub-tile, plus ~40 for addresses, scales and loop state.
 */
export const accumulatorRegisters = (c: CudaGemmConfig): number => subTilesPerWarpgroup(c) * c.blockN + 40;

export const tiles = (p: GemmProblem, c: CudaGemmConfig): number => Math.ceil(p.M / c.blockM) * Math.ceil(p.N / c.blockN);

export function cudaGemmConstraints(problem: GemmProblem, caps: Capabilities): Constraint<CudaGemmConfig>[] {
  const cuda = caps.cuda;
  const smemLimit = cuda?.sharedPerBlockOptinBytes ?? 232448;
  const maxCluster = cuda?.maxClusterSize ?? 8;
  return [
    {
      name: 'block-m-is-whole-m64-subtiles',
      why: 'blockM must be 64 x mathWarpgroups x (1 or 2) m64 sub-tiles',
      ok: (c) => [1, 2].includes(subTilesPerWarpgroup(c)),
    },
    {
      name: 'block-n-is-wgmma-n',
      why: 'blockN must be a multiple of 8 in [8, 256] (WGMMA n, TMA box rows, 128B swizzle atoms of 8 rows)',
      ok: (c) => c.blockN % 8 === 0 && c.blockN >= 8 && c.blockN <= 256,
    },
    {
      name: 'shared-memory-within-limit',
      why: `stages x (blockM + blockN) x 128 bytes plus barriers must fit the device's ${smemLimit} bytes per block`,
      ok: (c) => sharedBytes(c) <= smemLimit,
    },
    {
      name: 'accumulators-fit-registers',
      why: 'WGMMA accumulators and promoted totals must stay in the math threads\' registers (no spills)',
      ok: (c) => accumulatorRegisters(c) <= consumerRegisters(c),
    },
    {
      name: 'registers-per-sm',
      why: 'producer and consumer register budgets must fit the 64K registers of one SM',
      ok: (c) => 128 * PRODUCER_REGISTERS + 128 * c.mathWarpgroups * consumerRegisters(c) <= (cuda?.registersPerSm ?? 65536),
    },
    {
      name: 'pipeline-at-least-two-stages',
      why: 'one stage leaves no overlap between TMA loads and WGMMA',
      ok: (c) => c.stages >= 2,
    },
    {
      name: 'cluster-within-device',
      why: `cluster size must be 1, 2 or 4 and within the device's ${maxCluster}`,
      ok: (c) => [1, 2, 4].includes(c.cluster) && c.cluster <= maxCluster,
    },
    {
      name: 'tile-within-problem',
      why: 'a tile much larger than the problem computes padding: blockM <= max(64, M rounded up to 64)',
      ok: (c) => c.blockM <= Math.max(64, Math.ceil(problem.M / 64) * 64),
    },
  ];
}

/**
 * The default space. N tiles include non-powers of two (112, 144, 160, 176, 192) so that the
 * number of tiles of DeepSeek-V3's N (2112, 4096, 7168, 24576, 32768) comes closer to a multiple
 * of the H200's 132 SMs; small tiles (16..64) give M=64 problems enough CTAs to spread B's reads.
 */
export function cudaGemmSpace(problem: GemmProblem, caps: Capabilities): Space<CudaGemmConfig> {
  return {
    params: {
      blockM: [64, 128],
      blockN: [16, 32, 48, 64, 96, 112, 128, 144, 160, 176, 192],
      stages: [4, 6, 8],
      mathWarpgroups: [1, 2],
      raster: ['along-m', 'along-n'],
      cluster: [1],
      out: ['bf16'],
    },
    constraints: cudaGemmConstraints(problem, caps),
  };
}
