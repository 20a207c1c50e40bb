// The producer warpgroup of the sm_90a FP8 GEMM, part of the kernel template (kernel.ts places it
// after the split-tail piece, whose Walk it uses): one thread issues the TMA loads of every stage
// (alone, or its share of a cluster's multicast tile; with TMA_SCALES also the stage's scales), and
// with staged scales (SMEM_SCALES) loaded by threads a second warp copies each stage's scales into
// shared memory beside its tiles.
/**
 * Two sets with the overlapped store: after its last tile every consumer issues one more block (it
 * cannot tell the last tile from the others without a branch that makes ptxas wait); a spare copy of
 * the first tile's first block feeds it. Emitted into produce_tiles for that loop only.
 */
export const SPARE_LOAD = String.raw`  // OVERLAP_STORE: after its last tile every consumer issues one more block (it cannot tell the
  // last tile from the others without a branch that makes ptxas wait); a spare copy of the first
  // tile's first block feeds it.
  if (OVERLAP_STORE && w.firstTile < w.tiles) {
    const TileCoord super = tile_coord(w.firstTile, w.tilesM, w.tilesN, w.raster);
    load(super, super.m0 + w.rankM, super.n0 + w.rankN, 0);
  }
`;

export const PRODUCER_TEMPLATE = String.raw`// This CTA's walk over the tiles, as the producer and the consumers see it.
struct TileWalk {
  int firstTile, tileStride, tiles, tilesM, tilesN, rankM, rankN, raster, KB;
};

// The TMA thread: for every K block of every tile of the walk, once the stage is free in every CTA of
// the cluster, the A and B tiles into it (this CTA's slice of the shared one multicast to all) and,
// with TMA_SCALES, this CTA's own scales: its BLOCK_M activation scales by TMA (mapSA: [K/128][M],
// rows fastest) and the weight scales of the tile's SPANS column blocks by cp.async (scaleB as it is,
// [N/128][K/128]: 4 bytes each, a box TMA cannot make), their landing one arrival on the barrier.
__device__ __forceinline__ void produce_tiles(const CUtensorMap* mapA, const CUtensorMap* mapB, const CUtensorMap* mapSA, const float* scaleB,
                                              uint8_t* tileA, uint8_t* tileB, float* stagedScales, uint64_t* full, uint64_t* empty,
                                              uint32_t rank, int NB, const TileWalk& w) {
  int stage = 0;
  uint32_t phase = 0;
  const uint16_t everyone = static_cast<uint16_t>((1u << CLUSTER) - 1);
  const uint32_t slice = rank * SHARED_SLICE_ROWS;
  // One stage: K block kb of the tile at super (this CTA's part of it at m0, n0).
  auto load = [&](const TileCoord& super, int m0, int n0, int kb) {
    // The stage is free only once the consumers of every CTA of the cluster released it.
    mbar_wait(&empty[stage], phase ^ 1);
    mbar_expect_tx(&full[stage], A_TILE_BYTES + B_TILE_BYTES + (TMA_SCALES ? BLOCK_M * 4 : 0));
    uint8_t* a = tileA + stage * A_TILE_BYTES;
    uint8_t* b = tileB + stage * B_TILE_BYTES;
    if (CLUSTER == 1) {
      tma_load_2d(a, mapA, &full[stage], kb * BLOCK_K, m0);
      tma_load_2d(b, mapB, &full[stage], kb * BLOCK_K, n0);
    } else if (CLUSTER_ALONG_M) {
      tma_load_2d(a, mapA, &full[stage], kb * BLOCK_K, m0);
      tma_load_2d_multicast(b + slice * BLOCK_K, mapB, &full[stage], kb * BLOCK_K, super.n0 + slice, everyone);
    } else {
      tma_load_2d_multicast(a + slice * BLOCK_K, mapA, &full[stage], kb * BLOCK_K, super.m0 + slice, everyone);
      tma_load_2d(b, mapB, &full[stage], kb * BLOCK_K, n0);
    }
    if (TMA_SCALES) {
      float* scales = stagedScales + stage * SCALE_STRIDE;
      tma_load_2d(scales, mapSA, &full[stage], m0, kb);
      const int k = FAULT_WRONG_B_SCALE ? min(kb + 1, w.KB - 1) : kb;
#pragma unroll
      for (int i = 0; i < SPANS; ++i) cp_async_4(scales + BLOCK_M + i, scaleB + static_cast<size_t>(min(n0 / 128 + i, NB - 1)) * w.KB + k);
      cp_async_arrive(&full[stage]);
    }
    if (++stage == STAGES) { stage = 0; phase ^= 1; }
  };
  Walk walk = make_walk(w.firstTile, w.tileStride, w.tiles, w.KB);
  int t, k0, k1;
  while (walk.next(t, k0, k1)) {
{{producerTile}}  }
{{spareLoad}}}

// The scale warp (SMEM_SCALES): for every stage the TMA thread fills, this CTA's BLOCK_M activation
// scales (lane i: rows i, i + 32, ...; rows past M read row M - 1) and the tile's weight-scale blocks,
// stored beside the tiles; each lane's arrival releases its stores to the math threads.
__device__ __forceinline__ void stage_scales(const float* __restrict__ scaleA, const float* __restrict__ scaleB, float* stagedScales,
                                             uint64_t* full, uint64_t* empty, int M, int NB, const TileWalk& w) {
  const int KB = w.KB;
  const int lane = threadIdx.x % 32;
  int stage = 0;
  uint32_t phase = 0;
  Walk walk = make_walk(w.firstTile, w.tileStride, w.tiles, KB);
  int t, k0, k1;
  while (walk.next(t, k0, k1)) {
    const TileCoord tc = tile_coord(t, w.tilesM, w.tilesN, w.raster);
    const int m0 = tc.m0 + w.rankM;
    const int nb = min((tc.n0 + w.rankN) / 128 + lane, NB - 1);
    // One pointer per lane (its first row) and 32-bit distances to its other rows, so that the
    // loop holds few registers (the producer's budget is small).
    const int row0 = min(m0 + lane, M - 1);
    const float* rowBase = scaleA + static_cast<size_t>(row0) * KB;
    int delta[BLOCK_M / 32];
#pragma unroll
    for (int i = 0; i < BLOCK_M / 32; ++i) delta[i] = (min(m0 + lane + 32 * i, M - 1) - row0) * KB;
    for (int kb = k0; kb < k1; ++kb) {
      mbar_wait(&empty[stage], phase ^ 1);
      float* dst = stagedScales + stage * SCALE_STRIDE;
      const float* src = rowBase + kb;
#pragma unroll
      for (int i = 0; i < BLOCK_M / 32; ++i) dst[lane + 32 * i] = FAULT_FIXED_SCALES ? 1.0f : __ldg(src + delta[i]);
      if (lane < SPANS) dst[BLOCK_M + lane] = FAULT_FIXED_SCALES ? 1.0f : __ldg(scaleB + static_cast<size_t>(nb) * KB + (FAULT_WRONG_B_SCALE ? min(kb + 1, KB - 1) : kb));
      mbar_arrive(&full[stage]);
      if (++stage == STAGES) { stage = 0; phase ^= 1; }
    }
  }
}

`;
