// The CUDA text of the FP8 GEMV kernel (gemv.ts has its config, resources and launches). Each CTA
// owns 8 x GROUPS weight rows (columns of C) and one K split; its warps take the split's 128-wide K
// blocks in turn. The product runs on the tensor cores through the legacy warp-wide
// mma.sync.m16n8k32 e4m3 (sm_89+; no WGMMA, no shared-memory operands): the tokens are the MMA's 16
// rows (A operand, zero past M), 8 weight rows its 8 columns (B operand). Both operands come straight
// from 16-byte loads: a quad of lanes reads 64 contiguous bytes of a row, and the 32-wide K slice one
// MMA sees is a fixed permutation of those bytes, the same for both operands, so the dot product is
// unchanged (block sums are over the whole 128-wide block either way). So the only per-byte work is the
// load: no e4m3 conversion, no FFMA per product (at M=16 the 16 FFMAs a byte would need on the SIMT
// pipes, 256 per clock per SM at 4 TB/s over 132 SMs, are more than its 128 FP32 lanes give).
// Each K block's four MMAs sum into a fresh f32 fragment, promoted with the block's two scales into
// the totals (DeepSeek-V3's 1x128 x 128x128 block scaling, as the sm_90a kernel does). The warps'
// totals meet in shared memory; the split partials in global scratch, added by the last CTA of the
// column block (an arrival counter it puts back to zero) or by a second launch.
export const GEMV_ENTRY_POINT = 'fp8_gemv';
export const GEMV_COMBINE_ENTRY_POINT = 'fp8_gemv_combine';
export const GEMV_COMBINE_THREADS = 256;

/**
 * The kernel's only inline PTX (the loads and the MMA), apart from the rest so that a host build of
 * the kernel's logic (test/kernels/fp8-gemm/cuda/gemv-host.ts) can put plain C++ in its place.
 */
export const GEMV_DEVICE_HELPERS = String.raw`// Weights are read once: past L1 (it keeps the tokens), with a 256-byte L2 prefetch (the next K
// block of the row, the next warp's).
__device__ __forceinline__ uint4 load_weights(const uint8_t* p) {
  uint4 v;
  asm volatile("ld.global.nc.L1::no_allocate.L2::256B.v4.u32 {%0, %1, %2, %3}, [%4];"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
  return v;
}

// Tokens are read by every column block: through L1.
__device__ __forceinline__ uint4 load_tokens(const uint8_t* p) { return __ldg(reinterpret_cast<const uint4*>(p)); }

// d += A(16 tokens x 32) * B(32 x 8 weight rows), e4m3 in, f32 accumulate.
__device__ __forceinline__ void mma_e4m3(float (&d)[4], uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t b0, uint32_t b1) {
  asm volatile("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
               : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
}
`;

export const GEMV_TEMPLATE = String.raw`
#include <cuda_bf16.h>
#include <stdint.h>
typedef {{outType}} out_t;
constexpr int WARPS = {{warps}};
constexpr int GROUPS = {{rowGroups}};  // 8-row groups of weight rows per CTA
constexpr int ROWS = 8 * GROUPS;
constexpr int UNROLL = {{unroll}};     // K blocks a warp loads before it multiplies
constexpr bool TOKENS16 = {{tokens16}};  // M > 8: the MMA's rows 8-15 are tokens too
constexpr int TOKENS = TOKENS16 ? 16 : 8;
constexpr bool LAST_CTA = {{lastCta}};
constexpr bool FAULT_SKIP_LAST_K_BLOCK = {{faultSkipLastKBlock}};
constexpr bool FAULT_WRONG_B_SCALE = {{faultWrongBScale}};
constexpr bool FAULT_SKIP_PARTIALS = {{faultSkipPartials}};

{{deviceHelpers}}
// Scratch: an arrival counter per column block (padded to 16 bytes), then the split partials [splits][M][N].
__device__ __forceinline__ float* split_partials(float* scratch, int columnBlocks) {
  return scratch + ((columnBlocks + 3) & ~3);
}

__device__ __forceinline__ void store_out(out_t* p, float v) { *p = {{convert}}(v); }

extern "C" __global__ void __launch_bounds__(WARPS * 32, {{minBlocks}})
{{entryPoint}}(const uint8_t* __restrict__ A, const uint8_t* __restrict__ B, const float* __restrict__ scaleA,
               const float* __restrict__ scaleB, out_t* __restrict__ C, int M, int N, int K, int splits,
               float* __restrict__ scratch) {
  __shared__ float reduced[WARPS][GROUPS][4][32];
  __shared__ int lastArrival;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  // The MMA fragments' coordinates: g is a token (A), a weight row (B) and a token again (D);
  // t picks the quad's 16-byte chunk of each 64-byte slice of a row.
  const int g = lane / 4, t = lane % 4;
  const int n0 = blockIdx.x * ROWS;
  const int KB = (K + 127) / 128;
  const int kb0 = static_cast<int>(static_cast<long long>(blockIdx.y) * KB / splits);
  const int kb1 = static_cast<int>(static_cast<long long>(blockIdx.y + 1) * KB / splits);

  // Group r's rows are 8 x r rows on (rows past N load zeros, their outputs are not stored). Every
  // row of the CTA is in one 128-row scale block: 8 x GROUPS divides 128 and n0 is a multiple of it.
  const size_t groupStride = static_cast<size_t>(8) * K;
  const uint8_t* rowB = B + static_cast<size_t>(n0 + g) * K + 16 * t;
  bool liveRow[GROUPS];
#pragma unroll
  for (int r = 0; r < GROUPS; ++r) liveRow[r] = n0 + 8 * r + g < N;
  const float* blockScaleB = scaleB + static_cast<size_t>(n0 / 128) * KB;
  // Tokens past M load zeros (their rows of D are not stored).
  const bool liveLo = g < M, liveHi = TOKENS16 && g + 8 < M;
  const uint8_t* rowLo = A + static_cast<size_t>(min(g, M - 1)) * K + 16 * t;
  const uint8_t* rowHi = A + static_cast<size_t>(min(g + 8, M - 1)) * K + 16 * t;
  const float* scaleLo = scaleA + static_cast<size_t>(min(g, M - 1)) * KB;
  const float* scaleHi = scaleA + static_cast<size_t>(min(g + 8, M - 1)) * KB;

  float total[GROUPS][4] = {};
  for (int kb = kb0 + warp; kb < kb1; kb += WARPS * UNROLL) {
    // Every load of the trip first (16-byte chunks past K are zeros: K need only be a multiple of 16).
    uint4 w[UNROLL][GROUPS][2], lo[UNROLL][2], hi[UNROLL][2];
    float sLo[UNROLL], sHi[UNROLL], sB[UNROLL];
#pragma unroll
    for (int u = 0; u < UNROLL; ++u) {
      const int b = min(kb + u * WARPS, kb1 - 1);
      const bool live = kb + u * WARPS < kb1 && !(FAULT_SKIP_LAST_K_BLOCK && b == KB - 1);
#pragma unroll
      for (int c = 0; c < 2; ++c) {
        const int at = b * 128 + 64 * c;
        const bool in = live && at + 16 * t < K;
#pragma unroll
        for (int r = 0; r < GROUPS; ++r) w[u][r][c] = in && liveRow[r] ? load_weights(rowB + r * groupStride + at) : make_uint4(0, 0, 0, 0);
        lo[u][c] = in && liveLo ? load_tokens(rowLo + at) : make_uint4(0, 0, 0, 0);
        hi[u][c] = TOKENS16 && in && liveHi ? load_tokens(rowHi + at) : make_uint4(0, 0, 0, 0);
      }
      sLo[u] = live ? __ldg(scaleLo + b) : 0.0f;
      sHi[u] = TOKENS16 && live ? __ldg(scaleHi + b) : 0.0f;
      sB[u] = __ldg(blockScaleB + (FAULT_WRONG_B_SCALE ? 0 : b));
    }
#pragma unroll
    for (int u = 0; u < UNROLL; ++u) {
#pragma unroll
      for (int r = 0; r < GROUPS; ++r) {
        float d[4] = {0.0f, 0.0f, 0.0f, 0.0f};
#pragma unroll
        for (int c = 0; c < 2; ++c) {
          mma_e4m3(d, lo[u][c].x, hi[u][c].x, lo[u][c].y, hi[u][c].y, w[u][r][c].x, w[u][r][c].y);
          mma_e4m3(d, lo[u][c].z, hi[u][c].z, lo[u][c].w, hi[u][c].w, w[u][r][c].z, w[u][r][c].w);
        }
        // D: tokens g (d0, d1) and g + 8 (d2, d3), weight rows 2t and 2t + 1 of the group.
        total[r][0] += d[0] * (sLo[u] * sB[u]);
        total[r][1] += d[1] * (sLo[u] * sB[u]);
        total[r][2] += d[2] * (sHi[u] * sB[u]);
        total[r][3] += d[3] * (sHi[u] * sB[u]);
      }
    }
  }

#pragma unroll
  for (int r = 0; r < GROUPS; ++r)
#pragma unroll
    for (int i = 0; i < 4; ++i) reduced[warp][r][i][lane] = total[r][i];
  __syncthreads();
  float* partials = split_partials(scratch, gridDim.x);
  // The CTA's TOKENS x ROWS outputs, consecutive threads along N.
  for (int e = threadIdx.x; e < TOKENS * ROWS; e += WARPS * 32) {
    const int m = e / ROWS, j = e % ROWS, n = n0 + j;
    if (m >= M || n >= N) continue;
    const int r = j / 8, i = (m / 8) * 2 + (j % 2), l = (m % 8) * 4 + (j % 8) / 2;
    float v = 0.0f;
#pragma unroll
    for (int w = 0; w < WARPS; ++w) v += reduced[w][r][i][l];
    if (splits == 1) store_out(C + static_cast<size_t>(m) * N + n, v);
    else __stcg(partials + (static_cast<size_t>(blockIdx.y) * M + m) * N + n, v);
  }
  if (!LAST_CTA || splits == 1) return;
  // Each thread's partials visible device-wide before the CTA arrives; the last to arrive adds them
  // all in split order (the same sum whichever CTA is last) and leaves the counter at zero.
  __threadfence();
  __syncthreads();
  if (threadIdx.x == 0) {
    const int arrived = atomicAdd(reinterpret_cast<int*>(scratch) + blockIdx.x, 1) + 1;
    lastArrival = arrived == splits;
    if (lastArrival) atomicExch(reinterpret_cast<int*>(scratch) + blockIdx.x, 0);
  }
  __syncthreads();
  if (!lastArrival) return;
  __threadfence();
  for (int e = threadIdx.x; e < TOKENS * ROWS; e += WARPS * 32) {
    const int m = e / ROWS, n = n0 + e % ROWS;
    if (m >= M || n >= N) continue;
    float v = 0.0f;
    for (int s = 0; s < splits; ++s)
      if (!FAULT_SKIP_PARTIALS || s == blockIdx.y) v += __ldcg(partials + (static_cast<size_t>(s) * M + m) * N + n);
    store_out(C + static_cast<size_t>(m) * N + n, v);
  }
}

// The second launch of the 'launch' combine: C = the sum of the split partials, in split order.
extern "C" __global__ void __launch_bounds__({{combineThreads}})
{{combineEntryPoint}}(out_t* __restrict__ C, const float* __restrict__ scratch, int M, int N, int splits) {
  const float* partials = split_partials(const_cast<float*>(scratch), (N + ROWS - 1) / ROWS);
  const size_t size = static_cast<size_t>(M) * N;
  const size_t e = static_cast<size_t>(blockIdx.x) * {{combineThreads}} + threadIdx.x;
  if (e >= size) return;
  float v = 0.0f;
  for (int s = 0; s < splits; ++s)
    if (!FAULT_SKIP_PARTIALS || s == 0) v += __ldcg(partials + s * size + e);
  store_out(C + e, v);
}
`;
