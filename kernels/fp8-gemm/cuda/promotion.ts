// The promotion of the sm_90a FP8 GEMM, part of the kernel template (kernel.ts places it after the
// WGMMA issue and before the kernel entry): the scale loads (a ring two K blocks ahead), then, once
// per 128-wide K block, each math thread adds its accumulator fragment, scaled by its rows'
// activation scales and the tile's weight-scale blocks, into f32 totals (DeepSeek-V3's promotion). Tiles whose N straddles 128-column scale blocks get one
// compiled promotion per possible offset of the tile inside its scale block (up to 8), or a
// per-8-column-group selection at run time beyond that.
export const PROMOTION_TEMPLATE = String.raw`// Where this thread's scales of the tile at (m0, n0) start, K block k0: its rows r and r + 8 of each
// m64 sub-tile (the WGMMA accumulator layout; rows past M read row M - 1) and the tile's column
// blocks n0/128, n0/128 + 1, ... (swapped: the rows are B's, one weight scale per 128 of them, and the
// columns tokens with a scale each, this thread's two of every 8 columns).
__device__ __forceinline__ void scale_pointers(const float* (&rowScale)[SUB_TILES][2], const float* (&colScale)[SPANS],
                                               const float* scaleA, const float* scaleB, int m0, int n0, int M, int N,
                                               int KB, int NB, int k0, int wg, int warp, int lane) {
#pragma unroll
  for (int s = 0; s < SUB_TILES; ++s) {
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int row = min(m0 + (wg * SUB_TILES + s) * 64 + warp * 16 + lane / 4 + h * 8, M - 1);
      rowScale[s][h] = scaleA + static_cast<size_t>(SWAP_AB ? row / 128 : row) * KB + k0;
    }
  }
#pragma unroll
  for (int i = 0; i < SPANS; ++i) {
    const int column = SWAP_AB ? min(n0 + (i / 2) * 8 + (lane % 4) * 2 + i % 2, N - 1) : min(n0 / 128 + i, NB - 1);
    colScale[i] = scaleB + static_cast<size_t>(column) * KB + k0;
  }
}

// Scales of K block k: this thread's two rows of each m64 sub-tile, and the tile's column blocks
// (swapped: this thread's tokens).
__device__ __forceinline__ void load_scales(float (&sa)[SUB_TILES][2], float (&sb)[SPANS], const float* const (&rowScale)[SUB_TILES][2],
                                            const float* const (&colScale)[SPANS], int k, int KB) {
#pragma unroll
  for (int s = 0; s < SUB_TILES; ++s) {
    sa[s][0] = FAULT_FIXED_SCALES ? 1.0f : __ldg(rowScale[s][0] + k);
    sa[s][1] = FAULT_FIXED_SCALES ? 1.0f : __ldg(rowScale[s][1] + k);
  }
#pragma unroll
  for (int i = 0; i < SPANS; ++i) sb[i] = FAULT_FIXED_SCALES ? 1.0f : __ldg(colScale[i] + (FAULT_WRONG_B_SCALE ? min(k + 1, KB - 1) : k));
}

// The prefetch of K block k's scales inside the loop, which asks for k = 2, 3, 4, ... in order: the
// pointers walk one float per call (a 64-bit add each, instead of rebuilding every address from k).
__device__ __forceinline__ void next_scales(float (&sa)[SUB_TILES][2], float (&sb)[SPANS], const float* (&rowNext)[SUB_TILES][2],
                                            const float* (&colNext)[SPANS], int k, int KB) {
#pragma unroll
  for (int s = 0; s < SUB_TILES; ++s) {
    sa[s][0] = FAULT_FIXED_SCALES ? 1.0f : __ldg(rowNext[s][0]++);
    sa[s][1] = FAULT_FIXED_SCALES ? 1.0f : __ldg(rowNext[s][1]++);
  }
#pragma unroll
  for (int i = 0; i < SPANS; ++i) {
    sb[i] = FAULT_FIXED_SCALES ? 1.0f : __ldg(colNext[i] + (FAULT_WRONG_B_SCALE && k + 1 < KB ? 1 : 0));
    ++colNext[i];
  }
}

// One K block's scales read out of its stage (SMEM_SCALES): this thread's two rows of each m64
// sub-tile of warpgroup wg, and the tile's weight-scale blocks (the same for every thread). (The
// scale warp writes 1s for FAULT_FIXED_SCALES; with TMA_SCALES they are read as 1s here.)
__device__ __forceinline__ void staged_scales(float (&sa)[SUB_TILES][2], float (&sb)[SPANS], const float* src, int wg, int warp, int lane) {
  constexpr bool ones = FAULT_FIXED_SCALES && TMA_SCALES;
#pragma unroll
  for (int s = 0; s < SUB_TILES; ++s) {
    sa[s][0] = ones ? 1.0f : src[(wg * SUB_TILES + s) * 64 + warp * 16 + lane / 4];
    sa[s][1] = ones ? 1.0f : src[(wg * SUB_TILES + s) * 64 + warp * 16 + lane / 4 + 8];
  }
#pragma unroll
  for (int i = 0; i < SPANS; ++i) sb[i] = ones ? 1.0f : src[BLOCK_M + i];
}

// One K block's scales copied out of the ring slot, so that the slot can be refilled before they are used.
__device__ __forceinline__ void copy_scales(float (&sa)[SUB_TILES][2], float (&sb)[SPANS], const float (&saSlot)[SUB_TILES][2],
                                            const float (&sbSlot)[SPANS]) {
#pragma unroll
  for (int s = 0; s < SUB_TILES; ++s) { sa[s][0] = saSlot[s][0]; sa[s][1] = saSlot[s][1]; }
#pragma unroll
  for (int i = 0; i < SPANS; ++i) sb[i] = sbSlot[i];
}

// total += acc * scaleA[row] * scaleB[column block]. Tiles start at multiples of 8 columns, so a
// scale-block boundary falls between 8-column groups: one choice per group, not per column.
// B0 >= 0: the tile's first boundary is B0 (known at compile time, so every group's block is too
// and no selection is left in the code); B0 < 0: boundaries read at run time, selected per group.
// NA sub-tiles from acc's first NA rows into totals s0, s0 + 1, ... (all of them at once, or one
// when the sub-tiles take turns through one set; s0 is a constant once the caller's loop is unrolled).
template <int B0, int NA>
__device__ __forceinline__ void promote_at(float (&total)[SUB_TILES][ACC], const float (&acc)[SUB_TILES][ACC],
                                           const float (&sa)[SUB_TILES][2], const float (&sb)[SPANS],
                                           int boundary0, int boundary1, int s0) {
  const int b0 = B0 >= 0 ? B0 : boundary0;
  const int b1 = B0 >= 0 ? B0 + 128 : boundary1;
#pragma unroll
  for (int t = 0; t < NA; ++t) {
    const int s = s0 + t;
    float p0[SPANS], p1[SPANS];
#pragma unroll
    for (int i = 0; i < SPANS; ++i) { p0[i] = sa[s][0] * sb[i]; p1[i] = sa[s][1] * sb[i]; }
#pragma unroll
    for (int j = 0; j < BLOCK_N / 8; ++j) {
      const int span = SPANS == 1 ? 0 : (j * 8 < b0 ? 0 : (SPANS == 2 || j * 8 < b1 ? 1 : SPANS - 1));
      const float r0 = SPANS == 1 ? p0[0] : (span == 0 ? p0[0] : (span == 1 ? p0[SPANS > 1 ? 1 : 0] : p0[SPANS - 1]));
      const float r1 = SPANS == 1 ? p1[0] : (span == 0 ? p1[0] : (span == 1 ? p1[SPANS > 1 ? 1 : 0] : p1[SPANS - 1]));
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        total[s][j * 4 + e] += acc[t][j * 4 + e] * r0;
        total[s][j * 4 + 2 + e] += acc[t][j * 4 + 2 + e] * r1;
      }
    }
  }
}

// Swapped (C^T = B x A^T): a row's weight scale is one per m64 sub-tile (its 64 rows lie in one
// 128-row scale block, so sa[s][0] == sa[s][1]) and each column has its token's scale, sb[2j + e]
// for column 2 x (lane % 4) + e of 8-column group j.
__device__ __forceinline__ void promote_swapped(float (&total)[SUB_TILES][ACC], const float (&acc)[SUB_TILES][ACC],
                                                const float (&sa)[SUB_TILES][2], const float (&sb)[SPANS]) {
#pragma unroll
  for (int s = 0; s < SUB_TILES; ++s) {
#pragma unroll
    for (int j = 0; j < BLOCK_N / 8; ++j) {
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        const float r = sa[s][0] * sb[j * 2 + e];
        total[s][j * 4 + e] += acc[s][j * 4 + e] * r;
        total[s][j * 4 + 2 + e] += acc[s][j * 4 + 2 + e] * r;
      }
    }
  }
}

constexpr int gcd_of(int a, int b) { return b == 0 ? a : gcd_of(b, a % b); }
// A tile's offset inside its 128-column scale block is a multiple of OFFSET_STEP: OFFSETS values.
constexpr int OFFSET_STEP = gcd_of(BLOCK_N, 128);
constexpr int OFFSETS = 128 / OFFSET_STEP;

// Offsets W, W+1, ..., OFFSETS-1 (tiles whose offset is W x OFFSET_STEP columns): a chain of uniform
// branches, each to the promotion compiled for its boundary.
template <int W, int NA>
__device__ __forceinline__ void promote_from(float (&total)[SUB_TILES][ACC], const float (&acc)[SUB_TILES][ACC],
                                             const float (&sa)[SUB_TILES][2], const float (&sb)[SPANS], int which, int s0) {
  if constexpr (W + 1 < OFFSETS) {
    if (which != W) {
      promote_from<W + 1, NA>(total, acc, sa, sb, which, s0);
      return;
    }
  }
  promote_at<128 - W * OFFSET_STEP, NA>(total, acc, sa, sb, 0, 0, s0);
}

// One compiled promotion per possible offset, chosen by a uniform branch per K block: 2 for n=192,
// 4 for n=160, 8 for n=112, 144 and 176; with 16 (n an odd multiple of 8) the per-group selection.
// NA sub-tiles (acc's first NA rows) into totals s0, s0 + 1, ...: all of them by default; one at a
// time, from acc's first row, when the sub-tiles take turns through one set (the in-turn loop).
template <int NA = SUB_TILES>
__device__ __forceinline__ void promote(float (&total)[SUB_TILES][ACC], const float (&acc)[SUB_TILES][ACC],
                                        const float (&sa)[SUB_TILES][2], const float (&sb)[SPANS],
                                        int boundary0, int boundary1, bool skip, int s0 = 0) {
  if (skip || FAULT_NO_PROMOTE) return;
  if constexpr (SWAP_AB) {
    promote_swapped(total, acc, sa, sb);
  } else if constexpr (SPANS == 1) {
    promote_at<128, NA>(total, acc, sa, sb, boundary0, boundary1, s0);
  } else if constexpr (OFFSETS <= 8) {
    promote_from<0, NA>(total, acc, sa, sb, (128 - boundary0) / OFFSET_STEP, s0);
  } else {
    promote_at<-1, NA>(total, acc, sa, sb, boundary0, boundary1, s0);
  }
}

`;
