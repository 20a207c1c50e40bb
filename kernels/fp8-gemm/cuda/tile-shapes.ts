// The output tiles the sm_90a FP8 GEMM can run for one problem on one device, and how the analytic
// model ranks them there: the first step of the candidates (candidates.ts). A shape is a tile plus
// the kernel class that runs it (which main loops its registers allow), generated from the problem
// and the device's figures, never listed per preset: every 16-column width up to WGMMA's 256, each
// m64 sub-tile layout, A and B swapped when the tokens fit one WGMMA n tile, and the split tail when
// the whole tiles leave most SMs idle. The model (model/cuda.ts) prices each shape with its class's
// plainest config, so that waves against the SM count, pipeline depth, the bytes each tile pulls
// from L2 per FLOP and the compulsory HBM traffic decide the order.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { GemmProblem } from '../problem.ts';
import { estimateCudaGemm } from '../model/cuda.ts';
import type { HopperGemmConfig } from './config.ts';
import { accumulatorRegisters, consumerRegisters, cudaCaps, superTiles } from './space.ts';

/**
 * Kernel classes by register tile: one m64 sub-tile per math warpgroup with room for two
 * accumulator sets ('narrow', up to 128 columns), with room for one ('wide', up to 192), three
 * math warpgroups ('three': 192 rows), two sub-tiles in turn ('in-turn': 256 rows), A and B swapped
 * (weights along WGMMA's m, tokens along its n).
 */
export type TileClass = 'narrow' | 'wide' | 'three' | 'in-turn' | 'swapped';

export interface TileShape {
  readonly blockM: number;
  readonly blockN: number;
  readonly mathWarpgroups: 1 | 2 | 3;
  readonly kind: TileClass;
  /** The leftover tiles split along K over every SM (stream-K); only shapes that leave SMs idle. */
  readonly splitTail: boolean;
}

export interface RankedShape {
  readonly shape: TileShape;
  /** The model's cycles for the class's plainest config, and its compute term (the tie-break when HBM bounds them all). */
  readonly time: number;
  readonly compute: number;
  /** Cluster-sized tiles over the SMs: how many persistent CTAs have work. */
  readonly tiles: number;
}

/** Token tiles swapped into WGMMA's n (a multiple of 8): swapping pays only while the tokens fit one tile this wide. */
export const SWAP_MAX_TOKENS = 64;
/** Tile widths: WGMMA's n in steps of 16 (TMA boxes of whole 128-byte swizzle atoms, bf16 pairs of the epilogue). */
const WIDTH_STEP = 16;
const MAX_WIDTH = 256;

/** The plainest config of a shape: the loop its class allows, threads epilogue, no cluster, stages to be filled in. */
export function plainConfig(shape: TileShape, stages: number): HopperGemmConfig {
  const tile = { blockM: shape.blockM, blockN: shape.blockN, mathWarpgroups: shape.mathWarpgroups, stages, raster: 'along-m', out: 'bf16', cluster: 1 } as const;
  const grid = shape.splitTail ? 'split-tail' : 'full';
  switch (shape.kind) {
    case 'narrow':
      return { ...tile, loop: 'two-sets', epilogue: 'threads', grid } as HopperGemmConfig;
    case 'swapped':
      return { ...tile, loop: 'two-sets', epilogue: 'threads', grid, swapAB: true } as HopperGemmConfig;
    case 'wide':
    case 'three':
      return { ...tile, loop: 'one-set', scales: 'ring', epilogue: 'threads', grid } as HopperGemmConfig;
    case 'in-turn':
      return { ...tile, loop: 'in-turn', turnUnroll: 4, scales: 'tma', epilogue: 'tma', grid: 'full' };
  }
}

const roundUp = (x: number, step: number): number => Math.ceil(x / step) * step;
const widths = (from: number, to: number): number[] => Array.from({ length: Math.floor((to - from) / WIDTH_STEP) + 1 }, (_, i) => from + i * WIDTH_STEP);

/** Every tile shape of the problem whose plainest config keeps its accumulators in registers. */
export function tileShapes(problem: GemmProblem, caps: Capabilities): TileShape[] {
  cudaCaps(caps);
  const shapes: TileShape[] = [];
  // No tile wider than the problem rounded up to a step (it would compute only padding).
  const widest = Math.min(MAX_WIDTH, roundUp(problem.N, WIDTH_STEP));
  const rows = roundUp(problem.M, 64);
  const unswapped: [number, 1 | 2 | 3, TileClass][] = [[64, 1, 'narrow'], [128, 2, 'narrow'], [128, 2, 'wide'], [192, 3, 'three'], [256, 2, 'in-turn']];
  for (const [blockM, mathWarpgroups, kind] of unswapped) {
    if (blockM > Math.max(64, rows)) continue;
    for (const blockN of widths(WIDTH_STEP, widest)) shapes.push({ blockM, blockN, mathWarpgroups, kind, splitTail: false });
  }
  if (problem.M <= SWAP_MAX_TOKENS) {
    // Tokens along n: the smallest tile that holds them all, and the narrower ones that split them.
    const tokens = [...new Set([8, 16, 32, 64, roundUp(problem.M, 8)])].filter((n) => n <= roundUp(problem.M, 8));
    for (const blockM of [64, 128]) {
      if (blockM > Math.max(64, roundUp(problem.N, 64))) continue;
      for (const blockN of tokens) shapes.push({ blockM, blockN, mathWarpgroups: (blockM / 64) as 1 | 2, kind: 'swapped', splitTail: false });
    }
  }
  return shapes.filter((s) => {
    const config = plainConfig(s, 2);
    return accumulatorRegisters(config) <= consumerRegisters(config) && (s.kind !== 'wide' || s.blockN > 128);
  });
}

/**
 * The shapes in the model's order (fastest first; ties, where moving the compulsory bytes bounds
 * them all, by the compute term), each whole-tile shape followed by its split-tail twin where its
 * tiles leave more than half the SMs idle.
 */
export function rankedShapes(problem: GemmProblem, caps: Capabilities, deepest: (c: HopperGemmConfig) => number): RankedShape[] {
  const sms = cudaCaps(caps).smCount;
  const ranked: RankedShape[] = [];
  for (const shape of tileShapes(problem, caps)) {
    const variants = [shape];
    const tiles = superTiles(problem, plainConfig(shape, 2));
    // The split tail deals K blocks to single CTAs; in-turn tiles and three warpgroups spill with it.
    if (tiles * 2 <= sms && (shape.kind === 'narrow' || shape.kind === 'wide' || shape.kind === 'swapped')) variants.push({ ...shape, splitTail: true });
    for (const s of variants) {
      const base = plainConfig(s, 2);
      const config = { ...base, stages: deepest(base) } as HopperGemmConfig;
      const estimate = estimateCudaGemm(problem, config, caps);
      ranked.push({ shape: s, time: estimate.time, compute: estimate.terms.compute ?? estimate.time, tiles: s.splitTail ? sms : tiles });
    }
  }
  return ranked.sort((a, b) => a.time - b.time || a.compute - b.compute || b.shape.blockM * b.shape.blockN - a.shape.blockM * a.shape.blockN);
}

