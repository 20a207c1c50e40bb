// For one tile shape, the configs worth measuring in the order they are worth it: main loops,
// epilogues, clusters and rasters of the shape's kernel class, each ordered by what led in the H200
// sessions (docs/experiments/h200-fp8-gemm-sessions.md). What depends on the problem is decided
// here from the problem: a cluster shares the operand that its CTAs would otherwise all read (A
// along N when one row of tiles covers M, B along M otherwise), the raster matters only with more
// tiles than SMs, the overlapped store only with an even number of K blocks.
import type { Capabilities } from '../../../core/capabilities.ts';
import { kBlocks, type GemmProblem } from '../problem.ts';
import type { HopperGemmConfig, MainLoop } from './config.ts';
import { cudaCaps, kernelProblem } from './space.ts';
import { plainConfig, type TileShape } from './tile-shapes.ts';

/** A config before its pipeline depth is chosen (deepest that fits, candidates.ts). */
export type Unstaged = HopperGemmConfig extends infer C ? (C extends HopperGemmConfig ? Omit<C, 'stages'> : never) : never;

type Cluster = { cluster: 1 } | { cluster: 2 | 4; clusterAlong: 'm' | 'n' };
type Epilogue = 'threads' | 'tma';

/**
 * The variants of one shape, best bets first. `out` is the output type; the problem decides the
 * cluster direction, whether rasters differ and whether the overlapped store applies.
 */
export function shapeVariants(shape: TileShape, problem: GemmProblem, caps: Capabilities, out: HopperGemmConfig['out'] = 'bf16'): Unstaged[] {
  const plain = plainConfig(shape, 2);
  const k = kernelProblem(problem, plain);
  const rowsOfTiles = Math.ceil(k.M / shape.blockM);
  const tiles = rowsOfTiles * Math.ceil(k.N / shape.blockN);
  const manyWaves = tiles > cudaCaps(caps).smCount;
  // One row of tiles: every CTA reads the same A tile, so pairs along N share it; otherwise pairs
  // along M share B's (half its L2 reads; within 0-4% of the best unpaired config at M=4096, runs 13-14).
  const pair: Cluster = rowsOfTiles === 1 ? { cluster: 2, clusterAlong: 'n' } : { cluster: 2, clusterAlong: 'm' };
  const quad: Cluster = rowsOfTiles === 1 ? { cluster: 4, clusterAlong: 'n' } : { cluster: 4, clusterAlong: 'm' };
  const evenBlocks = kBlocks(problem) % 2 === 0;
  const tile = { blockM: shape.blockM, blockN: shape.blockN, mathWarpgroups: shape.mathWarpgroups, out, grid: plain.grid, ...(shape.kind === 'swapped' ? { swapAB: true } : {}) };
  const v = (loop: MainLoop, epilogue: Epilogue, cluster: Cluster = { cluster: 1 }, raster: HopperGemmConfig['raster'] = 'along-m'): Unstaged =>
    ({ ...tile, ...loop, epilogue, ...cluster, raster }) as Unstaged;
  const alongN = (c: Unstaged): Unstaged[] => (manyWaves ? [{ ...c, raster: 'along-n' } as Unstaged] : []);
  if (shape.splitTail) {
    // One set or two, single CTAs (the split tail has no cluster): measured only as a fallback for
    // tiles that leave SMs idle (runs 20, 29).
    // Swapped tiles store through the threads epilogue only (C's columns are the kernel's rows).
    const split = [v({ loop: 'one-set', scales: 'ring' }, 'threads'), v({ loop: 'two-sets' }, 'threads')];
    return shape.kind === 'swapped' ? split : [...split, v({ loop: 'one-set', scales: 'ring' }, 'tma')];
  }
  switch (shape.kind) {
    case 'narrow': {
      // Two sets led at M=64 and 128 (run 51: 64x64 and 128x64, TMA or threads epilogue, with and
      // without the overlapped store; 128x64 in quads along N at K=16384).
      const twoSets = { loop: 'two-sets' } as const;
      const overlapped = { loop: 'two-sets', overlapStore: true } as const;
      const first = v(twoSets, 'tma');
      return [
        first, v(twoSets, 'threads'), ...alongN(first),
        ...(evenBlocks ? [v(overlapped, 'threads'), v(overlapped, 'tma')] : []),
        v(twoSets, 'tma', pair), v(twoSets, 'threads', quad), v({ loop: 'one-set', scales: 'ring' }, 'threads'),
        v(twoSets, 'tma', quad), v({ loop: 'one-set', scales: 'ring' }, 'tma'), v(twoSets, 'threads', pair),
      ];
    }
    case 'wide': {
      // One set with its scales staged by the TMA thread, waiting for the next stage ahead: the best
      // at N=2112, M=4096 in runs 51-53 (both rasters; 1052-1086 TFLOP/s against 1021 without waiting).
      const staged = { loop: 'one-set', scales: 'tma', waitAhead: true } as const;
      const first = v(staged, 'tma');
      return [
        first, ...alongN(first), v(staged, 'tma', pair), v({ loop: 'one-set', scales: 'tma' }, 'tma'),
        v({ loop: 'one-set', scales: 'ring', waitAhead: true }, 'tma'), v({ loop: 'one-set', scales: 'ring' }, 'threads'),
        v({ loop: 'one-set', scales: 'ring' }, 'tma', pair),
      ];
    }
    case 'three':
      // 192-row tiles, one set each: the best at K=512 and 1536 in run 18, behind since (run 48).
      return [v({ loop: 'one-set', scales: 'ring' }, 'tma'), v({ loop: 'one-set', scales: 'ring' }, 'threads'), v({ loop: 'one-set', scales: 'ring' }, 'tma', pair)];
    case 'in-turn': {
      // 256x128 in turn, scales staged by TMA (DeepGEMM's M=4096 tiles): balanced grids led at five of
      // six M=4096 shapes in runs 51-53, alone or in pairs along N, both rasters; two blocks per trip
      // the best without staged scales at K=7168 and 16384 (run 48).
      const turn = (unroll: 2 | 4) => ({ loop: 'in-turn', turnUnroll: unroll, scales: 'tma' }) as const;
      const inTurnPair: Cluster = { cluster: 2, clusterAlong: 'n' };
      const balanced = (c: Unstaged): Unstaged => ({ ...c, grid: 'balanced' }) as Unstaged;
      const first = balanced(v(turn(4), 'tma'));
      const paired = balanced(v(turn(4), 'tma', inTurnPair));
      return [
        first, paired, ...alongN(first), ...alongN(paired), v(turn(4), 'tma'), v(turn(4), 'tma', inTurnPair),
        balanced(v(turn(2), 'tma')), balanced(v(turn(2), 'tma', inTurnPair)),
      ];
    }
    case 'swapped': {
      // Two sets, threads epilogue: the best at M=64 for N=2112 and 4096 in run 29 and run 51
      // (weight tiles shared by fewer token tiles); one set and the overlapped store behind.
      const twoSets = { loop: 'two-sets' } as const;
      return [
        v(twoSets, 'threads'), v({ loop: 'one-set', scales: 'ring' }, 'threads'),
        ...(evenBlocks ? [v({ loop: 'two-sets', overlapStore: true }, 'threads')] : []),
      ];
    }
  }
}
