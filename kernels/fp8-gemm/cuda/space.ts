// The CUDA (sm_90a) FP8 GEMM config space as data (STYLE.md, habit 1): candidate values per
// parameter and named resource constraints (shared memory, registers, TMA box limits) checked
// against the device's own figures before anything is compiled.
import type { Capabilities, CudaCapabilities } from '../../../core/capabilities.ts';
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
  /**
   * WGMMA accumulator sets per math thread. 1: each K block is issued, waited for and promoted before
   * the next one is issued. 2: block k+1's WGMMAs run while block k is promoted, at the cost of
   * blockN/2 more registers (every read of a set follows a full wait: ptxas 13.0 serializes the
   * WGMMAs of a schedule that reads one set after wait_group 1, C7514).
   */
  readonly accBuffers: number;
  /**
   * The next tile's first K block is issued before this tile's store (one set: once the last
   * promotion has freed the set; two sets, with an even number of K blocks: before the last
   * promotion), so the tensor cores work while the tile is stored.
   */
  readonly overlapStore: boolean;
  /** Warpgroup 1 starts one K block after warpgroup 0 (their promotions stop coinciding). */
  readonly stagger: boolean;
  /** Tile order of the persistent scheduler: consecutive tiles walk along M or along N (grouped by rasterGroup). */
  readonly raster: 'along-m' | 'along-n';
  /**
   * Tiles (cluster-sized) across one raster group: walking along M, a group is this many N tiles
   * wide (along N, this many M tiles tall), so a wave of W tiles reads this many tiles of one operand
   * and W / rasterGroup of the other (DeepGEMM walks groups of 16). A launch argument. Absent: 8.
   */
  readonly rasterGroup?: number;
  /** CTAs per cluster sharing one operand's tile through TMA multicast (1: no cluster). */
  readonly cluster: number;
  /** Cluster CTAs sit side by side along M (they share the B tile) or along N (they share A). */
  readonly clusterAlong: 'm' | 'n';
  /**
   * The tiles left over after the last whole wave are split along K over every CTA (stream-K; their
   * partial totals meet in global memory), instead of running whole on as many SMs as there are
   * tiles while the rest idle. No cluster, no overlapped store. Absent: false.
   */
  readonly splitTail?: boolean;
  /**
   * The kernel computes C transposed, B x A^T: WGMMA's 64-row side walks N (the weights' rows) and
   * its n side walks M (the tokens), so blockM tiles N and blockN tiles M, and cluster, clusterAlong
   * and raster are in that frame too. For small M (decode batches), where a 64-row WGMMA over M
   * would compute padding or leave few tiles: N is large, and the token tile can be as narrow as 8.
   * The weight scales are then per 128 rows, the activation scales per column. Threads epilogue
   * only (C's columns are the kernel's rows). Absent: false.
   */
  readonly swapAB?: boolean;
  /**
   * Every ffmaYield-th FFMA of the compiled promotion gets the yield hint (harness/cuda/sass.ts, an
   * edit of the cubin): the scheduler may then switch to the other warpgroup, whose WGMMAs wait,
   * in the middle of a promotion. Absent: the code as ptxas scheduled it.
   */
  readonly ffmaYield?: number;
  /**
   * The m64 sub-tiles of a warpgroup (two, e.g. 256-row tiles over two math warpgroups) take turns
   * through one accumulator set: each is issued, waited for and promoted before the next, so the
   * registers hold one set beside the totals (DeepGEMM's 256-row tiles at large M). One set only.
   * Absent: false (all sub-tiles issued together, a set each).
   */
  readonly subTilesInTurn?: boolean;
  /**
   * One accumulator set: the next K block's stage is waited for while this block's WGMMAs run (with
   * the sub-tiles in turn: the last sub-tile's, with the scale loads two blocks ahead), so that no
   * barrier wait sits between the promotion and the next WGMMAs (where ptxas otherwise puts it).
   * Absent: false.
   */
  readonly waitAhead?: boolean;
  /**
   * With the sub-tiles in turn or one accumulator set: a warp of the producer warpgroup stages each
   * K block's scales in shared memory beside its tiles (the tile's rows' activation scales and its
   * weight-scale blocks), and the math threads read theirs with LDS once the stage is full, instead
   * of global loads two blocks ahead through walking pointers. Absent: false.
   */
  readonly smemScales?: boolean;
  /**
   * With staged scales: the producer's TMA thread loads them with each stage's tiles, the activation
   * scales by TMA (DeepGEMM's way) from a copy rows fastest, [K/128][M], as the runner hands them to
   * cuBLASLt (made untimed), the weight scales by cp.async, both completing on the stage's full
   * barrier; no scale warp. Absent: false (the scale warp's loads).
   */
  readonly tmaScales?: boolean;
  /**
   * With staged scales: the next stage's full barrier is tried once right after this block's last
   * WGMMAs, and the answer read only after the promotion (the FMAs hide the try), as ptxas arranges
   * DeepGEMM's loop. Absent: false.
   */
  readonly tryAhead?: boolean;
  /**
   * K blocks per trip of the in-turn loop, with no test between them (ptxas then moves each block's
   * stage wait up into the previous block's promotion, as in DeepGEMM's loop); the blocks left over
   * run after the last trip. 2 or 4 (a smaller loop body against more waits moved up). Absent: 4.
   */
  readonly turnUnroll?: 2 | 4;
  /**
   * The TMA epilogue stages one m64 sub-tile per warpgroup at a time (waiting for the store to have
   * read the last one), so its staging is half as large with two sub-tiles per warpgroup and a
   * 256x128 tile fits a fourth pipeline stage. Absent: false (the whole tile staged at once).
   */
  readonly storeBySubTile?: boolean;
  /**
   * Launch as few persistent clusters as finish the tiles in the same number of waves (DeepGEMM's
   * minimal SM count): every cluster walks the same number of tiles and the SMs left over idle,
   * drawing no power under the cap. Absent: false (min(tiles, SMs)).
   */
  readonly balancedGrid?: boolean;
  /** Output element type written to C. */
  readonly out: 'f32' | 'bf16';
  /**
   * How the tile reaches C: 'threads' copy rows out of a padded staging buffer with 16-byte stores;
   * 'tma' stages 128B-swizzled slabs of 64 rows x 128 bytes and stores them with TMA (asynchronous:
   * the math warpgroups go on to the next tile while the stores run). Absent: 'threads'.
   */
  readonly epilogue?: 'threads' | 'tma';
  /**
   * 'simt': the portable shared-memory kernel (kernels/fp8-gemm/cuda/simt.ts) for GPUs below sm_90,
   * which ignores the tile parameters above; absent: the sm_90a WGMMA + TMA kernel.
   */
  readonly kernel?: 'simt';
  /**
   * A deliberately broken variant, never in the space: proves verification catches it (drop the last
   * K block's promotion, or read B's scale of the next K block); the `time-*` ones leave out a part
   * of the work so that timing differences place the time (diagnosis only, never reported as ok).
   */
  readonly fault?: 'skip-last-k-block' | 'wrong-b-scale' | 'skip-partials' | 'time-no-promote' | 'time-no-store' | 'time-one-kstep' | 'time-fixed-scales';
};

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
/** With staged scales the producer's scale warp needs more: 56, and two math warpgroups 224 (64512 of 65536). */
const scaleWarp = (c: CudaGemmConfig): boolean => c.smemScales === true && !c.tmaScales;
export const producerRegisters = (c: CudaGemmConfig): number => (scaleWarp(c) ? 56 : PRODUCER_REGISTERS);
export const consumerRegisters = (c: CudaGemmConfig): number =>
  c.mathWarpgroups === 1 ? 240 : c.mathWarpgroups === 2 ? (scaleWarp(c) ? 224 : 232) : 152;

/**
 * Floats per stage of staged scales: blockM activation scales, then the weight-scale blocks (four
 * floats), with TMA rounded up to 128 bytes (its destinations' alignment).
 */
export const scaleStride = (c: CudaGemmConfig): number => (c.tmaScales ? Math.ceil((c.blockM + 4) / 32) * 32 : c.blockM + 4);

export const subTilesPerWarpgroup = (c: CudaGemmConfig): number => c.blockM / (WGMMA_M * c.mathWarpgroups);
export const threadsPerCta = (c: CudaGemmConfig): number => 128 * (c.mathWarpgroups + 1);

export const outputBytes = (c: Pick<CudaGemmConfig, 'out'>): 2 | 4 => (c.out === 'bf16' ? 2 : 4);

/**
 * Tiles (1024-byte aligned), the epilogue's staging (rows padded by 16 bytes, or unpadded slabs for
 * TMA stores), a full and an empty mbarrier per stage and the stagger barrier, 8 bytes each.
 */
export function sharedBytes(c: CudaGemmConfig): number {
  const stage = (c.blockM + c.blockN) * BLOCK_K;
  // Swapped: each math warpgroup stages blockN rows of C (tokens), its own blockM / mathWarpgroups
  // values each, padded by 16 bytes.
  const staging = c.epilogue === 'tma'
    ? (c.blockM * c.blockN * outputBytes(c)) / (c.storeBySubTile ? subTilesPerWarpgroup(c) : 1)
    : c.swapAB
      ? c.blockN * (c.blockM * outputBytes(c) + 16 * c.mathWarpgroups)
      : c.blockM * (c.blockN * outputBytes(c) + 16);
  // Staged scales (after the barriers; with TMA aligned to 128 bytes).
  const scales = c.smemScales ? c.stages * scaleStride(c) * 4 + (c.tmaScales ? 128 : 0) : 0;
  return 1024 /* alignment slack */ + c.stages * stage + staging + c.stages * 16 + 8 /* stagger barrier */ + scales;
}

/**
 * Accumulator registers per math thread: the WGMMA accumulator sets and the promoted f32 totals,
 * each blockN/2 floats per m64 sub-tile, plus what addresses, scales and loop state take: ~40 where
 * the budget is 232-240 (32 with staged scales: no ring of scales nor pointers walking it; ptxas
 * uses 168 for 256x128 in turn either way); ptxas (nvcc 13.0) fits 64 + 64 floats in three warpgroups' 152 with 24
 * (192x128) and spills 72 + 72 (192x144), so 24 there.
 */
export const accumulatorRegisters = (c: CudaGemmConfig): number =>
  (subTilesPerWarpgroup(c) + (c.subTilesInTurn ? 1 : subTilesPerWarpgroup(c) * c.accBuffers)) * (c.blockN / 2) +
  (c.mathWarpgroups === 3 ? 24 : c.smemScales ? 32 : 40) + (c.swapAB ? 4 * swappedColumnScales(c.blockN) : 0);

/**
 * Swapped, a math thread's columns are tokens, each with its own activation scale: two per 8
 * columns, in a ring of two K blocks, a copy and their products with the row scale (four sets:
 * with three, ptxas spills 80-450 bytes at 112-token tiles and 624-700 at 128).
 */
export const swappedColumnScales = (blockN: number): number => blockN / 4;

/** The split tail's scratch: a counter per CTA and math warpgroup (16-byte aligned), then a tile of f32 partials per CTA. */
export const splitScratchBytes = (ctas: number, c: CudaGemmConfig): number =>
  4 * (Math.ceil((ctas * c.mathWarpgroups) / 4) * 4 + ctas * c.blockM * c.blockN);

/** The problem in the kernel's frame: with swapAB it computes C^T = B x A^T, an N x M product. */
export const kernelProblem = (p: GemmProblem, c: Pick<CudaGemmConfig, 'swapAB'>): GemmProblem => (c.swapAB ? { M: p.N, N: p.M, K: p.K } : p);

/** Cluster-sized tiles (the unit the persistent clusters walk): cluster tiles side by side. */
export function superTiles(problem: GemmProblem, c: CudaGemmConfig): number {
  const p = kernelProblem(problem, c);
  const m = c.blockM * (c.clusterAlong === 'm' ? c.cluster : 1);
  const n = c.blockN * (c.clusterAlong === 'n' ? c.cluster : 1);
  return Math.ceil(p.M / m) * Math.ceil(p.N / n);
}

/** The device's CUDA figures (STYLE.md, habit 4: read from the device, never assumed). */
export function cudaCaps(caps: Capabilities): CudaCapabilities {
  if (!caps.cuda) throw new Error(`the CUDA fp8-gemm needs a CUDA device's capabilities, not ${caps.backend}'s`);
  return caps.cuda;
}

export function cudaGemmConstraints(problem: GemmProblem, caps: Capabilities): Constraint<CudaGemmConfig>[] {
  const cuda = cudaCaps(caps);
  const smemLimit = cuda.sharedPerBlockOptinBytes;
  const maxCluster = cuda.maxClusterSize;
  return [
    {
      name: 'block-m-is-whole-m64-subtiles',
      why: 'blockM must be 64 x mathWarpgroups x (1 or 2) m64 sub-tiles, with 1-3 math warpgroups',
      ok: (c) => [1, 2].includes(subTilesPerWarpgroup(c)) && [1, 2, 3].includes(c.mathWarpgroups),
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
      name: 'no-measured-spill',
      why: 'ptxas (nvcc 13.0) spills one warpgroup of 64x112 with two accumulator sets, and of 64x176 with its eight compiled promotions (16-24 bytes, seen by the CI compile test), though the estimate fits; with the split tail, two accumulator sets of more than 96 columns per warpgroup (36 bytes at 128x128, 32 at 64x128) or three math warpgroups spill 20-60 bytes',
      ok: (c) =>
        !(c.mathWarpgroups === 1 && ((c.blockN === 112 && c.accBuffers === 2) || c.blockN === 176)) &&
        !(c.splitTail && ((c.accBuffers === 2 && subTilesPerWarpgroup(c) * c.blockN > 96) || c.mathWarpgroups === 3)),
    },
    {
      name: 'registers-per-sm',
      why: 'producer and consumer register budgets must fit the 64K registers of one SM',
      ok: (c) => 128 * producerRegisters(c) + 128 * c.mathWarpgroups * consumerRegisters(c) <= cuda.registersPerSm,
    },
    {
      name: 'stagger-needs-two-warpgroups',
      why: 'staggering offsets the second math warpgroup: with one there is nothing to offset',
      ok: (c) => !c.stagger || c.mathWarpgroups > 1,
    },
    {
      name: 'stagger-with-one-accumulator-set',
      why: 'the staggered start is part of the one-set schedule (with two sets the promotions already overlap the WGMMAs)',
      ok: (c) => !c.stagger || c.accBuffers === 1,
    },
    {
      name: 'overlap-store-without-cluster',
      why: 'with a cluster\'s remote arrivals ptxas (nvcc 13.0) serializes the overlapped store\'s WGMMAs (C7518)',
      ok: (c) => !c.overlapStore || c.cluster === 1,
    },
    {
      name: 'split-tail-without-cluster',
      why: 'the split tail deals K blocks to single CTAs (a cluster\'s CTAs share loads and would need to split alike)',
      ok: (c) => !c.splitTail || c.cluster === 1,
    },
    {
      name: 'split-tail-without-overlap-store',
      why: 'the overlapped store issues the next tile\'s first block before this one ends: a split piece has no fixed next block',
      ok: (c) => !c.splitTail || !c.overlapStore,
    },
    {
      name: 'one-or-two-accumulator-sets',
      why: 'accBuffers is 1 (wait for each K block) or 2 (issue the next block before promoting)',
      ok: (c) => c.accBuffers === 1 || c.accBuffers === 2,
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
      name: 'no-direction-without-cluster',
      why: 'without a cluster the direction means nothing: cluster=1 is listed once, as clusterAlong=n',
      ok: (c) => c.cluster > 1 || c.clusterAlong === 'n',
    },
    {
      name: 'multicast-slice-is-whole-swizzle-atoms',
      why: 'each CTA multicasts 1/cluster of the shared tile: that many rows must be a multiple of 8 (one 1024-byte swizzle atom)',
      ok: (c) => ((c.clusterAlong === 'm' ? c.blockN : c.blockM) / c.cluster) % 8 === 0,
    },
    {
      name: 'tma-store-whole-slabs',
      why: 'the TMA epilogue stores slabs 128 bytes wide: blockN x output bytes must be a multiple of 128',
      ok: (c) => c.epilogue !== 'tma' || (c.blockN * outputBytes(c)) % 128 === 0,
    },
    {
      name: 'tma-store-row-pitch',
      why: `a TMA tensor map needs C's rows 16-byte aligned: N x output bytes must be a multiple of 16 (N=${problem.N})`,
      ok: (c) => c.epilogue !== 'tma' || (problem.N * outputBytes(c)) % 16 === 0,
    },
    {
      name: 'tile-within-problem',
      why: 'a tile much larger than the problem computes padding: blockM <= max(64, M rounded up to 64), in the kernel\'s frame (N when swapAB)',
      ok: (c) => c.blockM <= Math.max(64, Math.ceil(kernelProblem(problem, c).M / 64) * 64),
    },
    {
      name: 'swap-for-small-m',
      why: `swapping A and B is for small M (at most 256 tokens, here M=${problem.M}), with a token tile (blockN) no wider than M rounded up to 8`,
      ok: (c) => !c.swapAB || (problem.M <= 256 && c.blockN <= Math.ceil(problem.M / 8) * 8),
    },
    {
      name: 'ffma-yield-spacing',
      why: 'ffmaYield is every how many FFMAs one yields: a whole number from 1 to 16',
      ok: (c) => c.ffmaYield === undefined || (Number.isInteger(c.ffmaYield) && c.ffmaYield >= 1 && c.ffmaYield <= 16),
    },
    {
      name: 'sub-tiles-in-turn-alone',
      why: 'sub-tiles take turns through one accumulator set: two sub-tiles per warpgroup, one set, and none of the overlapped store, stagger, split tail or swapped A and B (their schedules issue all sub-tiles at once)',
      ok: (c) => !c.subTilesInTurn || (subTilesPerWarpgroup(c) === 2 && c.accBuffers === 1 && !c.overlapStore && !c.stagger && !c.splitTail && !c.swapAB),
    },
    {
      name: 'wait-ahead-one-set',
      why: 'waiting ahead for the next stage is part of the one-set schedules (accBuffers=1, with or without the sub-tiles in turn)',
      ok: (c) => !c.waitAhead || c.accBuffers === 1,
    },
    {
      name: 'smem-scales-in-turn',
      why: 'staged scales (smemScales) are part of the in-turn schedule (subTilesInTurn, not with waitAhead\'s ring loads there) or of one set without the overlapped store, stagger, split tail or swapped A and B; tryAhead needs them in turn',
      ok: (c) =>
        (!c.smemScales || (c.subTilesInTurn ? !c.waitAhead : c.accBuffers === 1 && !c.overlapStore && !c.stagger && !c.splitTail && !c.swapAB)) &&
        (!c.tryAhead || (c.smemScales === true && c.subTilesInTurn === true)),
    },
    {
      name: 'tma-scales',
      why: 'scales loaded by TMA (tmaScales) are staged scales (smemScales), of a tile at most 256 rows (one box)',
      ok: (c) => !c.tmaScales || (c.smemScales === true && c.blockM <= 256),
    },
    {
      name: 'store-by-sub-tile',
      why: 'storing one sub-tile at a time is the TMA epilogue\'s, for two m64 sub-tiles per warpgroup',
      ok: (c) => !c.storeBySubTile || (c.epilogue === 'tma' && subTilesPerWarpgroup(c) === 2),
    },
    {
      name: 'turn-unroll',
      why: 'turnUnroll is the in-turn loop\'s K blocks per trip: 2 or 4, with the sub-tiles in turn',
      ok: (c) => c.turnUnroll === undefined || ((c.turnUnroll === 2 || c.turnUnroll === 4) && c.subTilesInTurn === true),
    },
    {
      name: 'raster-group-size',
      why: 'rasterGroup is how many tiles one raster group spans: a whole number from 1 to 64',
      ok: (c) => c.rasterGroup === undefined || (Number.isInteger(c.rasterGroup) && c.rasterGroup >= 1 && c.rasterGroup <= 64),
    },
    {
      name: 'balanced-grid-without-split-tail',
      why: 'the split tail already spreads the last wave over every SM; a balanced grid leaves SMs out',
      ok: (c) => !c.balancedGrid || !c.splitTail,
    },
    {
      name: 'swap-with-threads-epilogue',
      why: 'swapped, C\'s columns are the kernel\'s rows: the threads epilogue transposes through shared memory (no TMA store)',
      ok: (c) => !c.swapAB || c.epilogue !== 'tma',
    },
  ];
}

/** WGMMA, TMA and setmaxnreg need compute capability 9.0 (sm_90a); other GPUs get the SIMT kernel. */
export const hopper = (caps: Capabilities): boolean => Number(cudaCaps(caps).computeCapability.split('.')[0]) >= 9;

/** The portable kernel's space: its tile is fixed; only the output type varies. */
export function simtSpace(): Space<CudaGemmConfig> {
  return {
    params: {
      blockM: [64],
      blockN: [64],
      stages: [1],
      mathWarpgroups: [1],
      accBuffers: [1],
      overlapStore: [false],
      stagger: [false],
      raster: ['along-m'],
      cluster: [1],
      clusterAlong: ['n'],
      out: ['bf16', 'f32'],
      kernel: ['simt'],
    },
    constraints: [],
  };
}

/**
 * The default space (every instance compiles in CI, so it stays near a hundred distinct sources; the
 * raster is a launch argument and needs no compile of its own). N tiles include non-powers of two
 * (112, 176) so that DeepSeek-V3's N (2112, 4096, 7168, 24576, 32768) divide into tile counts closer
 * to a multiple of the H200's 132 SMs (7168 / 176 = 40.7 tiles of 128 rows: 9.9 of 10 waves); narrow tiles (16, 32) give M=64 problems enough CTAs to spread
 * B's reads. Both accumulator schedules are in it, with and without the overlapped store. `stagger`
 * (1-5% slower on the H200 in run 2), `out: f32` and deeper pipelines are reachable with --param.
 * Swapped A and B are in it for small M (the constraint swap-for-small-m leaves them out above 256).
 */
export function cudaGemmSpace(problem: GemmProblem, caps: Capabilities): Space<CudaGemmConfig> {
  if (!hopper(caps)) return simtSpace();
  return {
    params: {
      blockM: [64, 128],
      blockN: [16, 32, 112, 128, 176],
      stages: [3, 5],
      mathWarpgroups: [1, 2],
      accBuffers: [1, 2],
      overlapStore: [false, true],
      stagger: [false],
      raster: ['along-m', 'along-n'],
      cluster: [1, 2],
      clusterAlong: ['m', 'n'],
      out: ['bf16'],
      epilogue: ['threads', 'tma'],
      swapAB: [false, true],
    },
    constraints: cudaGemmConstraints(problem, caps),
  };
}
