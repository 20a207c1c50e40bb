// The sm_90a kernel body of the FP8 block-scaled GEMM, filled by field name. Design (facts learned
// from DeepGEMM and CUTLASS, code our own):
// - persistent CTAs walk the tile list (grid = min(tiles, SMs)); the last warpgroup produces, one
//   thread of it issuing TMA loads of 128-wide K blocks into a STAGES-deep ring of 128B-swizzled
//   shared-memory tiles, each stage guarded by a full and an empty mbarrier;
// - the math warpgroups (setmaxnreg raises their register budget, lowers the producer's) issue
//   four m64nNk32 e4m3 WGMMAs per stage into fresh f32 accumulators, release the stage, then
//   promote: total += acc * scaleA[row] * scaleB[column block], in f32 registers, once per 128-wide
//   K block, as DeepSeek-V3's recipe requires (Hopper's FP8 tensor-core accumulation keeps too few
//   bits for a whole K);
// - N tiles that are not a divisor of 128 straddle two or three 128-column scale blocks: each
//   column picks its block by comparing with the tile's boundaries.
export const KERNEL_TEMPLATE = String.raw`
constexpr int BLOCK_M = {{blockM}};
constexpr int BLOCK_N = {{blockN}};
constexpr int BLOCK_K = 128;
constexpr int STAGES = {{stages}};
constexpr int MATH_WG = {{mathWarpgroups}};
constexpr int SUB_TILES = {{subTiles}};
constexpr int ACC = BLOCK_N / 2;
constexpr int SPANS = {{scaleSpans}};
constexpr int THREADS = 128 * (MATH_WG + 1);
constexpr uint32_t A_TILE_BYTES = BLOCK_M * BLOCK_K;
constexpr uint32_t B_TILE_BYTES = BLOCK_N * BLOCK_K;
constexpr int FAULT_SKIP_LAST_K_BLOCK = {{faultSkipLastKBlock}};
constexpr int FAULT_WRONG_B_SCALE = {{faultWrongBScale}};
typedef {{outType}} out_t;

struct TileCoord { int m0; int n0; };

// Grouped raster (groups of 8 tiles across): raster 0 walks along M inside a group of 8 N tiles,
// raster 1 along N inside a group of 8 M tiles, so the CTAs in flight share A or B tiles in L2.
__device__ __forceinline__ TileCoord tile_coord(int t, int tilesM, int tilesN, int raster) {
  const int G = 8;
  if (raster == 0) {
    const int group = t / (G * tilesM);
    const int first = group * G;
    const int width = min(tilesN - first, G);
    const int r = t - group * G * tilesM;
    return { (r / width) * BLOCK_M, (first + r % width) * BLOCK_N };
  }
  const int group = t / (G * tilesN);
  const int first = group * G;
  const int width = min(tilesM - first, G);
  const int r = t - group * G * tilesN;
  return { (first + r % width) * BLOCK_M, (r / width) * BLOCK_N };
}

__device__ __forceinline__ void store_pair(out_t* C, int N, int row, int col, float x, float y) {
  out_t* p = C + static_cast<size_t>(row) * N + col;
  if ((N & 1) == 0 && col + 1 < N) {
{{pairStore}}
  } else {
    p[0] = {{convert}}(x);
    if (col + 1 < N) p[1] = {{convert}}(y);
  }
}

extern "C" __global__ void __launch_bounds__(THREADS, 1)
{{entryPoint}}(const __grid_constant__ CUtensorMap mapA, const __grid_constant__ CUtensorMap mapB,
               const float* __restrict__ scaleA, const float* __restrict__ scaleB, out_t* __restrict__ C,
               int M, int N, int K, int raster) {
  extern __shared__ uint8_t smem_raw[];
  uint8_t* smem = smem_raw + ((1024 - (smem_addr(smem_raw) & 1023)) & 1023);
  uint8_t* tileA = smem;
  uint8_t* tileB = smem + STAGES * A_TILE_BYTES;
  uint64_t* full = reinterpret_cast<uint64_t*>(tileB + STAGES * B_TILE_BYTES);
  uint64_t* empty = full + STAGES;

  const int tilesM = (M + BLOCK_M - 1) / BLOCK_M;
  const int tilesN = (N + BLOCK_N - 1) / BLOCK_N;
  const int tiles = tilesM * tilesN;
  const int KB = K / BLOCK_K;
  const int NB = (N + 127) / 128;

  if (threadIdx.x == 0) {
    for (int s = 0; s < STAGES; ++s) {
      mbar_init(&full[s], 1);
      mbar_init(&empty[s], 4 * MATH_WG);
    }
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
    tma_prefetch_descriptor(&mapA);
    tma_prefetch_descriptor(&mapB);
  }
  __syncthreads();

  const int wg = threadIdx.x / 128;
  if (wg == MATH_WG) {
    regs_dec<{{producerRegisters}}>();
    if (threadIdx.x == MATH_WG * 128) {
      int stage = 0;
      uint32_t phase = 0;
      for (int t = blockIdx.x; t < tiles; t += gridDim.x) {
        const TileCoord tc = tile_coord(t, tilesM, tilesN, raster);
        for (int kb = 0; kb < KB; ++kb) {
          mbar_wait(&empty[stage], phase ^ 1);
          mbar_expect_tx(&full[stage], A_TILE_BYTES + B_TILE_BYTES);
          tma_load_2d(tileA + stage * A_TILE_BYTES, &mapA, &full[stage], kb * BLOCK_K, tc.m0);
          tma_load_2d(tileB + stage * B_TILE_BYTES, &mapB, &full[stage], kb * BLOCK_K, tc.n0);
          if (++stage == STAGES) { stage = 0; phase ^= 1; }
        }
      }
    }
  } else {
    regs_inc<{{consumerRegisters}}>();
    const int warp = (threadIdx.x / 32) % 4;
    const int lane = threadIdx.x % 32;
    const int quad = lane % 4;
    int stage = 0;
    uint32_t phase = 0;
    float acc[SUB_TILES][ACC];
    float total[SUB_TILES][ACC];
    for (int t = blockIdx.x; t < tiles; t += gridDim.x) {
      const TileCoord tc = tile_coord(t, tilesM, tilesN, raster);
      // Rows of this thread: r and r + 8 of each m64 sub-tile (the WGMMA accumulator layout).
      int rows[SUB_TILES][2];
      const float* rowScale[SUB_TILES][2];
#pragma unroll
      for (int s = 0; s < SUB_TILES; ++s) {
#pragma unroll
        for (int h = 0; h < 2; ++h) {
          rows[s][h] = tc.m0 + (wg * SUB_TILES + s) * 64 + warp * 16 + lane / 4 + h * 8;
          rowScale[s][h] = scaleA + static_cast<size_t>(min(rows[s][h], M - 1)) * KB;
        }
      }
      // Columns below boundary[0] use scale block n0/128, below boundary[1] the next one, then the third.
      const int boundary0 = 128 - (tc.n0 % 128);
      const int boundary1 = boundary0 + 128;
      const float* colScale[SPANS];
#pragma unroll
      for (int i = 0; i < SPANS; ++i) colScale[i] = scaleB + static_cast<size_t>(min(tc.n0 / 128 + i, NB - 1)) * KB;
#pragma unroll
      for (int s = 0; s < SUB_TILES; ++s)
#pragma unroll
        for (int i = 0; i < ACC; ++i) total[s][i] = 0.0f;

      for (int kb = 0; kb < KB; ++kb) {
        float sa[SUB_TILES][2];
        float sb[SPANS];
#pragma unroll
        for (int s = 0; s < SUB_TILES; ++s) { sa[s][0] = __ldg(rowScale[s][0] + kb); sa[s][1] = __ldg(rowScale[s][1] + kb); }
#pragma unroll
        for (int i = 0; i < SPANS; ++i) sb[i] = __ldg(colScale[i] + kb);
        if (FAULT_WRONG_B_SCALE) { for (int i = 1; i < SPANS; ++i) sb[i] = sb[0]; }

        mbar_wait(&full[stage], phase);
        const uint32_t aBase = smem_addr(tileA + stage * A_TILE_BYTES) + wg * SUB_TILES * 64 * BLOCK_K;
        const uint32_t bBase = smem_addr(tileB + stage * B_TILE_BYTES);
        wgmma_fence();
#pragma unroll
        for (int k = 0; k < BLOCK_K / 32; ++k) {
#pragma unroll
          for (int s = 0; s < SUB_TILES; ++s) {
            wgmma_m64n{{blockN}}k32(acc[s], wgmma_descriptor(aBase + s * 64 * BLOCK_K + k * 32), wgmma_descriptor(bBase + k * 32), k > 0);
          }
        }
        wgmma_commit();
        wgmma_wait_all();
        if (lane == 0) mbar_arrive(&empty[stage]);
        if (++stage == STAGES) { stage = 0; phase ^= 1; }

        if (FAULT_SKIP_LAST_K_BLOCK && kb == KB - 1) continue;
#pragma unroll
        for (int s = 0; s < SUB_TILES; ++s) {
#pragma unroll
          for (int j = 0; j < BLOCK_N / 8; ++j) {
#pragma unroll
            for (int e = 0; e < 2; ++e) {
              const int col = j * 8 + quad * 2 + e;
              const float b = SPANS == 1 ? sb[0] : (col < boundary0 ? sb[0] : (SPANS == 2 || col < boundary1 ? sb[SPANS > 1 ? 1 : 0] : sb[SPANS - 1]));
              total[s][j * 4 + e] += acc[s][j * 4 + e] * (sa[s][0] * b);
              total[s][j * 4 + 2 + e] += acc[s][j * 4 + 2 + e] * (sa[s][1] * b);
            }
          }
        }
      }

#pragma unroll
      for (int s = 0; s < SUB_TILES; ++s) {
#pragma unroll
        for (int j = 0; j < BLOCK_N / 8; ++j) {
          const int col = tc.n0 + j * 8 + quad * 2;
          if (col < N) {
            if (rows[s][0] < M) store_pair(C, N, rows[s][0], col, total[s][j * 4], total[s][j * 4 + 1]);
            if (rows[s][1] < M) store_pair(C, N, rows[s][1], col, total[s][j * 4 + 2], total[s][j * 4 + 3]);
          }
        }
      }
    }
  }
}
`;
