// `cuda(problem, config, caps)` of the fp8-gemm family: the sm_90a source for one config, its
// launch (persistent grid sized from the device's SM count) and the kernel parameters the CUDA
// runner builds (TMA tensor maps over A and B, scale and output pointers, sizes).
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CudaKernelSource, CudaLaunch, TensorMapParam } from '../../cuda-source.ts';
import { FP8_GEMM_BINDINGS } from '../../fp8/bindings.ts';
import { fillTemplate, sourceHeader } from '../../template.ts';
import { kBlocks, type GemmProblem } from '../problem.ts';
import { KERNEL_TEMPLATE } from './kernel.ts';
import { IN_TURN } from './loops/in-turn.ts';
import type { MainLoopCode } from './loops/loop.ts';
import { ONE_SET } from './loops/one-set.ts';
import { TWO_SETS } from './loops/two-sets.ts';
import { DENSE_WALK, type TileWalkCode } from './walk.ts';
import { PTX_HELPERS, wgmmaWrapper } from './ptx.ts';
import { swappedScalesOutputSizes, wholeBlockScalesOutputSizes } from './params.ts';
import { gemmCudaSimt } from './simt.ts';
import { gemmCudaGemv, isGemv } from './gemv.ts';
import {
  BLOCK_K,
  cudaCaps,
  consumerRegisters,
  producerRegisters,
  sharedBytes,
  subTilesPerWarpgroup,
  threadsPerCta,
  outputBytes,
  splitScratchBytes,
  superTiles,
  kernelProblem,
  scaleStride,
  swappedColumnScales,
  type CudaGemmConfig,
  type HopperGemmConfig,
} from './space.ts';
import { accumulatorSets, clusterAlong, isHopper, overlapsStore, scaleStaging, staggered, swapped, waitsAhead } from './config.ts';

export const ENTRY_POINT = 'fp8_gemm_sm90a';
/** WGMMA and setmaxnreg exist only in the arch-specific sm_90a target (HOPPER.md, "Building"). */
export const SM90A_FLAGS = ['-gencode=arch=compute_90a,code=sm_90a', '-O3', '-std=c++17'] as const;

/**
 * 128-column scale blocks one N tile can touch. Tiles start at multiples of blockN, so a tile's
 * offset inside its scale block is a multiple of g = gcd(blockN, 128), at most 128 - g: 1 when the
 * tile divides 128, 2 for 112, 144, 160, 192 and 256, 3 for 176.
 */
export function scaleSpans(blockN: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return Math.ceil((128 - gcd(blockN, 128) + blockN) / 128);
}

// Two adjacent columns of one row: side by side in the staging, or (swapped: they are two rows of C)
// one staging row apart.
const PAIR_STORE = {
  f32: '        *reinterpret_cast<float2*>(p) = make_float2(total[s][j * 4 + 2 * h], total[s][j * 4 + 2 * h + 1]);',
  bf16: '        *reinterpret_cast<__nv_bfloat162*>(p) = __floats2bfloat162_rn(total[s][j * 4 + 2 * h], total[s][j * 4 + 2 * h + 1]);',
} as const;
const SWAPPED_PAIR_STORE = {
  f32: '        p[0] = total[s][j * 4 + 2 * h];\n        p[SWAP_ROW_ELEMS] = total[s][j * 4 + 2 * h + 1];',
  bf16: '        p[0] = __float2bfloat16_rn(total[s][j * 4 + 2 * h]);\n        p[SWAP_ROW_ELEMS] = __float2bfloat16_rn(total[s][j * 4 + 2 * h + 1]);',
} as const;

const LOOPS: Readonly<Record<HopperGemmConfig['loop'], MainLoopCode>> = { 'two-sets': TWO_SETS, 'one-set': ONE_SET, 'in-turn': IN_TURN };

/** The chosen main loop's pieces, its options filled in as its own constants (only that loop is emitted). */
function mainLoopFields(problem: GemmProblem, config: HopperGemmConfig, walk: TileWalkCode): Record<string, string | number> {
  const loop = LOOPS[config.loop];
  const options: Record<string, number> =
    config.loop === 'two-sets'
      ? // It needs an even number of K blocks; otherwise the plain tail (same code as off).
        { overlapStore: overlapsStore(config) && kBlocks(problem) % 2 === 0 ? 1 : 0 }
      : config.loop === 'one-set'
        ? { waitAhead: waitsAhead(config) ? 1 : 0, stagger: staggered(config) && config.mathWarpgroups > 1 ? 1 : 0 }
        : { waitAhead: waitsAhead(config) ? 1 : 0, turnUnroll: config.turnUnroll };
  return {
    loopConstants: fillTemplate(loop.constants, options),
    accumulatorSets: accumulatorSets(config),
    loopState: loop.state,
    beforeTiles: loop.beforeTiles,
    mainLoop: loop.tile,
    afterTiles: loop.afterTiles,
    spareLoad: config.loop === 'two-sets' ? walk.spareLoad : '',
  };
}

/**
 * The sm_90a source of one config. `walk` is the tile walk (DENSE_WALK: one product; the grouped GEMM
 * passes its schedule over the groups) and `header` the first line naming family, problem and config.
 */
export function gemmCudaCode(problem: GemmProblem, config: HopperGemmConfig, walk: TileWalkCode = DENSE_WALK, header = sourceHeader('//', 'fp8-gemm', problem, config)): string {
  const tma = config.epilogue !== 'threads';
  const scales = scaleStaging(config);
  const splitTail = config.grid === 'split-tail';
  const body = fillTemplate(KERNEL_TEMPLATE, {
    blockM: config.blockM,
    blockN: config.blockN,
    stages: config.stages,
    mathWarpgroups: config.mathWarpgroups,
    ...mainLoopFields(problem, config, walk),
    walkFunctions: walk.walkFunctions,
    walkParams: walk.walkParams,
    walkSchedule: walk.walkSchedule,
    tilesM: walk.tilesM,
    consumerTile: walk.consumerTile,
    tileRows: walk.tileRows,
    tileScaleB: walk.tileScaleB,
    producerTile: walk.producerTile,
    smemScales: scales !== 'ring' ? 1 : 0,
    tmaScales: scales === 'tma' ? 1 : 0,
    scaleStride: scaleStride(config),
    storeBySubTile: config.epilogue === 'tma-by-sub-tile' ? 1 : 0,
    cluster: config.cluster,
    clusterAlongM: clusterAlong(config) === 'm' ? 1 : 0,
    subTiles: subTilesPerWarpgroup(config),
    // Swapped, the column scales are the tokens' own (two per 8 columns), not 128-column blocks.
    scaleSpans: swapped(config) ? swappedColumnScales(config.blockN) : scaleSpans(config.blockN),
    swapAB: swapped(config) ? 1 : 0,
    faultSkipLastKBlock: config.fault === 'skip-last-k-block' ? 1 : 0,
    faultWrongBScale: config.fault === 'wrong-b-scale' ? 1 : 0,
    faultNoPromote: config.fault === 'time-no-promote' ? 1 : 0,
    faultNoStore: config.fault === 'time-no-store' ? 1 : 0,
    faultOneKStep: config.fault === 'time-one-kstep' ? 1 : 0,
    faultFixedScales: config.fault === 'time-fixed-scales' ? 1 : 0,
    faultSkipPartials: config.fault === 'skip-partials' ? 1 : 0,
    splitTail: splitTail ? 1 : 0,
    // The split tail's scratch (counters and partial totals) is the last parameter; without it the
    // name is a null local, so the kernel reads the same either way.
    scratchParam: splitTail ? ', float* __restrict__ scratch' : '',
    scratchLocal: splitTail ? '' : '  float* const scratch = nullptr;\n',
    outType: config.out === 'bf16' ? '__nv_bfloat16' : 'float',
    epilogueTma: tma ? 1 : 0,
    // The output's tensor map is a kernel parameter only when the epilogue stores with TMA.
    mapCParam: tma ? '\n               const __grid_constant__ CUtensorMap mapC,' : '',
    mapCPointer: tma ? '&mapC' : 'nullptr',
    // The activation scales' tensor map follows it when the TMA thread loads them.
    scaleMapParams: scales === 'tma' ? '\n               const __grid_constant__ CUtensorMap mapSA,' : '',
    mapSAPointer: scales === 'tma' ? '&mapSA' : 'nullptr',
    pairStore: (swapped(config) ? SWAPPED_PAIR_STORE : PAIR_STORE)[config.out],
    entryPoint: ENTRY_POINT,
    producerRegisters: producerRegisters(config),
    consumerRegisters: consumerRegisters(config),
  });
  return [
    header,
    '#include <cuda.h>',
    '#include <cuda_bf16.h>',
    '#include <stdint.h>',
    PTX_HELPERS,
    wgmmaWrapper(config.blockN),
    body,
  ].join('\n');
}

/**
 * Persistent clusters launched: one per `cluster` SMs, never more than the cluster-sized tiles (with
 * the split tail one per SM even when the tiles are fewer: their K blocks are then shared by all).
 * With balancedGrid, as few as still finish in the same number of waves, so that every cluster
 * walks the same number of tiles and the SMs left over stay idle (less power drawn at the cap).
 */
export function gridClusters(problem: GemmProblem, config: HopperGemmConfig, smCount: number): number {
  const most = Math.floor(smCount / config.cluster);
  if (config.grid === 'split-tail') return most;
  const tiles = superTiles(problem, config);
  if (config.grid === 'full') return Math.min(tiles, most);
  return Math.ceil(tiles / Math.ceil(tiles / most));
}

/** The direction of the raster argument: 0 walks along M, 1 along N (a launch argument, not compiled in). */
const RASTER = { 'along-m': 0, 'along-n': 1 } as const;
/** Tiles across one raster group when the config does not say (the kernel's long-standing 8). */
export const RASTER_GROUP = 8;
/** The kernel's raster argument: the direction plus twice the group width. */
export const rasterArgument = (c: Pick<HopperGemmConfig, 'raster' | 'rasterGroup'>): number => RASTER[c.raster] + 2 * (c.rasterGroup ?? RASTER_GROUP);

/**
 * The activation scales' tensor map (tmaScales), over the copy the runner makes rows fastest
 * ([K/128][M], as cuBLASLt gets them), in boxes of the tile's rows.
 */
const activationScaleMap = (problem: GemmProblem, config: HopperGemmConfig): TensorMapParam => ({
  kind: 'tensor-map', buffer: 'scaleA', rows: kBlocks(problem), cols: problem.M, boxRows: 1, boxCols: config.blockM, elementBytes: 4, swizzle: 'none', copy: 'transpose',
});

export function gemmCuda(problem: GemmProblem, config: CudaGemmConfig, caps: Capabilities): CudaKernelSource {
  if (isGemv(config)) return gemmCudaGemv(problem, config, caps);
  if (!isHopper(config)) return gemmCudaSimt(problem, config, caps);
  const smCount = cudaCaps(caps).smCount;
  const { cluster } = config;
  const clusters = gridClusters(problem, config, smCount);
  const sliceA = clusterAlong(config) === 'n' ? config.blockM / cluster : config.blockM;
  const sliceB = clusterAlong(config) === 'm' ? config.blockN / cluster : config.blockN;
  // Swapped, the kernel's A operand is B (N rows) and its B operand A: the runner passes B's map and
  // scales first and the sizes as N, M, K, and the kernel writes C transposed from its frame.
  const k = kernelProblem(problem, config);
  const [opA, opB] = swapped(config) ? (['b', 'a'] as const) : (['a', 'b'] as const);
  const launch: CudaLaunch = {
    entryPoint: ENTRY_POINT,
    grid: [clusters * cluster, 1, 1],
    ...(cluster > 1 ? { cluster: [cluster, 1, 1] as const } : {}),
    block: [threadsPerCta(config), 1, 1],
    sharedBytes: sharedBytes(config),
    bindings: FP8_GEMM_BINDINGS,
    params: [
      { kind: 'tensor-map', buffer: opA, rows: k.M, cols: problem.K, boxRows: sliceA, boxCols: BLOCK_K },
      { kind: 'tensor-map', buffer: opB, rows: k.N, cols: problem.K, boxRows: sliceB, boxCols: BLOCK_K },
      // C in boxes of 64 rows x 128 bytes (the TMA epilogue's slabs).
      ...(config.epilogue !== 'threads'
        ? [{ kind: 'tensor-map', buffer: 'c', rows: problem.M, cols: problem.N, boxRows: 64, boxCols: 128 / outputBytes(config), elementBytes: outputBytes(config) } as const]
        : []),
      ...(scaleStaging(config) === 'tma' ? [activationScaleMap(problem, config)] : []),
      // K in whole 128-wide blocks; the maps above carry the true K (TMA zero-fills past it).
      ...(swapped(config) ? swappedScalesOutputSizes(problem) : wholeBlockScalesOutputSizes(problem)),
      { kind: 'i32', value: rasterArgument(config) },
      ...(config.grid === 'split-tail' ? [{ kind: 'scratch', bytes: splitScratchBytes(clusters, config) } as const] : []),
    ],
  };
  return {
    language: 'cuda',
    code: gemmCudaCode(problem, config),
    launches: [launch],
    flags: SM90A_FLAGS,
    outputTypes: { c: config.out },
    ...(config.ffmaYield ? { sassPatch: { ffmaYieldEvery: config.ffmaYield } } : {}),
  };
}
