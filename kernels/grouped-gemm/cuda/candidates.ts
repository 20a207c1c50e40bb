// The grouped GEMM's candidates, generated from the problem and the device: the group sizes (how many
// rows each row tile leaves as padding, how many tiles there are in all), N (column tiles), K (an even
// count of 128-wide blocks lets two sets overlap the next tile with the store) and the SM count (the
// waves the tiles make). Each tile shape gets an estimated time, waves x tile area / math warpgroups
// (a wave costs what one tile costs; each math warpgroup issues its own m64 WGMMAs, so a 128-row tile
// in two takes about as long as a 64-row tile in one); the best few shapes get the deepest pipeline that fits,
// under each accumulator schedule. Never a fixed list: a problem of other group sizes gets other tiles.
import type { Capabilities } from '../../../core/capabilities.ts';
import { cudaCaps, sharedBytes } from '../../fp8-gemm/cuda/space.ts';
import { kBlocks, type GroupedProblem } from '../problem.ts';
import type { OneSet, TwoSets } from '../../fp8-gemm/cuda/config.ts';
import { denseConfig, type GroupedCudaConfig } from './config.ts';
import { groupSchedule, scheduleSharedBytes } from './schedule.ts';
import { COLUMN_TILES, groupedCudaConstraints, ROW_TILES } from './space.ts';

/** Tile shapes kept per problem. */
const SHAPES = 3;
const MAX_STAGES = 8;

export interface TileEstimate {
  blockM: number;
  blockN: number;
  mathWarpgroups: 1 | 2;
  tiles: number;
  waves: number;
  /** Waves x blockM x blockN / math warpgroups: proportional to the time the tiles take (K is the same for all). */
  cost: number;
}

/** Every row x column tile shape with its tile count and estimated cost on this device, cheapest first. */
export function tileEstimates(problem: GroupedProblem, caps: Capabilities): TileEstimate[] {
  const sms = cudaCaps(caps).smCount;
  return ROW_TILES.flatMap(({ blockM, mathWarpgroups }) => {
    const rowTiles = groupSchedule(problem, blockM).tileStart[problem.G];
    return COLUMN_TILES.map((blockN) => {
      const tiles = rowTiles * Math.ceil(problem.N / blockN);
      const waves = Math.ceil(tiles / sms);
      return { blockM, blockN, mathWarpgroups, tiles, waves, cost: (waves * blockM * blockN) / mathWarpgroups };
    });
  }).sort((x, y) => x.cost - y.cost || y.blockM * y.blockN - x.blockM * x.blockN);
}

export function groupedCandidates(problem: GroupedProblem, caps: Capabilities): GroupedCudaConfig[] {
  const constraints = groupedCudaConstraints(problem, caps);
  const limit = cudaCaps(caps).sharedPerBlockOptinBytes - scheduleSharedBytes(problem.G);
  const ok = (c: GroupedCudaConfig) => constraints.every((k) => k.ok(c));
  const deepest = (c: GroupedCudaConfig): GroupedCudaConfig => {
    let stages = 2;
    while (stages < MAX_STAGES && sharedBytes(denseConfig({ ...c, stages: stages + 1 })) <= limit) stages++;
    return { ...c, stages };
  };
  // Two sets with the overlapped store need an even number of K blocks (otherwise it is plain two sets).
  const loops: readonly (TwoSets | OneSet)[] = [{ loop: 'one-set', scales: 'ring' }, { loop: 'two-sets' }, ...(kBlocks(problem) % 2 === 0 ? [{ loop: 'two-sets', overlapStore: true } as const] : [])];
  const out: GroupedCudaConfig[] = [];
  const shapes = new Set<string>();
  for (const e of tileEstimates(problem, caps)) {
    if (shapes.size >= SHAPES) break;
    const fits = loops.map((loop) => deepest({ blockM: e.blockM, blockN: e.blockN, mathWarpgroups: e.mathWarpgroups, stages: 2, raster: 'along-m', out: 'bf16', ...loop })).filter(ok);
    if (fits.length === 0) continue;
    shapes.add(`${e.blockM}x${e.blockN}`);
    out.push(...fits);
  }
  return out;
}
