// The sm_90a PTX wrappers the FP8 GEMM template uses: mbarriers, TMA (bulk tensor copies, with
// multicast across a cluster), WGMMA on e4m3 and setmaxnreg. Emitted as CUDA device functions at
// the top of every generated source; the WGMMA wrapper is generated per n because its accumulator
// list is one asm operand per register. The pieces other templates use too live in ../../cuda-ptx.ts.
import { FENCE_PROXY_ASYNC, MBARRIER_EXPECT_TX, MBARRIER_WAIT, TMA_LOAD_2D, WGMMA_SYNC } from '../../cuda-ptx.ts';

export const PTX_HELPERS = String.raw`
${MBARRIER_WAIT}// One try of the phase (no loop): true once it has completed. The thread may be held briefly while
// it is pending; the predicate's consumer, not the try, is what waits.
__device__ __forceinline__ bool mbar_try(uint64_t* bar, uint32_t parity) {
  uint32_t done = 0;
  asm volatile("{\n.reg .pred p;\nmbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\nselp.u32 %0, 1, 0, p;\n}\n"
               : "=r"(done) : "r"(smem_addr(bar)), "r"(parity) : "memory");
  return done != 0;
}
${MBARRIER_EXPECT_TX}__device__ __forceinline__ void mbar_arrive(uint64_t* bar) {
  asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" :: "r"(smem_addr(bar)) : "memory");
}
// Arrive on the same barrier of another CTA of the cluster (releases a multicast stage there).
__device__ __forceinline__ void mbar_arrive_cluster(uint64_t* bar, uint32_t cta) {
  asm volatile("{\n.reg .b32 remote;\nmapa.shared::cluster.u32 remote, %0, %1;\n"
               "mbarrier.arrive.shared::cluster.b64 _, [remote];\n}\n"
               :: "r"(smem_addr(bar)), "r"(cta) : "memory");
}
${TMA_LOAD_2D}// A 4-byte copy from global to shared memory by the async-copy unit, and an arrival on a barrier
// once every such copy this thread issued so far has landed (one of the barrier's expected
// arrivals: noinc), which makes the copies visible to whoever waits on it.
__device__ __forceinline__ void cp_async_4(void* dst, const void* src) {
  asm volatile("cp.async.ca.shared.global [%0], [%1], 4;" :: "r"(smem_addr(dst)), "l"(src) : "memory");
}
__device__ __forceinline__ void cp_async_arrive(uint64_t* bar) {
  asm volatile("cp.async.mbarrier.arrive.noinc.shared::cta.b64 [%0];" :: "r"(smem_addr(bar)) : "memory");
}
// One load written to the same shared-memory offset of every CTA in ctaMask, each CTA's barrier
// receiving the bytes it got.
__device__ __forceinline__ void tma_load_2d_multicast(void* dst, const CUtensorMap* map, uint64_t* bar, int x, int y, uint16_t ctaMask) {
  asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes.multicast::cluster"
               " [%0], [%1, {%2, %3}], [%4], %5;"
               :: "r"(smem_addr(dst)), "l"(reinterpret_cast<uint64_t>(map)), "r"(x), "r"(y), "r"(smem_addr(bar)), "h"(ctaMask)
               : "memory");
}
// TMA store of one box from shared memory (written through the generic proxy: fence first), then
// the bulk-group bookkeeping: commit, wait until the staging may be overwritten, wait until done.
${FENCE_PROXY_ASYNC}__device__ __forceinline__ void tma_store_2d(const CUtensorMap* map, const void* src, int x, int y) {
  asm volatile("cp.async.bulk.tensor.2d.global.shared::cta.bulk_group [%0, {%1, %2}], [%3];"
               :: "l"(reinterpret_cast<uint64_t>(map)), "r"(x), "r"(y), "r"(smem_addr(src)) : "memory");
}
__device__ __forceinline__ void tma_store_commit() { asm volatile("cp.async.bulk.commit_group;" ::: "memory"); }
__device__ __forceinline__ void tma_store_wait_read() { asm volatile("cp.async.bulk.wait_group.read 0;" ::: "memory"); }
__device__ __forceinline__ void tma_store_wait_all() { asm volatile("cp.async.bulk.wait_group 0;" ::: "memory"); }
__device__ __forceinline__ void tma_prefetch_descriptor(const CUtensorMap* map) {
  asm volatile("prefetch.tensormap [%0];" :: "l"(reinterpret_cast<uint64_t>(map)) : "memory");
}
// Shared-memory matrix descriptor of a K-major tile with 128-byte swizzle: rows of 128 bytes,
// 8-row swizzle atoms 1024 bytes apart (stride byte offset); the leading byte offset is unused (1).
// The low word holds the address (>> 4, 14 bits) and the leading byte offset; the high word (stride
// byte offset and swizzle mode) is the same for every tile, so stepping through stages, sub-tiles
// and k steps is a 32-bit add to the low word (shared addresses stay below 2^18: no carry out).
constexpr uint32_t WGMMA_DESC_HI = (1024 >> 4) | (1u << 30);
__device__ __forceinline__ uint32_t wgmma_desc_lo(uint32_t addr) { return ((addr & 0x3FFFF) >> 4) | (1u << 16); }
__device__ __forceinline__ uint64_t wgmma_desc(uint32_t lo) { return (uint64_t(WGMMA_DESC_HI) << 32) | lo; }
${WGMMA_SYNC}template <uint32_t R> __device__ __forceinline__ void regs_dec() { asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;" :: "n"(R)); }
template <uint32_t R> __device__ __forceinline__ void regs_inc() { asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;" :: "n"(R)); }
__device__ __forceinline__ uint32_t cluster_cta_rank() {
  uint32_t rank;
  asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(rank));
  return rank;
}
__device__ __forceinline__ void cluster_sync() {
  asm volatile("barrier.cluster.arrive.release.aligned;\nbarrier.cluster.wait.acquire.aligned;" ::: "memory");
}
`;

/**
 * `wgmma_m64n{n}k32(d, descA, descB, accumulate)`: one m64 x n x k32 e4m3 product into n/2 f32
 * registers per thread; accumulate=0 overwrites d (the first K step of a block).
 */
export function wgmmaWrapper(n: number): string {
  const regs = n / 2;
  const list = Array.from({ length: regs }, (_, i) => `%${i}`).join(', ');
  const operands = Array.from({ length: regs }, (_, i) => `"+f"(d[${i}])`).join(', ');
  return [
    `__device__ __forceinline__ void wgmma_m64n${n}k32(float* d, uint64_t descA, uint64_t descB, uint32_t accumulate) {`,
    `  asm volatile("{\\n.reg .pred p;\\nsetp.ne.b32 p, %${regs + 2}, 0;\\n"`,
    `               "wgmma.mma_async.sync.aligned.m64n${n}k32.f32.e4m3.e4m3 {${list}}, %${regs}, %${regs + 1}, p, 1, 1;\\n}\\n"`,
    `               : ${operands}`,
    `               : "l"(descA), "l"(descB), "r"(accumulate));`,
    `}`,
  ].join('\n');
}
