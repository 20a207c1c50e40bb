// The epilogue of the sm_90a FP8 GEMM, part of the kernel template (kernel.ts places it after the
// constants and before the main loop): a tile's promoted f32 totals go to C in bf16 or f32, either
// through a padded staging buffer that the math warpgroup's threads copy out with 16-byte stores
// (stores straight from the accumulator layout cost a third of the time on the H200), or through
// 128B-swizzled slabs that one thread stores with TMA while the warpgroup goes on to the next tile.
export const EPILOGUE_TEMPLATE = String.raw`
// This thread's totals, two adjacent columns at a time, in the output type: at(s, row, col) is where
// the pair at row 0-63 of m64 sub-tile s and (even) column col goes (the WGMMA accumulator
// layout: rows lane / 4 and lane / 4 + 8 of the warp's 16, columns 2 x (lane % 4) of every 8).
// (Sub-tiles S0 .. S0 + NS - 1 only, when given.)
template <int S0 = 0, int NS = SUB_TILES, typename At>
__device__ __forceinline__ void stage_pairs(const float (&total)[SUB_TILES][ACC], int warp, int lane, At at) {
#pragma unroll
  for (int s = S0; s < S0 + NS; ++s) {
#pragma unroll
    for (int j = 0; j < BLOCK_N / 8; ++j) {
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        out_t* p = at(s, warp * 16 + lane / 4 + h * 8, j * 8 + (lane % 4) * 2);
{{pairStore}}
      }
    }
  }
}

// Whole 16-byte chunks of a staged block out to C (rows x cols, row-major): ROWS staged rows of
// ROW_CHUNKS chunks, ROW_BYTES apart, for C's rows row0.. and columns col0..; consecutive threads on
// consecutive chunks; rows and columns past C's edge are left out.
template <int ROWS, int ROW_CHUNKS, int ROW_BYTES>
__device__ __forceinline__ void copy_out(out_t* C, int rows, int cols, int row0, int col0, const uint8_t* mine) {
  const bool vectors = cols % CHUNK_ELEMS == 0;
  // Unrolled (a fixed count per thread): a loop here makes ptxas wait for the WGMMAs in flight.
  constexpr int CHUNKS = ROWS * ROW_CHUNKS;
#pragma unroll
  for (int i = 0; i < (CHUNKS + 127) / 128; ++i) {
    const int c = i * 128 + threadIdx.x % 128;
    const int row = row0 + c / ROW_CHUNKS;
    const int col = col0 + (c % ROW_CHUNKS) * CHUNK_ELEMS;
    if (c >= CHUNKS || row >= rows || col >= cols) continue;
    const uint8_t* src = mine + (c / ROW_CHUNKS) * ROW_BYTES + (c % ROW_CHUNKS) * 16;
    out_t* dst = C + static_cast<size_t>(row) * cols + col;
    if (vectors && col + CHUNK_ELEMS <= cols) {
      *reinterpret_cast<int4*>(dst) = *reinterpret_cast<const int4*>(src);
    } else {
#pragma unroll
      for (int e = 0; e < CHUNK_ELEMS; ++e) if (col + e < cols) dst[e] = reinterpret_cast<const out_t*>(src)[e];
    }
  }
}

// The tile's totals to C through shared memory: fragments in (two columns per thread per row), a
// warpgroup barrier, then whole 16-byte chunks of rows out. Swapped (the kernel's M x N is C^T), the
// staging holds this warpgroup's part of C's rows: a pair of columns goes to two staging rows.
__device__ __forceinline__ void store_tile(out_t* C, int M, int N, int m0, int n0, const float (&total)[SUB_TILES][ACC],
                                           uint8_t* staging, int wg, int warp, int lane) {
  const int rowBase = m0 + wg * SUB_TILES * 64;
  if constexpr (SWAP_AB) {
    uint8_t* mine = staging + wg * BLOCK_N * SWAP_ROW_BYTES;
    stage_pairs(total, warp, lane, [&](int s, int row, int col) {
      return reinterpret_cast<out_t*>(mine + col * SWAP_ROW_BYTES) + s * 64 + row;
    });
    asm volatile("bar.sync %0, 128;" :: "r"(1 + wg) : "memory");
    copy_out<BLOCK_N, SUB_TILES * 64 / CHUNK_ELEMS, SWAP_ROW_BYTES>(C, N, M, n0, rowBase, mine);
  } else {
    uint8_t* mine = staging + wg * SUB_TILES * 64 * STAGING_ROW_BYTES;
    stage_pairs(total, warp, lane, [&](int s, int row, int col) {
      return reinterpret_cast<out_t*>(mine + (s * 64 + row) * STAGING_ROW_BYTES) + col;
    });
    asm volatile("bar.sync %0, 128;" :: "r"(1 + wg) : "memory");
    copy_out<SUB_TILES * 64, CHUNKS_PER_ROW, STAGING_ROW_BYTES>(C, M, N, rowBase, n0, mine);
  }
  // The next tile's fragments must not land before every thread has copied this one out.
  asm volatile("bar.sync %0, 128;" :: "r"(1 + wg) : "memory");
}

// The tile's totals to C by TMA: fragments into this warpgroup's slabs (64 rows x 128 bytes, each
// 16-byte chunk at chunk ^ (row % 8): the tensor map's 128B swizzle, and no bank conflicts for the
// eight rows of one warp store), a proxy fence and a warpgroup barrier, then one thread stores every
// slab; the TMA unit leaves out rows and columns past M and N. The stores run on while the next
// tile is computed; the staging is reused only after they have read it.
// Sub-tiles S0 .. S0 + STAGED_SUB_TILES - 1 of the tile through the staging (all of them, or one
// at a time with STORE_BY_SUB_TILE).
template <int S0>
__device__ __forceinline__ void store_sub_tiles_tma(const CUtensorMap* mapC, int n0, int rowBase, const float (&total)[SUB_TILES][ACC],
                                                    uint8_t* mine, int wg, int warp, int lane) {
  const bool leader = threadIdx.x % 128 == 0;
  if (leader) tma_store_wait_read();
  asm volatile("bar.sync %0, 128;" :: "r"(1 + wg) : "memory");
  stage_pairs<S0, STAGED_SUB_TILES>(total, warp, lane, [&](int s, int row, int col) {
    const int byteCol = col * int(sizeof(out_t));
    const int chunk = (byteCol % 128) / 16;
    uint8_t* slab = mine + ((s - S0) * SLABS + byteCol / 128) * SLAB_BYTES;
    return reinterpret_cast<out_t*>(slab + row * 128 + ((chunk ^ (row % 8)) * 16) + byteCol % 16);
  });
  fence_proxy_async_shared();
  asm volatile("bar.sync %0, 128;" :: "r"(1 + wg) : "memory");
  if (leader) {
#pragma unroll
    for (int s = S0; s < S0 + STAGED_SUB_TILES; ++s)
#pragma unroll
      for (int slab = 0; slab < SLABS; ++slab)
        tma_store_2d(mapC, mine + ((s - S0) * SLABS + slab) * SLAB_BYTES, n0 + slab * (128 / int(sizeof(out_t))), rowBase + s * 64);
    tma_store_commit();
  }
}

__device__ __forceinline__ void store_tile_tma(const CUtensorMap* mapC, int n0, int rowBase, const float (&total)[SUB_TILES][ACC],
                                               uint8_t* staging, int wg, int warp, int lane) {
  uint8_t* mine = staging + wg * STAGED_SUB_TILES * SLABS * SLAB_BYTES;
  store_sub_tiles_tma<0>(mapC, n0, rowBase, total, mine, wg, warp, lane);
  if constexpr (STORE_BY_SUB_TILE && SUB_TILES > 1) store_sub_tiles_tma<1>(mapC, n0, rowBase, total, mine, wg, warp, lane);
}

`;
