// The CUDA text of the WGMMA MLA split kernel over the FP8 latent cache (config kernel: 'wgmma',
// cache: 'fp8'): each 64-token page's 656-byte rows (512 e4m3 values, 4 f32 scales, 64 RoPE values in
// bf16; workload.ts) come in by one bulk copy (cp.async.bulk, 41,984 bytes) into a raw stage; all 256
// threads then write the page in bf16 into the one swizzled tile the WGMMA products read (code x
// scale rounded once, as the workload's bf16 cache holds it; zeros past the length, where the cache
// holds NaN), and the raw stage goes back to the next page at once. The products and the softmax are
// the bf16 kernel's with the scores whole (wgmma-parts.ts).
//
// Shared memory: the raw stages first (16-byte aligned is all a bulk copy needs), their barriers, then
// q and the bf16 tile at the next 1024-byte boundary (the 128-byte swizzle's atom). Two stages and the
// two tiles fill 232,448 bytes with 960 to spare for that boundary, which is what a 1024-aligned
// dynamic base needs; a base that would need more traps rather than overrun.
import type { CudaDecodeConfig } from './config.ts';
import { FP8_ROPE_OFFSET, FP8_ROW_BYTES, FP8_SCALES_OFFSET } from './workload.ts';
import { kernelOpening, loadQ, PAGE_LOOP, pageScores, pageSoftmax, TILE_BYTES, WGMMA_THREADS, WRAPPERS, writeOutputs } from './wgmma-parts.ts';

/** A page's FP8 rows, as the bulk copy brings them. */
export const RAW_PAGE_BYTES = 64 * FP8_ROW_BYTES;
/** What the 1024-byte boundary after the raw stages and barriers may take. */
const ALIGN_SPARE = 960;

/** Shared memory of the FP8 variant: raw stages, barriers, the boundary's spare, q and the bf16 tile. */
export const fp8WgmmaSharedBytes = (c: Pick<CudaDecodeConfig, 'stages'>): number => c.stages * RAW_PAGE_BYTES + 64 + ALIGN_SPARE + 2 * TILE_BYTES;

const FP8_CACHE = {
  parameter: 'const uint8_t* __restrict__ cacheFp8',
  layout: `  uint8_t* raw = smem_raw;
  uint64_t* full = reinterpret_cast<uint64_t*>(raw + STAGES * RAW_BYTES);
  const uint32_t tail = smem_addr(raw + STAGES * RAW_BYTES + 64);
  const uint32_t pad = (1024 - (tail & 1023)) & 1023;
  if (pad > ${ALIGN_SPARE}) __trap();  // the dynamic base is not aligned as the size assumed
  uint8_t* qs = raw + STAGES * RAW_BYTES + 64 + pad;
  uint8_t* kt = qs + TILE_BYTES;`,
};

const BULK = String.raw`// One bulk copy of a page's rows (size a multiple of 16), completing bytes on a barrier.
__device__ __forceinline__ void bulk_load(void* dst, const void* src, uint32_t bytes, uint64_t* bar) {
  asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];"
               :: "r"(smem_addr(dst)), "l"(src), "r"(bytes), "r"(smem_addr(bar)) : "memory");
}
`;

/** The split kernel's text; `item` opens the loop over the CTA's pieces (kernel.ts's even or balanced plan). */
export function fp8SplitKernel(c: CudaDecodeConfig, item: string, entry: string): string {
  const mask = c.fault === 'no-mask' ? '64 + 0 * visible' : 'visible - tile * 64';
  return `${WRAPPERS}${BULK}#define RAW_BYTES ${RAW_PAGE_BYTES}
${kernelOpening(entry, '', '', FP8_CACHE)}  if (threadIdx.x == 0) {
    for (int st = 0; st < STAGES; ++st) mbar_init(&full[st], 1);
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();
  int used = 0;  // pages this CTA has consumed: raw stage used % STAGES, its phase (used / STAGES) & 1
  ${item}
  ${c.fault === 'drop-last-tile' ? 'if (t1 > t0) --t1;  // fault: the split loses its last tile' : ''}
  __syncthreads();  // the previous piece's last reads of q
${loadQ(WGMMA_THREADS)}  fence_proxy_async_shared();
  __syncthreads();
  auto issue = [&](int tile, int st) {
    const int page = blockTable[static_cast<size_t>(b) * maxPages + tile];
    mbar_expect_tx(&full[st], RAW_BYTES);
    bulk_load(raw + st * RAW_BYTES, cacheFp8 + static_cast<size_t>(page) * RAW_BYTES, RAW_BYTES, &full[st]);
  };
  if (threadIdx.x == 0)
    for (int k = 0; k < STAGES && t0 + k < t1; ++k) issue(t0 + k, (used + k) % STAGES);

${PAGE_LOOP}    const uint8_t* page = raw + st * RAW_BYTES;
    const int valid = len - tile * 64;
    // The page in bf16, 16-byte chunk c (dims 8c ..) of row r at chunk c ^ (r % 8) of box c / 8.
    for (int i = threadIdx.x; i < 64 * 72; i += ${WGMMA_THREADS}) {
      const int r = i / 72, c = i % 72;
      uint4 v = make_uint4(0, 0, 0, 0);
      if (r < valid) {
        const uint8_t* row = page + r * ${FP8_ROW_BYTES};
        if (c < 64) {
          const uint2 codes = *reinterpret_cast<const uint2*>(row + 8 * c);
          const float scale = *reinterpret_cast<const float*>(row + ${FP8_SCALES_OFFSET} + 4 * (c / 16));
          uint32_t out[4];
#pragma unroll
          for (int k = 0; k < 4; ++k) {
            const uint32_t word = k < 2 ? codes.x : codes.y;
            __nv_fp8_e4m3 lo, hi;
            lo.__x = static_cast<__nv_fp8_storage_t>((word >> (16 * (k % 2))) & 0xff);
            hi.__x = static_cast<__nv_fp8_storage_t>((word >> (16 * (k % 2) + 8)) & 0xff);
            out[k] = pack_bf16(static_cast<float>(lo) * scale, static_cast<float>(hi) * scale);
          }
          v = make_uint4(out[0], out[1], out[2], out[3]);
        } else {
          v = *reinterpret_cast<const uint4*>(row + ${FP8_ROPE_OFFSET} + 16 * (c - 64));
        }
      }
      *reinterpret_cast<uint4*>(kt + (c / 8) * BOX_BYTES + r * 128 + (((c % 8) ^ (r % 8)) * 16)) = v;
    }
    fence_proxy_async_shared();
    __syncthreads();  // the tile is written; the raw stage is free
    if (threadIdx.x == 0 && tile + STAGES < t1) issue(tile + STAGES, st);
${pageScores('')}${pageSoftmax(mask, '', '')}    uint32_t pa[4][4];
#pragma unroll
    for (int kk = 0; kk < 4; ++kk)
#pragma unroll
      for (int i = 0; i < 4; ++i) pa[kk][i] = pack_bf16(sc[8 * kk + 2 * i], sc[8 * kk + 2 * i + 1]);
    wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) wgmma_pv(acc, pa[kk], desc_mn_major(kt + wg * 4 * BOX_BYTES + kk * 2048));
    wgmma_commit();
    wgmma_wait_all();
    __syncthreads();  // both warpgroups are done with the tile before the next page is written into it
  }
${writeOutputs('')}  }  // the CTA's pieces
}
`;
}
