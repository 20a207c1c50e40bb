// The grouped kernel's tile walk: a compact list of every (group, row tile, column tile) with rows,
// walked by persistent CTAs round robin, so that each CTA gets as many tiles as any other (one more at
// most) however skewed the routing; empty groups and padding rows own no tile.
//
// The list is built on the device, at each CTA's start, from the per-group row counts (masked_m, or
// the contiguous layout's group sizes): one warp sums the groups' row tiles and padded rows (a
// shuffle scan over its lanes, a few groups per lane) into shared memory, and a tile's group is a
// binary search of its row tile among the groups' first tiles. Why on the device and not a table the
// host writes from the routing: in a model the counts come out of the router on the GPU, and a table
// made on the host would need them copied back first (a round trip per layer); a scan of 256 counts
// costs each CTA well under a microsecond, less than a launch of its own would. The grid (min(SMs,
// the tiles the buffers can hold)) depends only on the buffers' shapes, never on the counts.
//
// The host mirror below (groupSchedule, scheduledTiles) follows the device code step for step; it
// generates candidates and is what the device-free tests check (every valid row and column covered
// once, padding never, tiles per CTA within one of each other).
import { fillTemplate } from '../../template.ts';
import type { GroupedProblem } from '../problem.ts';
import { groupLayout } from '../problem.ts';
import type { GroupedCudaConfig } from './config.ts';

/** The most groups the schedule's warp scan holds (32 per lane): 1024. */
export const MAX_GROUPS = 1024;

export interface GroupSchedule {
  /** First row tile of each group, then the total: G + 1 entries. */
  tileStart: number[];
  /** First row of each group in A and C. */
  rowStart: number[];
  /** Valid rows of each group. */
  rows: number[];
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/** The schedule the device builds from the counts (masked: each count clamped to M_max). */
export function groupSchedule(problem: GroupedProblem, blockM: number, counts = groupLayout(problem).counts): GroupSchedule {
  const layout = groupLayout(problem);
  const rows = counts.map((c) => (problem.layout === 'masked' ? Math.min(Math.max(c, 0), layout.mMax) : Math.max(c, 0)));
  const tileStart = [0];
  const rowStart: number[] = [];
  let padded = 0;
  rows.forEach((r, g) => {
    tileStart.push(tileStart[g] + Math.ceil(r / blockM));
    rowStart.push(problem.layout === 'masked' ? g * layout.mMax : padded);
    padded += roundUp(r, problem.align);
  });
  return { tileStart, rowStart, rows };
}

/** The raster's tile order (fp8-gemm/cuda/raster.ts, tile_coord), cluster 1: tile t to (row tile, column tile). */
export function tileCoord(t: number, tilesM: number, tilesN: number, raster: number): { mt: number; nt: number } {
  const G = raster >> 1;
  if ((raster & 1) === 0) {
    const group = Math.floor(t / (G * tilesM));
    const first = group * G;
    const width = Math.min(tilesN - first, G);
    const r = t - group * G * tilesM;
    return { mt: Math.floor(r / width), nt: first + (r % width) };
  }
  const group = Math.floor(t / (G * tilesN));
  const first = group * G;
  const width = Math.min(tilesM - first, G);
  const r = t - group * G * tilesN;
  return { mt: first + (r % width), nt: Math.floor(r / width) };
}

export interface ScheduledTile {
  group: number;
  /** First row in A and C. */
  m0: number;
  /** First column of the group's C (and row of its B). */
  n0: number;
  /** One past the last row the tile stores. */
  rowEnd: number;
}

/** Tile t of the walk, as group_tile computes it on the device. */
export function scheduledTile(s: GroupSchedule, t: number, tilesN: number, blockM: number, blockN: number, raster: number): ScheduledTile {
  const G = s.rows.length;
  const { mt, nt } = tileCoord(t, s.tileStart[G], tilesN, raster);
  let g = 0;
  for (let step = searchStep(G); step > 0; step >>= 1) if (g + step < G && s.tileStart[g + step] <= mt) g += step;
  const m0 = s.rowStart[g] + (mt - s.tileStart[g]) * blockM;
  return { group: g, m0, n0: nt * blockN, rowEnd: s.rowStart[g] + s.rows[g] };
}

/** Every tile of the walk, by the CTA that runs it (CTA c runs tiles c, c + ctas, ...). */
export function scheduledTiles(problem: GroupedProblem, config: Pick<GroupedCudaConfig, 'blockM' | 'blockN'>, raster: number, ctas: number): ScheduledTile[][] {
  const s = groupSchedule(problem, config.blockM);
  const tilesN = Math.ceil(problem.N / config.blockN);
  const tiles = s.tileStart[s.rows.length] * tilesN;
  return Array.from({ length: ctas }, (_, c) => {
    const mine: ScheduledTile[] = [];
    for (let t = c; t < tiles; t += ctas) mine.push(scheduledTile(s, t, tilesN, config.blockM, config.blockN, raster));
    return mine;
  });
}

/** The binary search's first step: half the power of two at or above G (0 for one group). */
export const searchStep = (G: number): number => (G <= 1 ? 0 : 2 ** Math.ceil(Math.log2(G)) / 2);

/**
 * Row tiles the buffers can hold whatever the counts (the grid is sized from it): contiguous, each
 * group's padded rows split into tiles (at most rows/align groups hold rows, each with at most one
 * partial tile); masked, G x ceil(M_max / blockM).
 */
export function rowTileBound(problem: GroupedProblem, blockM: number): number {
  const layout = groupLayout(problem);
  if (problem.layout === 'masked') return problem.G * Math.ceil(layout.mMax / blockM);
  return Math.ceil(layout.rows / blockM) + Math.min(problem.G, Math.floor(layout.rows / problem.align));
}

/** Shared memory the schedule takes besides the template's (static __shared__ arrays). */
export const scheduleSharedBytes = (G: number): number => 4 * (3 * G + 1);

const WALK_FUNCTIONS = String.raw`// The group schedule (kernels/grouped-gemm/cuda/schedule.ts): the groups' first row tiles (then the
// total), first rows and valid rows, built at the CTA's start from the per-group counts.
constexpr int GROUPS = {{groups}};
// B holds the experts' weights one above the other ([GROUPS * GROUP_N][K]).
constexpr int GROUP_N = {{N}};
// Contiguous: each group's rows start at a multiple of GROUP_ALIGN. Masked: GROUP_M_MAX rows per group.
constexpr int GROUP_ALIGN = {{align}};
constexpr int GROUP_M_MAX = {{mMax}};
constexpr int GROUPS_PER_LANE = (GROUPS + 31) / 32;
constexpr int GROUP_SEARCH_STEP = {{searchStep}};
constexpr int FAULT_STORE_PADDING = {{faultStorePadding}};
static_assert(CLUSTER == 1 && !SPLIT_TAIL && !SWAP_AB && !EPILOGUE_TMA && !SMEM_SCALES, "the group walk is for single CTAs, whole tiles, threads epilogue, scales from the ring");
__shared__ int groupTileStart[GROUPS + 1];
__shared__ int groupRowStart[GROUPS];
__shared__ int groupRows[GROUPS];

// Warp 0: lane l sums groups l * GROUPS_PER_LANE .. (its row tiles and padded rows), an inclusive scan
// of the sums over the lanes by shuffles, then each lane writes its groups' starts.
__device__ __forceinline__ void group_schedule(const int* __restrict__ counts) {
  if (threadIdx.x >= 32) return;
  const int lane = threadIdx.x;
  int rows[GROUPS_PER_LANE];
  int tiles = 0, padded = 0;
#pragma unroll
  for (int i = 0; i < GROUPS_PER_LANE; ++i) {
    const int g = lane * GROUPS_PER_LANE + i;
    int r = g < GROUPS ? max(counts[g], 0) : 0;
    if (GROUP_M_MAX > 0) r = min(r, GROUP_M_MAX);
    rows[i] = r;
    tiles += (r + BLOCK_M - 1) / BLOCK_M;
    padded += (r + GROUP_ALIGN - 1) / GROUP_ALIGN * GROUP_ALIGN;
  }
  int tileEnd = tiles, rowEnd = padded;
#pragma unroll
  for (int o = 1; o < 32; o <<= 1) {
    const int t = __shfl_up_sync(0xffffffff, tileEnd, o);
    const int r = __shfl_up_sync(0xffffffff, rowEnd, o);
    if (lane >= o) { tileEnd += t; rowEnd += r; }
  }
  int tileAt = tileEnd - tiles, rowAt = rowEnd - padded;
#pragma unroll
  for (int i = 0; i < GROUPS_PER_LANE; ++i) {
    const int g = lane * GROUPS_PER_LANE + i;
    if (g < GROUPS) {
      groupTileStart[g] = tileAt;
      groupRowStart[g] = GROUP_M_MAX > 0 ? g * GROUP_M_MAX : rowAt;
      groupRows[g] = rows[i];
    }
    tileAt += (rows[i] + BLOCK_M - 1) / BLOCK_M;
    rowAt += (rows[i] + GROUP_ALIGN - 1) / GROUP_ALIGN * GROUP_ALIGN;
  }
  if (lane == 31) groupTileStart[GROUPS] = tileEnd;
}

struct GroupTile { int group; int m0; int n0; int rowEnd; };

// Tile t: the raster's (row tile, column tile), the row tile's group (the last whose first tile is at
// or before it: empty groups share their first tile with the next one), its first row and row bound.
// rows is the kernel's M (all rows of A and C): the store-padding fault stays inside C.
__device__ __forceinline__ GroupTile group_tile(int t, int tilesM, int tilesN, int raster, int rows) {
  const TileCoord tc = tile_coord(t, tilesM, tilesN, raster);
  const int mt = tc.m0 / BLOCK_M;
  int g = 0;
#pragma unroll
  for (int step = GROUP_SEARCH_STEP; step > 0; step >>= 1)
    if (g + step < GROUPS && groupTileStart[g + step] <= mt) g += step;
  const int m0 = groupRowStart[g] + (mt - groupTileStart[g]) * BLOCK_M;
  const int rowEnd = FAULT_STORE_PADDING ? min(m0 + BLOCK_M, rows) : groupRowStart[g] + groupRows[g];
  return {g, m0, tc.n0, rowEnd};
}

`;

const CONSUMER_TILE = String.raw`      const GroupTile gt = group_tile(t, tilesM, tilesN, raster, M);
      // Lane 0's copy is the warp's: ptxas cannot tell that shared-memory reads are warp-uniform.
      const int group = __shfl_sync(0xffffffff, gt.group, 0);
      const int rowEnd = __shfl_sync(0xffffffff, gt.rowEnd, 0);
      TileCoord tc{__shfl_sync(0xffffffff, gt.m0, 0), gt.n0};
`;

const PRODUCER_TILE = String.raw`    const GroupTile gt = group_tile(t, w.tilesM, w.tilesN, w.raster, 1 << 30);
    // The group's weights start at row group * GROUP_N of B.
    const TileCoord super{gt.m0, gt.group * GROUP_N + gt.n0};
    for (int kb = k0; kb < k1; ++kb) load(super, super.m0, super.n0, kb);
`;

const SPARE_LOAD = String.raw`  // OVERLAP_STORE: the spare copy of the first tile's first block (fp8-gemm/cuda/producer.ts, SPARE_LOAD).
  if (OVERLAP_STORE && w.firstTile < w.tiles) {
    const GroupTile gt = group_tile(w.firstTile, w.tilesM, w.tilesN, w.raster, 1 << 30);
    const TileCoord super{gt.m0, gt.group * GROUP_N + gt.n0};
    load(super, super.m0, super.n0, 0);
  }
`;

/** The template fields (fp8-gemm/cuda/walk.ts) of the group walk for this problem. */
export function groupWalk(problem: GroupedProblem, config: GroupedCudaConfig): import('../../fp8-gemm/cuda/walk.ts').TileWalkCode {
  const layout = groupLayout(problem);
  return {
    walkFunctions: fillTemplate(WALK_FUNCTIONS, {
      groups: problem.G,
      N: problem.N,
      align: problem.layout === 'masked' ? 1 : problem.align,
      mMax: layout.mMax,
      searchStep: searchStep(problem.G),
      faultStorePadding: config.fault === 'store-padding' ? 1 : 0,
    }),
    walkParams: ', const int* __restrict__ counts',
    // Every thread waits for the schedule (warp 0 builds it).
    walkSchedule: '  group_schedule(counts);\n  __syncthreads();\n',
    tilesM: 'groupTileStart[GROUPS]',
    consumerTile: CONSUMER_TILE,
    tileRows: 'rowEnd',
    tileScaleB: 'scaleB + static_cast<size_t>(group) * NB * KB',
    producerTile: PRODUCER_TILE,
    spareLoad: SPARE_LOAD,
  };
}
