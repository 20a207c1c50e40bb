// The WGMMA issue of the sm_90a FP8 GEMM, part of the kernel template (kernel.ts places it after the
// epilogue and split-tail pieces and before the promotion): freeing a stage for the producer, and
// issuing a stage's four k32 steps, for every m64 sub-tile of the warpgroup at once or for one
// sub-tile (when the sub-tiles take turns through one accumulator set).
export const ISSUE_TEMPLATE = String.raw`// Frees a stage: one arrival per warpgroup on its empty barrier in every CTA of the cluster (each
// CTA's producer multicasts into all of them). Called by every thread after its wait for the
// warpgroup's WGMMAs: a WGMMA is one warpgroup-wide operation, so once warp 0's wait returns the
// whole warpgroup is done reading the stage, and warp 0's lane r signals CTA r (CUTLASS's pipelines
// count arrivals per warpgroup the same way): CLUSTER arrivals per warpgroup, not one per warp per CTA.
__device__ __forceinline__ void release(uint64_t* bar, int warp, int lane) {
  if (warp != 0 || lane >= CLUSTER) return;
  if (CLUSTER == 1) mbar_arrive(bar);
  else mbar_arrive_cluster(bar, lane);
}

// Waits for the stage (unless the caller already did: waited), then issues the four k32 steps of one
// 128-wide K block for every m64 sub-tile of this warpgroup; acc is overwritten (scale-d = 0 on the
// first step). aDesc and bDesc are the low descriptor words of stage 0's tiles (this warpgroup's rows
// of A): a stage, sub-tile or k step is an add (16-byte units), so the issue costs a few uniform adds,
// not address math.
__device__ __forceinline__ void issue_block(float (&acc)[SUB_TILES][ACC], uint32_t aDesc, uint32_t bDesc, uint64_t* full,
                                            int stage, uint32_t phase, bool waited = false) {
  if (!waited) mbar_wait(&full[stage], phase);
  const uint32_t a = aDesc + stage * (A_TILE_BYTES >> 4);
  const uint32_t b = bDesc + stage * (B_TILE_BYTES >> 4);
  wgmma_fence();
#pragma unroll
  for (int k = 0; k < (FAULT_ONE_KSTEP ? 1 : BLOCK_K / 32); ++k) {
#pragma unroll
    for (int s = 0; s < SUB_TILES; ++s) {
      wgmma_m64n{{blockN}}k32(acc[s], wgmma_desc(a + s * (64 * BLOCK_K >> 4) + k * (32 >> 4)), wgmma_desc(b + k * (32 >> 4)), k > 0);
    }
  }
  wgmma_commit();
}

// Issues the four k32 steps of one m64 sub-tile s of the stage into acc (the stage must be full).
__device__ __forceinline__ void issue_sub(float (&acc)[ACC], uint32_t aDesc, uint32_t bDesc, int stage, int s) {
  const uint32_t a = aDesc + stage * (A_TILE_BYTES >> 4) + s * (64 * BLOCK_K >> 4);
  const uint32_t b = bDesc + stage * (B_TILE_BYTES >> 4);
  wgmma_fence();
#pragma unroll
  for (int k = 0; k < (FAULT_ONE_KSTEP ? 1 : BLOCK_K / 32); ++k) {
    wgmma_m64n{{blockN}}k32(acc, wgmma_desc(a + k * (32 >> 4)), wgmma_desc(b + k * (32 >> 4)), k > 0);
  }
  wgmma_commit();
}

`;
