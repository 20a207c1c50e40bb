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
// - with two accumulator sets, block k+1's WGMMAs are issued before block k is promoted, and
//   (overlapStore) the next tile's first block before the last promotion and the store, so the
//   tensor cores keep working through both; the schedule is shaped so that ptxas does not
//   serialize it (see the comment at the loop); with one set, overlapStore issues the next tile's
//   first block between the last promotion and the store;
// - the math warpgroups are bound by instruction issue (Nsight Compute on the H200: ~190 warp
//   instructions per K block, 64 of them the promotion's FFMAs), so the loop is kept lean: WGMMA
//   descriptors are precomputed words stepped by 32-bit adds in uniform registers, scales are read
//   two K blocks ahead into a register ring through pointers that walk one float per block (or, with
//   smemScales, a warp of the producer warpgroup stages each block's scales in shared memory beside
//   its tiles and the math threads read theirs with LDS); with the sub-tiles in turn, the loop runs
//   turnUnroll blocks per trip with no test between them, so that ptxas moves each block's stage
//   wait up into the previous block's promotion (where DeepGEMM's SASS has it);
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
constexpr int ACC_BUFFERS = {{accBuffers}};
// The warpgroup's m64 sub-tiles take turns through one accumulator set: each is issued, waited for
// and promoted before the next (one set of ACC registers instead of SUB_TILES; the other warpgroup's
// WGMMAs run while this one promotes). Lets 256-row tiles fit two math warpgroups' registers.
constexpr int IN_TURN = {{subTilesInTurn}};
static_assert(!IN_TURN || (ACC_BUFFERS == 1 && SUB_TILES > 1), "sub-tiles take turns through the one accumulator set");
// One set: the wait for block k+1's stage goes out while block k's WGMMAs run (in turn: with block
// k+2's scale loads, while block k's last sub-tile's WGMMAs run), not between the promotion and the
// next WGMMAs (waitAhead).
constexpr int WAIT_AHEAD = {{waitAhead}};
static_assert(!WAIT_AHEAD || ACC_BUFFERS == 1, "waiting ahead is part of the one-set schedules");
// Scales staged in shared memory with each stage (smemScales): a warp of the producer warpgroup
// (or, TMA_SCALES, the TMA thread with the stage's tiles) puts the stage's BLOCK_M activation scales
// and its weight-scale blocks next to the tiles, and the math threads read theirs with LDS once the
// stage is full, instead of a ring of global loads two blocks ahead (pointer walks and loads between
// the WGMMAs). In turn, or one set without the overlapped store.
constexpr int SMEM_SCALES = {{smemScales}};
constexpr int TMA_SCALES = {{tmaScales}};
// One stage's scales: BLOCK_M rows, then the weight-scale blocks (with TMA: 128-byte aligned).
constexpr int SCALE_STRIDE = {{scaleStride}};
// In turn, with staged scales: the next stage's barrier is tried right after this block's last
// WGMMAs are done, and the answer is looked at only after the promotion (whose FMAs hide the try's
// latency); a stage not yet full is then waited for (tryAhead).
constexpr int TRY_AHEAD = {{tryAhead}};
static_assert(!TRY_AHEAD || SMEM_SCALES, "trying ahead is part of the staged-scales schedule");
// K blocks per trip of the in-turn loop (even: the scale ring has two slots; turnUnroll).
constexpr int TURN_UNROLL = {{turnUnroll}};
static_assert(TURN_UNROLL % 2 == 0, "the in-turn trip is whole pairs of blocks");
// The scale warp: the producer warpgroup's second warp; each of its lanes arrives on the stage's full
// barrier (TMA_SCALES: the TMA thread's weight-scale copies, once landed).
constexpr int SCALE_ARRIVALS = SMEM_SCALES ? (TMA_SCALES ? 1 : 32) : 0;
// The next tile's first K block runs while this tile is promoted and stored (two sets, K blocks even).
constexpr int OVERLAP_STORE = {{overlapStore}};
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
// Warpgroup 1 starts one K block after warpgroup 0, so that their promotions (FMAs, tensor cores
// idle) stop coinciding and each one's WGMMAs can run while the other promotes.
constexpr int STAGGER = {{stagger}};
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
static_assert(!SMEM_SCALES || IN_TURN || (ACC_BUFFERS == 1 && !OVERLAP_STORE && !SWAP_AB), "staged scales: in turn, or one set");
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

`
  + RASTER_TEMPLATE
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
               int M, int N, int K, int raster{{scratchParam}}) {
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

  const int tilesM = (M + SUPER_M - 1) / SUPER_M;
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
    float acc[ACC_BUFFERS][SUB_TILES][ACC];
    float total[SUB_TILES][ACC];
    bool staggered = false;
    if (STAGGER && MATH_WG > 1 && wg == 1) mbar_wait(offset, 0);
    // Through a shuffle, so the compiler sees it is the same across the warp (uniform registers).
    const uint32_t aDesc = __shfl_sync(0xffffffff, wgmma_desc_lo(smem_addr(tileA) + wg * SUB_TILES * 64 * BLOCK_K), 0);
    const uint32_t bDesc = wgmma_desc_lo(smem_addr(tileB));
    // Waits for the stage, issues its WGMMAs into the given set and moves on.
    auto issue = [&](float (&set)[SUB_TILES][ACC]) {
      issue_block(set, aDesc, bDesc, full, stage, phase);
      if (++stage == STAGES) { stage = 0; phase ^= 1; }
    };
    // Waits for every WGMMA in flight and frees the stage issued last.
    auto wait_and_release = [&]() {
      wgmma_wait_all();
      release(&empty[stage == 0 ? STAGES - 1 : stage - 1], warp, lane);
    };
    // Overlapped store: the first tile's first block goes in here; every later tile's first block
    // is issued before the previous tile's last promotion (two sets) or store (one set).
    if (OVERLAP_STORE && firstTile < tiles) {
      if constexpr (ACC_BUFFERS == 2) issue(acc[0]);
      else issue_block(acc[0], aDesc, bDesc, full, stage, phase);
    }
    Walk walk = make_walk(firstTile, tileStride, tiles, KB);
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
      TileCoord tc = tile_coord(t, tilesM, tilesN, raster);
      tc.m0 += rankM;
      tc.n0 += rankN;
      // Columns below boundary[0] use scale block n0/128, below boundary[1] the next one, then the third.
      const int boundary0 = 128 - (tc.n0 % 128);
      const int boundary1 = boundary0 + 128;
      const float* rowScale[SUB_TILES][2];
      const float* colScale[SPANS];
      scale_pointers(rowScale, colScale, scaleA, scaleB, tc.m0, tc.n0, M, N, KB, NB, k0, wg, warp, lane);
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
      if constexpr (ACC_BUFFERS == 2) {
        // Two accumulator sets: block k+1's WGMMAs run on the tensor cores while block k is promoted.
        // Every read of a set follows a wait for all groups: ptxas (13.0) serializes the WGMMAs
        // (C7514) when a set read after wait_group 1 was issued on an earlier loop trip.
        auto promote_block = [&](int k, int slot, const float (&set)[SUB_TILES][ACC]) {
          promote(total, set, saRing[slot], sbRing[slot], boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1);
          if (k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
        };
        if constexpr (!OVERLAP_STORE) issue(acc[0]);
        wait_and_release();
        int kb = 0;
        for (; kb + 2 < L; kb += 2) {
          issue(acc[1]);
          promote_block(kb, 0, acc[0]);
          wait_and_release();
          issue(acc[0]);
          promote_block(kb + 1, 1, acc[1]);
          wait_and_release();
        }
        if constexpr (OVERLAP_STORE) {
          // KB is even: blocks kb and kb+1 are left. The next tile's first block (or the spare
          // block after the last tile) goes in before the last promotion, and runs while this
          // tile is promoted and stored; the WGMMA state is then the same on every path.
          issue(acc[1]);
          promote_block(kb, 0, acc[0]);
          wait_and_release();
          issue(acc[0]);
          promote_block(kb + 1, 1, acc[1]);
        } else if (kb + 1 < L) {
          issue(acc[1]);
          promote_block(kb, 0, acc[0]);
          wait_and_release();
          promote_block(kb + 1, 1, acc[1]);
        } else {
          promote_block(kb, 0, acc[0]);
        }
      } else if constexpr (IN_TURN) {
        // Sub-tiles in turn: for each K block, each sub-tile is issued into acc[0][0], waited for and
        // promoted; the stage is freed after the last one's WGMMAs. (TURN_UNROLL blocks per trip,
        // below, so the scale ring's slot is a constant after unrolling.)
        bool ready = false;
        // Block k through ring slot "slot" (a constant wherever it is called).
        auto turn_block = [&](const int k, const int slot) {
          if (TRY_AHEAD ? (k == 0 || !ready) : (!WAIT_AHEAD || k == 0)) mbar_wait(&full[stage], phase);
          // WAIT_AHEAD: this block's scales are copied out of the ring, so that block k+2's loads
          // and the wait for block k+1's stage go out while the last sub-tile's WGMMAs run, not
          // between the WGMMAs and the promotion or the promotion and the next WGMMAs.
          // SMEM_SCALES: read out of the stage (it is full, and stays so until released below).
          float sa[SUB_TILES][2];
          float sb[SPANS];
          if constexpr (SMEM_SCALES) staged_scales(sa, sb, stagedScales + stage * SCALE_STRIDE, wg, warp, lane);
          else copy_scales(sa, sb, saRing[slot], sbRing[slot]);
#pragma unroll
          for (int s = 0; s < SUB_TILES; ++s) {
            issue_sub(acc[0][0], aDesc, bDesc, stage, s);
            if (WAIT_AHEAD && s == SUB_TILES - 1) {
              if (k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
              const bool wraps = stage + 1 == STAGES;
              if (k + 1 < L) mbar_wait(&full[wraps ? 0 : stage + 1], wraps ? phase ^ 1 : phase);
            }
            wgmma_wait_all();
            if (s == SUB_TILES - 1) {
              release(&empty[stage], warp, lane);
              // TRY_AHEAD: one try of the next stage now; its answer is read after the promotion.
              if (TRY_AHEAD) {
                const bool wraps = stage + 1 == STAGES;
                // (Voted across the warp, so the branch on it stays uniform to ptxas.)
                ready = __all_sync(0xffffffff, k + 1 < L && mbar_try(&full[wraps ? 0 : stage + 1], wraps ? phase ^ 1 : phase));
              }
            }
            promote<1>(total, acc[0], sa, sb, boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1, s);
          }
          if (++stage == STAGES) { stage = 0; phase ^= 1; }
          if (!SMEM_SCALES && !WAIT_AHEAD && k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
        };
        // TURN_UNROLL blocks per trip with no test between them (so that ptxas moves each block's
        // stage wait up into the previous one's promotion, as in DeepGEMM's loop), then the blocks
        // left over. The trip is even, so a block's ring slot is its place in the trip modulo 2.
        int kb = 0;
        for (; kb + TURN_UNROLL <= L; kb += TURN_UNROLL) {
#pragma unroll
          for (int u = 0; u < TURN_UNROLL; ++u) turn_block(kb + u, u % 2);
        }
#pragma unroll
        for (int u = 0; u < TURN_UNROLL - 1; ++u)
          if (kb + u < L) turn_block(kb + u, u % 2);
      } else {
        // One accumulator set: issue block k, wait for it, release its stage, promote, issue k+1.
        // (Two K blocks per trip, so the scale ring's slot is a constant after unrolling.) With
        // OVERLAP_STORE the block after the last one is the next tile's first (or the spare), issued
        // once the last promotion has freed the set: it runs while this tile is stored.
        if constexpr (!OVERLAP_STORE) issue_block(acc[0], aDesc, bDesc, full, stage, phase);
        for (int kb = 0; kb < L; kb += 2) {
#pragma unroll
          for (int slot = 0; slot < 2; ++slot) {
            const int k = kb + slot;
            if (k < L) {
              const int done = stage;
              if (++stage == STAGES) { stage = 0; phase ^= 1; }
              // SMEM_SCALES: this block's scales out of its stage (full until released below).
              float stagedA[SUB_TILES][2];
              float stagedB[SPANS];
              if constexpr (SMEM_SCALES) staged_scales(stagedA, stagedB, stagedScales + done * SCALE_STRIDE, wg, warp, lane);
              // WAIT_AHEAD: the next block's stage is waited for while this block's WGMMAs run.
              const bool next = OVERLAP_STORE || k + 1 < L;
              if (WAIT_AHEAD && next) mbar_wait(&full[stage], phase);
              wgmma_wait_all();
              if (STAGGER && MATH_WG > 1 && wg == 0 && !staggered) {
                if (threadIdx.x == 0) mbar_arrive(offset);
                staggered = true;
              }
              release(&empty[done], warp, lane);
              if constexpr (SMEM_SCALES) {
                promote(total, acc[0], stagedA, stagedB, boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1);
                if (next) issue_block(acc[0], aDesc, bDesc, full, stage, phase, WAIT_AHEAD);
              } else if constexpr (SPANS == 1) {
                // The ring slot is read in place (no copies), then refilled with block k+2's scales
                // once the next block is issued: the loads still have more than a block to land.
                promote(total, acc[0], saRing[slot], sbRing[slot], boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1);
                if (next) issue_block(acc[0], aDesc, bDesc, full, stage, phase, WAIT_AHEAD);
                if (k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
              } else {
                // Wide tiles keep the copy-then-refill order: in place, ptxas spills n=160-192.
                float sa[SUB_TILES][2];
                float sb[SPANS];
                copy_scales(sa, sb, saRing[slot], sbRing[slot]);
                if (k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
                promote(total, acc[0], sa, sb, boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1);
                if (next) issue_block(acc[0], aDesc, bDesc, full, stage, phase, WAIT_AHEAD);
              }
            }
          }
        }
      }

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
        store_tile(C, M, N, tc.m0, tc.n0, total, staging, wg, warp, lane);
      }
    }
    // The last tile's stores must be done before the CTA (and its shared memory) goes.
    if (EPILOGUE_TMA && threadIdx.x % 128 == 0) tma_store_wait_all();
    // The spare block issued after the last tile.
    if (OVERLAP_STORE && firstTile < tiles) {
      if constexpr (ACC_BUFFERS == 2) {
        wait_and_release();
      } else {
        // The one-set loop advances the ring when it waits: the spare block is still at stage.
        wgmma_wait_all();
        release(&empty[stage], warp, lane);
      }
    }
  }
  // No CTA may leave while a peer can still multicast into its shared memory or arrive on its barriers.
  if (CLUSTER > 1) cluster_sync();
}

`;
