// The sm_90a kernel body of the FP8 block-scaled GEMM, filled by field name. Design (facts learned
// from DeepGEMM and CUTLASS, code our own):
// - persistent CTAs (or clusters of CTAs sharing one operand through TMA multicast) walk the tile
//   list (grid = min(tiles, SMs); with the split tail, the last wave's leftover tiles are dealt out
//   by K blocks and their partial totals added up through global memory: split.ts); the last warpgroup produces, one thread of it issuing TMA loads of
//   128-wide K blocks into a STAGES-deep ring of 128B-swizzled shared-memory tiles, each stage guarded
//   by a full and an empty mbarrier;
// - the math warpgroups (setmaxnreg raises their register budget, lowers the producer's) issue
//   four m64nNk32 e4m3 WGMMAs per stage into fresh f32 accumulators, release the stage, then
//   promote: total += acc * scaleA[row] * scaleB[column block], in f32 registers, once per 128-wide
//   K block, as DeepSeek-V3's recipe requires (Hopper's FP8 tensor-core accumulation keeps too few
//   bits for a whole K);
// - the main loop over a tile's K blocks is the config's (loops/: two accumulator sets, one set, or
//   the sub-tiles in turn), placed at {{mainLoop}} with its own constants, state and the code it
//   needs before and after the tile walk; only that loop is emitted;
// - the math warpgroups are bound by instruction issue (Nsight Compute on the H200: ~190 warp
//   instructions per K block, 64 of them the promotion's FFMAs), so the loop is kept lean: WGMMA
//   descriptors are precomputed words stepped by 32-bit adds in uniform registers, scales are read
//   two K blocks ahead into a register ring through pointers that walk one float per block (or, with
//   staged scales, the producer's scale warp or TMA thread stages each block's scales in shared
//   memory beside its tiles and the math threads read theirs with LDS);
// - N tiles that are not a divisor of 128 straddle two or three 128-column scale blocks: when a tile
//   can start at up to 8 offsets inside its scale block (n=112, 144, 160, 176, 192) each offset gets
//   its own compiled promotion, otherwise each 8-column group picks its block at run time (the
//   promotion is promotion.ts, spliced in before the kernel entry, after issue.ts: the WGMMA issue
//   of a stage, for all sub-tiles or one, and the stage's release);
// - the producer warpgroup's TMA thread and scale warp are producer.ts (spliced in after split.ts),
//   the tile order raster.ts (after the constants);
// - the epilogue (epilogue.ts, spliced in after the constants) stages each warpgroup's rows in shared
//   memory and copies them out with 16-byte stores, or (epilogue 'tma') stores 128B-swizzled slabs
//   with TMA, asynchronously.
import { EPILOGUE_TEMPLATE } from './epilogue.ts';
import { ISSUE_TEMPLATE } from './issue.ts';
import { PRODUCER_TEMPLATE } from './producer.ts';
import { PROMOTION_TEMPLATE } from './promotion.ts';
import { RASTER_TEMPLATE } from './raster.ts';
import { SPLIT_TEMPLATE } from './split.ts';

export const KERNEL_TEMPLATE = String.raw`
constexpr int BLOCK_M = {{blockM}};
constexpr int BLOCK_N = {{blockN}};
constexpr int BLOCK_K = 128;
constexpr int STAGES = {{stages}};
constexpr int MATH_WG = {{mathWarpgroups}};
constexpr int SUB_TILES = {{subTiles}};
constexpr int ACC = BLOCK_N / 2;
// Scales staged in shared memory with each stage (smemScales): a warp of the producer warpgroup
// (or, TMA_SCALES, the TMA thread with the stage's tiles) puts the stage's BLOCK_M activation scales
// and its weight-scale blocks next to the tiles, and the math threads read theirs with LDS once the
// stage is full, instead of a ring of global loads two blocks ahead (pointer walks and loads between
// the WGMMAs).
constexpr int SMEM_SCALES = {{smemScales}};
constexpr int TMA_SCALES = {{tmaScales}};
// One stage's scales: BLOCK_M rows, then the weight-scale blocks (with TMA: 128-byte aligned).
constexpr int SCALE_STRIDE = {{scaleStride}};
// The scale warp: the producer warpgroup's second warp; each of its lanes arrives on the stage's full
// barrier (TMA_SCALES: the TMA thread's weight-scale copies, once landed).
constexpr int SCALE_ARRIVALS = SMEM_SCALES ? (TMA_SCALES ? 1 : 32) : 0;
constexpr int SPANS = {{scaleSpans}};
constexpr int THREADS = 128 * (MATH_WG + 1);
// Cluster of CLUSTER CTAs side by side along M (sharing the B tile) or along N (sharing the A tile):
// each CTA loads 1/CLUSTER of the shared tile and multicasts it to all of them.
constexpr int CLUSTER = {{cluster}};
constexpr int CLUSTER_ALONG_M = {{clusterAlongM}};
constexpr int SUPER_M = BLOCK_M * (CLUSTER_ALONG_M ? CLUSTER : 1);
constexpr int SUPER_N = BLOCK_N * (CLUSTER_ALONG_M ? 1 : CLUSTER);
constexpr int SHARED_SLICE_ROWS = (CLUSTER_ALONG_M ? BLOCK_N : BLOCK_M) / CLUSTER;
constexpr uint32_t A_TILE_BYTES = BLOCK_M * BLOCK_K;
constexpr uint32_t B_TILE_BYTES = BLOCK_N * BLOCK_K;
constexpr int FAULT_SKIP_LAST_K_BLOCK = {{faultSkipLastKBlock}};
constexpr int FAULT_WRONG_B_SCALE = {{faultWrongBScale}};
constexpr int FAULT_NO_PROMOTE = {{faultNoPromote}};
constexpr int FAULT_NO_STORE = {{faultNoStore}};
constexpr int FAULT_ONE_KSTEP = {{faultOneKStep}};
constexpr int FAULT_FIXED_SCALES = {{faultFixedScales}};
constexpr int FAULT_SKIP_PARTIALS = {{faultSkipPartials}};
// The leftover tiles of the last wave are split along K over every CTA (split.ts); no cluster.
constexpr int SPLIT_TAIL = {{splitTail}};
static_assert(!SPLIT_TAIL || CLUSTER == 1, "the split tail needs CTAs without a cluster");
typedef {{outType}} out_t;
// 1: the epilogue stages 128B-swizzled slabs and stores them with TMA; 0: threads copy rows out.
constexpr int EPILOGUE_TMA = {{epilogueTma}};
// Epilogue staging: each math warpgroup writes its rows here (rows padded by 16 bytes so the eight
// rows of one warp store fall in different banks), then copies them out as coalesced 16-byte stores.
constexpr int STAGING_ROW_BYTES = BLOCK_N * int(sizeof(out_t)) + 16;
// With TMA: slabs of 64 rows x 128 bytes (the store box), 8 KB each, SLABS per m64 sub-tile.
constexpr int SLAB_BYTES = 64 * 128;
constexpr int SLABS = BLOCK_N * int(sizeof(out_t)) / 128;
// Swapped (C^T = B x A^T: the kernel's rows are C's columns): each math warpgroup stages BLOCK_N
// rows of C (the tile's tokens), its SUB_TILES x 64 values each, padded by 16 bytes.
constexpr int SWAP_AB = {{swapAB}};
constexpr int SWAP_ROW_BYTES = SUB_TILES * 64 * int(sizeof(out_t)) + 16;
constexpr int SWAP_ROW_ELEMS = SWAP_ROW_BYTES / int(sizeof(out_t));
static_assert(SWAP_ROW_ELEMS * int(sizeof(out_t)) == SWAP_ROW_BYTES, "a staging row is whole elements");
static_assert(!SWAP_AB || !EPILOGUE_TMA, "swapped A and B store through the threads epilogue");
// storeBySubTile: each warpgroup stages one m64 sub-tile's slabs at a time (waiting for the TMA
// store to have read the last one before writing the next), so the staging is half as large with two
// sub-tiles and a 256x128 tile fits a fourth pipeline stage.
constexpr int STORE_BY_SUB_TILE = {{storeBySubTile}};
static_assert(!STORE_BY_SUB_TILE || EPILOGUE_TMA, "storing by sub-tile is the TMA epilogue's");
constexpr int STAGED_SUB_TILES = STORE_BY_SUB_TILE ? 1 : SUB_TILES;
constexpr int STAGING_BYTES = EPILOGUE_TMA ? MATH_WG * STAGED_SUB_TILES * SLABS * SLAB_BYTES
                            : SWAP_AB ? MATH_WG * BLOCK_N * SWAP_ROW_BYTES : BLOCK_M * STAGING_ROW_BYTES;
constexpr int CHUNK_ELEMS = 16 / int(sizeof(out_t));
constexpr int CHUNKS_PER_ROW = BLOCK_N / CHUNK_ELEMS;
{{loopConstants}}
`
  + RASTER_TEMPLATE
  + '{{walkFunctions}}'
  + EPILOGUE_TEMPLATE
  + SPLIT_TEMPLATE
  + PRODUCER_TEMPLATE
  + ISSUE_TEMPLATE
  + PROMOTION_TEMPLATE
  + String.raw`// With SWAP_AB the runner passes B's tensor map and scales as mapA and scaleA, A's as mapB and
// scaleB, and the sizes as N, M, K: the kernel computes C^T = B x A^T in its own frame (M, N below
// are then the problem's N and M) and only its promotion and store know it.
extern "C" __global__ void __launch_bounds__(THREADS, 1)
{{entryPoint}}(const __grid_constant__ CUtensorMap mapA, const __grid_constant__ CUtensorMap mapB,{{mapCParam}}{{scaleMapParams}}
               const float* __restrict__ scaleA, const float* __restrict__ scaleB, out_t* __restrict__ C,
               int M, int N, int K, int raster{{scratchParam}}{{walkParams}}) {
  extern __shared__ uint8_t smem_raw[];
{{scratchLocal}}  uint8_t* smem = smem_raw + ((1024 - (smem_addr(smem_raw) & 1023)) & 1023);
  uint8_t* tileA = smem;
  uint8_t* tileB = smem + STAGES * A_TILE_BYTES;
  uint8_t* staging = tileB + STAGES * B_TILE_BYTES;
  uint64_t* full = reinterpret_cast<uint64_t*>(staging + STAGING_BYTES);
  uint64_t* empty = full + STAGES;
  uint64_t* offset = empty + STAGES;
  // Staged scales (SMEM_SCALES): STAGES x SCALE_STRIDE floats after the barriers (TMA: 128-byte aligned).
  uint8_t* afterBarriers = reinterpret_cast<uint8_t*>(offset + 1);
  float* stagedScales = reinterpret_cast<float*>(afterBarriers + (TMA_SCALES ? (128 - (smem_addr(afterBarriers) & 127)) & 127 : 0));

{{walkSchedule}}  const int tilesM = {{tilesM}};
  const int tilesN = (N + SUPER_N - 1) / SUPER_N;
  const uint32_t rank = CLUSTER > 1 ? cluster_cta_rank() : 0;
  const int firstTile = blockIdx.x / CLUSTER;
  const int tileStride = gridDim.x / CLUSTER;
  // This CTA's tile inside the cluster's super tile.
  const int rankM = CLUSTER_ALONG_M ? rank * BLOCK_M : 0;
  const int rankN = CLUSTER_ALONG_M ? 0 : rank * BLOCK_N;
  const int tiles = tilesM * tilesN;
  const int KB = K / BLOCK_K;
  const int NB = (N + 127) / 128;

  if (threadIdx.x == 0) {
    for (int s = 0; s < STAGES; ++s) {
      mbar_init(&full[s], 1 + SCALE_ARRIVALS);
      mbar_init(&empty[s], MATH_WG * CLUSTER);
    }
    mbar_init(offset, 1);
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
    tma_prefetch_descriptor(&mapA);
    tma_prefetch_descriptor(&mapB);
    if (EPILOGUE_TMA) tma_prefetch_descriptor({{mapCPointer}});
    if (TMA_SCALES) tma_prefetch_descriptor({{mapSAPointer}});
  }
  if (CLUSTER > 1) cluster_sync(); else __syncthreads();

  // Read through a shuffle so that the compiler knows it is the same across the warp (uniform
  // registers for the descriptor arithmetic that depends on it).
  const int wg = threadIdx.x / 128;
  if (wg == MATH_WG) {
    regs_dec<{{producerRegisters}}>();
    const TileWalk w{firstTile, tileStride, tiles, tilesM, tilesN, rankM, rankN, raster, KB};
    if (threadIdx.x == MATH_WG * 128) produce_tiles(&mapA, &mapB, {{mapSAPointer}}, scaleB, tileA, tileB, stagedScales, full, empty, rank, NB, w);
    else if (SMEM_SCALES && !TMA_SCALES && threadIdx.x / 32 == MATH_WG * 4 + 1) stage_scales(scaleA, scaleB, stagedScales, full, empty, M, NB, w);
  } else {
    regs_inc<{{consumerRegisters}}>();
    const int warp = (threadIdx.x / 32) % 4;
    const int lane = threadIdx.x % 32;
    int stage = 0;
    uint32_t phase = 0;
    float acc[{{accumulatorSets}}][SUB_TILES][ACC];
    float total[SUB_TILES][ACC];
{{loopState}}    // Through a shuffle, so the compiler sees it is the same across the warp (uniform registers).
    const uint32_t aDesc = __shfl_sync(0xffffffff, wgmma_desc_lo(smem_addr(tileA) + wg * SUB_TILES * 64 * BLOCK_K), 0);
    const uint32_t bDesc = wgmma_desc_lo(smem_addr(tileB));
{{beforeTiles}}    Walk walk = make_walk(firstTile, tileStride, tiles, KB);
    int t, k0, k1;
    while (walk.next(t, k0, k1)) {
      if constexpr (SPLIT_TAIL) {
        // The split's 64-bit division leaves ptxas unsure that the piece is the same across the
        // warp; every branch on it is then divergent to ptxas, which builds each WGMMA descriptor in
        // vector registers (an R2UR per WGMMA: 4-9% slower on the H200, run 19). Lane 0's copy
        // is the warp's.
        t = __shfl_sync(0xffffffff, t, 0);
        k0 = __shfl_sync(0xffffffff, k0, 0);
        k1 = __shfl_sync(0xffffffff, k1, 0);
      }
      // K blocks k0 .. k1 - 1 of tile t: L of them (all KB unless the tile is split).
      const int L = k1 - k0;
{{consumerTile}}      tc.m0 += rankM;
      tc.n0 += rankN;
      // Columns below boundary[0] use scale block n0/128, below boundary[1] the next one, then the third.
      const int boundary0 = 128 - (tc.n0 % 128);
      const int boundary1 = boundary0 + 128;
      const float* rowScale[SUB_TILES][2];
      const float* colScale[SPANS];
      scale_pointers(rowScale, colScale, scaleA, {{tileScaleB}}, tc.m0, tc.n0, {{tileRows}}, N, KB, NB, k0, wg, warp, lane);
#pragma unroll
      for (int s = 0; s < SUB_TILES; ++s)
#pragma unroll
        for (int i = 0; i < ACC; ++i) total[s][i] = 0.0f;

      // Scales are read two K blocks ahead (a ring of two register sets, slot k % 2): their global
      // loads then have two blocks' worth of WGMMA time to arrive instead of stalling the promotion.
      float saRing[2][SUB_TILES][2];
      float sbRing[2][SPANS];
      if constexpr (!SMEM_SCALES) {
#pragma unroll
        for (int slot = 0; slot < 2; ++slot) {
          const int k = min(slot, L - 1);
          load_scales(saRing[slot], sbRing[slot], rowScale, colScale, k, L);
        }
      }
      const float* rowNext[SUB_TILES][2];
      const float* colNext[SPANS];
#pragma unroll
      for (int s = 0; s < SUB_TILES; ++s) { rowNext[s][0] = rowScale[s][0] + 2; rowNext[s][1] = rowScale[s][1] + 2; }
#pragma unroll
      for (int i = 0; i < SPANS; ++i) colNext[i] = colScale[i] + 2;
{{mainLoop}}
      if constexpr (SPLIT_TAIL) {
        // Every WGMMA is done here already (no overlapped store); said outright, so that ptxas does
        // not put its own wait inside the branches below (it then serializes the WGMMAs, C7518).
        wgmma_wait_all();
        if (t >= walk.dpEnd) {
          const int counter = (t - walk.dpEnd) * MATH_WG + wg;
          if (k0 > 0) {
            // A contributor: partials out, no store (the owner stores the tile).
            split_give(scratch, firstTile, counter, total, wg);
            continue;
          }
          if (k1 < KB) {
            const int contributors = split_contributors(firstTile, (t - walk.dpEnd) * KB, KB, tileStride, tiles - walk.dpEnd);
            split_take(scratch, firstTile + 1, contributors, counter, total, wg);
          }
        }
      }
      if (FAULT_NO_STORE) {
      } else if constexpr (EPILOGUE_TMA) {
        store_tile_tma({{mapCPointer}}, tc.n0, tc.m0 + wg * SUB_TILES * 64, total, staging, wg, warp, lane);
      } else {
        store_tile(C, {{tileRows}}, N, tc.m0, tc.n0, total, staging, wg, warp, lane);
      }
    }
    // The last tile's stores must be done before the CTA (and its shared memory) goes.
    if (EPILOGUE_TMA && threadIdx.x % 128 == 0) tma_store_wait_all();
{{afterTiles}}  }
  // No CTA may leave while a peer can still multicast into its shared memory or arrive on its barriers.
  if (CLUSTER > 1) cluster_sync();
}

`;
