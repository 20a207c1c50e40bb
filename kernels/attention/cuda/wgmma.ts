// The CUDA text of the WGMMA variant of MLA's split kernel (sm_90a; config kernel: 'wgmma'): two
// math warpgroups, 64 query rows a CTA (one m64 WGMMA tile), 64-token pages loaded whole by TMA
// (nine 64 x 64 bf16 boxes, 128-byte swizzled) into a two-stage mbarrier pipeline. Each warpgroup
// computes all of S = q.k^T (m64n64k16 over the 576 dims, both operands K-major from shared memory)
// and the same online softmax in registers, then its half of the 512 value dims, O += P.V with P
// from registers and V the page's first 512 dims read MN-major (transposed) from the same tiles.
// With `scores: 'whole'` (the default, verified on the H200) S is computed twice, once per warpgroup,
// so that no softmax state crosses warpgroups. With `scores: 'halves'` each warpgroup computes S for
// its 32 of the page's 64 tokens (m64n32k16: half the q.k work, which is 53% of the page's tensor
// work when S is computed once), and the two exchange through shared memory what crosses: each row's
// maximum over the tile (a named barrier), then the probabilities as the A fragments of their two
// k16 steps (a thread's fragments hold the same rows in both warpgroups, so thread i reads thread
// i's of the other warpgroup); both then keep the same running maximum, each its own running sum,
// added at the end. The last page's slots past the length hold NaN in the cache, and a TMA box is a
// whole page: those rows are zeroed in shared memory before the products read them.
import type { AttentionShape } from '../shape.ts';
import type { CudaDecodeConfig } from './config.ts';
import { ALTERNATING_SLOT_BYTES, alternatingSplitKernel, barrierBytes } from './wgmma-alternating.ts';
import { fp8SplitKernel, fp8WgmmaSharedBytes } from './wgmma-fp8.ts';
import { transposedSharedBytes, transposedSplitKernel } from './wgmma-transposed.ts';
import { BOX_BYTES, FIRST_PAGES, kernelOpening, PAGE_LOOP, list, loadQ, pageScores, pageSoftmax, WGMMA_THREADS, maskedScores, outs, probabilities, TILE_BYTES, WRAPPERS, writeOutputs, zeroPastLength } from './wgmma-parts.ts';

export { WGMMA_THREADS } from './wgmma-parts.ts';
/** The halves variant's exchange area: each row's maximum per warpgroup, then each thread's 8 probability words per warpgroup. */
const EXCHANGE_BYTES = 2 * 64 * 4 + 2 * 128 * 8 * 4;

/** Shared memory of the WGMMA kernel: q and the stages (1024-aligned swizzle atoms), barriers, the halves' exchange or the alternating slot, alignment slack. */
export const wgmmaSharedBytes = (c: Pick<CudaDecodeConfig, 'stages' | 'scores' | 'cache' | 'loads'>, rows: number): number =>
  c.cache === 'fp8' ? fp8WgmmaSharedBytes(c) : c.scores === 'transposed' ? transposedSharedBytes(rows) : TILE_BYTES * (1 + c.stages) + barrierBytes(c) + (c.scores === 'halves' ? EXCHANGE_BYTES : c.scores === 'alternating' ? ALTERNATING_SLOT_BYTES : 0) + 1024;


/** The halves variant's own wrappers (absent from the whole variant's text, which stays as measured). */
const HALVES_WRAPPERS = String.raw`// S half (m64 x 32 tokens) += q (m64 x k16) . keys^T: the halves variant's share of the page.
__device__ __forceinline__ void wgmma_qk32(float* d, uint64_t descA, uint64_t descB, uint32_t accumulate) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %18, 0;\n"
               "wgmma.mma_async.sync.aligned.m64n32k16.f32.bf16.bf16 {${list(16)}}, %16, %17, p, 1, 1, 0, 0;\n}\n"
               : ${outs(16)}
               : "l"(descA), "l"(descB), "r"(accumulate));
}
// Both warpgroups (256 threads) meet at named barrier 1, leaving barrier 0 to __syncthreads.
__device__ __forceinline__ void both_warpgroups() { asm volatile("bar.sync 1, 256;" ::: "memory"); }
`;

/** A tile's products and softmax when each warpgroup computes all of S (`scores: 'whole'`). */
const wholeTile = (mask: string): string => `${pageScores('')}${pageSoftmax(mask, '', '')}    uint32_t pa[4][4];
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) {
      pa[kk][0] = pack_bf16(sc[8 * kk + 0], sc[8 * kk + 1]);
      pa[kk][1] = pack_bf16(sc[8 * kk + 2], sc[8 * kk + 3]);
      pa[kk][2] = pack_bf16(sc[8 * kk + 4], sc[8 * kk + 5]);
      pa[kk][3] = pack_bf16(sc[8 * kk + 6], sc[8 * kk + 7]);
    }
    wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) wgmma_pv(acc, pa[kk], desc_mn_major(kt + wg * 4 * BOX_BYTES + kk * 2048));
    wgmma_commit();
    wgmma_wait_all();
`;

/**
 * A tile's products and softmax when each warpgroup computes S for its 32 tokens (`scores: 'halves'`):
 * the row maxima and then the probability fragments cross through `xMax` and `xP`.
 */
const halvesTile = (mask: string): string => `    float sc[16];
    wgmma_fence();
#pragma unroll
    for (int box = 0; box < 9; ++box)
#pragma unroll
      for (int k = 0; k < 4; ++k)
        wgmma_qk32(sc, desc_k_major(qs + box * BOX_BYTES + k * 32), desc_k_major(kt + box * BOX_BYTES + wg * 32 * 128 + k * 32), box | k);
    wgmma_commit();
    wgmma_wait_all();
    // Rows 16 warp + g (h = 0) and + 8 (h = 1); this thread's tokens 32 wg + 8j + 2t + e.
    float mine[2];
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int r = 16 * warp + g + 8 * h;
      const int visible = r < ROWS ? len - SQ + 1 + r / HPC : 0;
      const int limit = ${mask};
${maskedScores(4, '32 * wg + ')}      mine[h] = quad_max(mx);
      if (t == 0) xMax[wg * 64 + r] = mine[h];
    }
    both_warpgroups();
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int r = 16 * warp + g + 8 * h;
      const float mNew = fmaxf(rowMax[h], fmaxf(mine[h], xMax[(1 - wg) * 64 + r]));
${probabilities(4)}    }
    // This warpgroup's two k16 steps of P (tokens 32 wg + 16 kk ..), and the other's, by the same thread of it.
    uint32_t own[2][4], other[2][4];
    const int me = threadIdx.x % 128;
#pragma unroll
    for (int kk = 0; kk < 2; ++kk)
#pragma unroll
      for (int i = 0; i < 4; ++i) {
        own[kk][i] = pack_bf16(sc[8 * kk + 2 * i], sc[8 * kk + 2 * i + 1]);
        xP[((kk * 4 + i) * 2 + wg) * 128 + me] = own[kk][i];
      }
    both_warpgroups();
#pragma unroll
    for (int kk = 0; kk < 2; ++kk)
#pragma unroll
      for (int i = 0; i < 4; ++i) other[kk][i] = xP[((kk * 4 + i) * 2 + (1 - wg)) * 128 + me];
    wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < 2; ++kk) wgmma_pv(acc, own[kk], desc_mn_major(kt + wg * 4 * BOX_BYTES + (32 * wg + 16 * kk) * 128));
#pragma unroll
    for (int kk = 0; kk < 2; ++kk) wgmma_pv(acc, other[kk], desc_mn_major(kt + wg * 4 * BOX_BYTES + (32 * (1 - wg) + 16 * kk) * 128));
    wgmma_commit();
    wgmma_wait_all();
`;

/** The split kernel's text; `item` opens the loop over the CTA's pieces (kernel.ts's even or balanced plan). */
export function wgmmaSplitKernel(s: AttentionShape, c: CudaDecodeConfig, item: string, entry: string): string {
  if (c.cache === 'fp8') return fp8SplitKernel(c, item, entry);
  if (c.scores === 'alternating') return alternatingSplitKernel(c, item, entry);
  if (c.scores === 'transposed') return transposedSplitKernel(c, s.queryTokens * c.headsPerCta, item, entry);
  const mask = c.fault === 'no-mask' ? '64 + 0 * visible' : 'visible - tile * 64';
  return `${WRAPPERS}${c.scores === 'halves' ? HALVES_WRAPPERS : ''}
${kernelOpening(entry, c.scores === 'halves' ? `
  float* xMax = reinterpret_cast<float*>(smem + TILE_BYTES * (1 + STAGES) + 64);
  uint32_t* xP = reinterpret_cast<uint32_t*>(smem + TILE_BYTES * (1 + STAGES) + 64 + 2 * 64 * 4);` : '', '')}  if (threadIdx.x == 0) {
    for (int st = 0; st < STAGES; ++st) mbar_init(&full[st], 1);
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();
  int used = 0;  // tiles this CTA has consumed: stage used % STAGES, its phase (used / STAGES) & 1
  ${item}
  ${c.fault === 'drop-last-tile' ? 'if (t1 > t0) --t1;  // fault: the split loses its last tile' : ''}
  __syncthreads();  // the previous piece's last reads of q
  // q rows into nine 128-byte-swizzled boxes (16-byte chunk c of row r at chunk c ^ (r % 8)).
${loadQ(WGMMA_THREADS)}  fence_proxy_async_shared();
  __syncthreads();
${FIRST_PAGES}
${PAGE_LOOP}    uint8_t* kt = stageBase + st * TILE_BYTES;
    const int valid = len - tile * 64;
${zeroPastLength('threadIdx.x', WGMMA_THREADS, '__syncthreads()')}${c.scores === 'halves' ? halvesTile(mask) : wholeTile(mask)}    __syncthreads();  // both warpgroups are done with the stage
    if (threadIdx.x == 0 && tile + STAGES < t1) issue(tile + STAGES, st);
  }
${c.scores === 'halves' ? `  // Each warpgroup summed its own tokens' probabilities: a row's sum is both.
  __syncthreads();
#pragma unroll
  for (int h = 0; h < 2; ++h)
    if (t == 0) xMax[wg * 64 + 16 * warp + g + 8 * h] = rowSum[h];
  __syncthreads();
#pragma unroll
  for (int h = 0; h < 2; ++h) rowSum[h] += xMax[(1 - wg) * 64 + 16 * warp + g + 8 * h];
` : ''}${writeOutputs('')}  }  // the CTA's pieces
}
`;
}
