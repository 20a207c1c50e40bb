// The sm_90a PTX wrappers more than one CUDA template uses (the FP8 GEMM's and the MLA decode's WGMMA
// kernel): shared-memory addresses and mbarrier waits, the expected-bytes arrival of a TMA stage, a
// 2-D TMA load, the async-proxy fence and WGMMA's fence, commit and wait. Each piece is CUDA text
// ending in a newline, placed by each template where its helpers go.

/** The shared-memory address of a pointer, an mbarrier's initialisation, and a wait for its phase. */
export const MBARRIER_WAIT = String.raw`__device__ __forceinline__ uint32_t smem_addr(const void* p) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}
__device__ __forceinline__ void mbar_init(uint64_t* bar, uint32_t count) {
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" :: "r"(smem_addr(bar)), "r"(count));
}
__device__ __forceinline__ void mbar_wait(uint64_t* bar, uint32_t parity) {
  uint32_t done = 0;
  do {
    asm volatile("{\n.reg .pred p;\nmbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\nselp.u32 %0, 1, 0, p;\n}\n"
                 : "=r"(done) : "r"(smem_addr(bar)), "r"(parity) : "memory");
  } while (!done);
}
`;
/** An arrival that also says how many bytes the stage's TMA loads will bring. */
export const MBARRIER_EXPECT_TX = String.raw`__device__ __forceinline__ void mbar_expect_tx(uint64_t* bar, uint32_t bytes) {
  asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" :: "r"(smem_addr(bar)), "r"(bytes) : "memory");
}
`;
/** One box of a 2-D tensor map into shared memory, completing bytes on a barrier. */
export const TMA_LOAD_2D = String.raw`__device__ __forceinline__ void tma_load_2d(void* dst, const CUtensorMap* map, uint64_t* bar, int x, int y) {
  asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3}], [%4];"
               :: "r"(smem_addr(dst)), "l"(reinterpret_cast<uint64_t>(map)), "r"(x), "r"(y), "r"(smem_addr(bar))
               : "memory");
}
`;
/** Orders the generic proxy's shared-memory writes before the async proxy's reads (TMA, WGMMA). */
export const FENCE_PROXY_ASYNC = String.raw`__device__ __forceinline__ void fence_proxy_async_shared() { asm volatile("fence.proxy.async.shared::cta;" ::: "memory"); }
`;
/** WGMMA's fence before its operands are read, its commit of a group, and the wait for all groups. */
export const WGMMA_SYNC = String.raw`__device__ __forceinline__ void wgmma_fence() { asm volatile("wgmma.fence.sync.aligned;" ::: "memory"); }
__device__ __forceinline__ void wgmma_commit() { asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory"); }
__device__ __forceinline__ void wgmma_wait_all() { asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory"); }
`;
