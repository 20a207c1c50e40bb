// The CUDA text of the WGMMA MLA split kernel with the page's tokens as the MMA's M (config scores:
// 'transposed', at most 32 query rows a CTA): S^T = K q^T (m64 = the page's 64 tokens, n = the query
// rows rounded up to 8, k = the 576 dims; both operands K-major from shared memory) and O^T = V^T P^T
// (m64 = 64 value dims, eight tiles; A the page's value boxes read MN-major, that is transposed; B the
// probabilities, written to shared memory K-major). At 16 heads and s_q 1 the row-major kernels pad
// 16 query rows to WGMMA's 64 and spend 4x the tensor work the rows need; here the padding is to 8.
//
// The two warpgroups take the split's pages in turn, each in its own stage (warpgroup w: pages
// t0 + w, t0 + w + 2, ...; stage w), each with its own running maxima, sums and O^T over all 512 value
// dims, so no state crosses warpgroups while they walk; at the end of the piece the two are merged in
// shared memory (warpgroup 1 hands over its O^T, maxima and sums; warpgroup 0 writes the rows). A
// column's (query row's) maximum over the page's 64 tokens is reduced over the lanes that hold it and
// then over the warpgroup's four warps in shared memory (one named barrier a page); the sums stay per
// thread until the end. Each page's next page of the same warpgroup is loaded as soon as its p.v is
// done: with two stages, one a warpgroup, a warpgroup's load latency is hidden only by the other's
// work, which at these row counts is short beside the page's bytes.
//
// Shared memory: the two stages (1024-aligned), q^T (nine boxes of n x 128 bytes, swizzled like the
// cache's boxes), a P^T tile per warpgroup (n x 128 bytes), the stages' barriers and the reduction
// area. Nothing here has run on a GPU yet.
import type { CudaDecodeConfig } from './config.ts';
import { BF16_CACHE, boxProducts, kernelOpening, list, outs, TILE_BYTES, WGMMA_THREADS, WRAPPERS, zeroPastLength } from './wgmma-parts.ts';

/** The query rows rounded up to WGMMA's n step (8): the MMA's n. */
export const transposedColumns = (rows: number): number => Math.ceil(rows / 8) * 8;

/** Shared memory: two stages, q^T, two P^T tiles, 64 bytes of barriers, the reduction area (2 x 4 warps x n floats, twice), 1024 of alignment slack. */
export const transposedSharedBytes = (rows: number): number => {
  const n = transposedColumns(rows);
  return 2 * TILE_BYTES + 9 * n * 128 + 2 * n * 128 + 64 + 2 * 2 * 4 * n * 4 + 1024;
};

const wrappers = (n: number): string => String.raw`// S^T (64 tokens x ${n} rows) += K (64 tokens x k16) . q^T: both from shared memory, K-major.
__device__ __forceinline__ void wgmma_sT(float* d, uint64_t descA, uint64_t descB, uint32_t accumulate) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %${n / 2 + 2}, 0;\n"
               "wgmma.mma_async.sync.aligned.m64n${n}k16.f32.bf16.bf16 {${list(n / 2)}}, %${n / 2}, %${n / 2 + 1}, p, 1, 1, 0, 0;\n}\n"
               : ${outs(n / 2)}
               : "l"(descA), "l"(descB), "r"(accumulate));
}
// O^T (64 value dims x ${n} rows) += V^T (64 dims x k16 tokens, MN-major: transposed) . P^T (k16 tokens x ${n}, K-major).
__device__ __forceinline__ void wgmma_oT(float* d, uint64_t descA, uint64_t descB) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, 1, 0;\n"
               "wgmma.mma_async.sync.aligned.m64n${n}k16.f32.bf16.bf16 {${list(n / 2)}}, %${n / 2}, %${n / 2 + 1}, p, 1, 1, 1, 0;\n}\n"
               : ${outs(n / 2)}
               : "l"(descA), "l"(descB));
}
// Pins accumulator registers here (an empty asm that reads and writes each): their rescale stays before
// the products' fence and their next use after the wait, where ptxas would otherwise inject arrives.
template <int N> __device__ __forceinline__ void pin(float* a) {
#pragma unroll
  for (int i = 0; i < N; ++i) asm volatile("" : "+f"(a[i]) :: "memory");
}
// One warpgroup's own barrier (128 threads), 2 + wg.
__device__ __forceinline__ void warpgroup_sync(int id) { asm volatile("bar.sync %0, 128;" :: "r"(id) : "memory"); }
`;

/** The split kernel's text; `item` opens the loop over the CTA's pieces (kernel.ts's even or balanced plan). */
export function transposedSplitKernel(c: CudaDecodeConfig, rows: number, item: string, entry: string): string {
  const n = transposedColumns(rows);
  const regs = n / 2;
  const mask = c.fault === 'no-mask' ? '64 + 0 * visible' : 'visible';
  return `${WRAPPERS}${wrappers(n)}#define NQ ${n}
#define NR ${regs}
#define QBOX (NQ * 128)
${kernelOpening(entry, `
  uint8_t* qT = smem + TILE_BYTES * STAGES;  // after the stages (the layout's q slot holds stage 0)
  uint8_t* pT = qT + 9 * QBOX;  // warpgroup w's P^T at pT + w * QBOX
  float* red = reinterpret_cast<float*>(pT + 2 * QBOX + 64);  // [2 rounds][2 warpgroups][4 warps][NQ]`, '  const int me = threadIdx.x % 128;\n', {
    ...BF16_CACHE,
    layout: `  uint8_t* smem = smem_raw + ((1024 - (smem_addr(smem_raw) & 1023)) & 1023);
  uint8_t* stageBase = smem;
  uint64_t* full = reinterpret_cast<uint64_t*>(smem + TILE_BYTES * STAGES + 9 * ${n} * 128 + 2 * ${n} * 128);`,
  })}  if (threadIdx.x == 0) {
    for (int st = 0; st < STAGES; ++st) mbar_init(&full[st], 1);
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();
  int walked = 0;  // pages this warpgroup has walked: its stage's phase
  ${item}
  ${c.fault === 'drop-last-tile' ? 'if (t1 > t0) --t1;  // fault: the split loses its last tile' : ''}
  __syncthreads();  // the previous piece's last reads of q^T and of the merge area
  // q^T: row n's 16-byte chunk c (dims 8c ..) at chunk (c % 8) ^ (n % 8) of box c / 8; rows past ROWS zero.
  for (int i = threadIdx.x; i < NQ * 72; i += ${WGMMA_THREADS}) {
    const int r = i / 72, ch = i % 72;
    uint4 v = make_uint4(0, 0, 0, 0);
    if (r < ROWS) v = reinterpret_cast<const uint4*>(q + ((static_cast<size_t>(b) * SQ + r / HPC) * H + head0 + r % HPC) * DK)[ch];
    *reinterpret_cast<uint4*>(qT + (ch / 8) * QBOX + r * 128 + (((ch % 8) ^ (r % 8)) * 16)) = v;
  }
  fence_proxy_async_shared();
  __syncthreads();
  uint8_t* kt = stageBase + wg * TILE_BYTES;
  // A page's nine boxes into this warpgroup's stage, by its first thread.
  auto issue = [&](int tile) {
    const int page = blockTable[static_cast<size_t>(b) * maxPages + tile];
    mbar_expect_tx(&full[wg], TILE_BYTES);
    for (int box = 0; box < 9; ++box) tma_load_2d(kt + box * BOX_BYTES, &kvMap, &full[wg], box * 64, page * 64);
  };
  if (me == 0 && t0 + wg < t1) issue(t0 + wg);
  // This thread's columns (query rows) 8j + 2t + e, j < NQ / 8: their running maxima and partial sums.
  float colMax[NQ / 4], colSum[NQ / 4];
#pragma unroll
  for (int k = 0; k < NQ / 4; ++k) {
    colMax[k] = -INFINITY;
    colSum[k] = 0.f;
  }
  float oT[8 * NR];  // O^T: value dims 64 d + 16 warp + g (+ 8), this thread's columns
#pragma unroll
  for (int i = 0; i < 8 * NR; ++i) oT[i] = 0.f;
  for (int tile = t0 + wg; tile < t1; tile += 2, ++walked) {
    mbar_wait(&full[wg], walked & 1);
    const int valid = len - tile * 64;
${zeroPastLength('me', 128, 'warpgroup_sync(2 + wg)')}${boxProducts('float sT[NR];', 'wgmma_sT', 'sT', 'kt', 'BOX_BYTES', 'qT', 'QBOX')}    // Tokens 64 tile + 16 warp + g + 8h; a column's visible count, scores past it -inf, the exp2 domain;
    // each warp's maximum per column into the reduction area.
#pragma unroll
    for (int j = 0; j < NQ / 8; ++j)
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        const int col = 8 * j + 2 * t + e;
        const int visible = (col < ROWS ? len - SQ + 1 + col / HPC : 0) - tile * 64;
        const int limit = ${mask};
        float mx = -INFINITY;
#pragma unroll
        for (int h = 0; h < 2; ++h) {
          const float v = 16 * warp + g + 8 * h < limit ? sT[4 * j + 2 * h + e] * SCALE_LOG2 : -INFINITY;
          sT[4 * j + 2 * h + e] = v;
          mx = fmaxf(mx, v);
        }
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 4));
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 8));
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 16));
        if (g == 0) red[(wg * 4 + warp) * NQ + col] = mx;
      }
    warpgroup_sync(2 + wg);
    // The page's maximum per column over the four warps; probabilities, the running sums, O^T rescaled;
    // P^T into this warpgroup's tile (token chunk token / 8 of row col at chunk (token / 8) ^ (col % 8)).
    uint8_t* myP = pT + wg * QBOX;
#pragma unroll
    for (int j = 0; j < NQ / 8; ++j)
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        const int col = 8 * j + 2 * t + e, k = 2 * j + e;
        float mx = red[(wg * 4) * NQ + col];
#pragma unroll
        for (int w = 1; w < 4; ++w) mx = fmaxf(mx, red[(wg * 4 + w) * NQ + col]);
        const float mNew = fmaxf(colMax[k], mx);
        const float alpha = mNew == -INFINITY ? 1.f : exp2f(colMax[k] - mNew);
        colMax[k] = mNew;
        float sum = 0.f;
#pragma unroll
        for (int h = 0; h < 2; ++h) {
          const float v = sT[4 * j + 2 * h + e];
          const float p = v == -INFINITY ? 0.f : __bfloat162float(__float2bfloat16_rn(exp2f(v - mNew)));
          sum += p;
          const int token = 16 * warp + g + 8 * h;
          *reinterpret_cast<__nv_bfloat16*>(myP + col * 128 + (((token / 8) ^ (col % 8)) * 16) + (token % 8) * 2) = __float2bfloat16_rn(p);
        }
        colSum[k] = colSum[k] * alpha + sum;
#pragma unroll
        for (int d = 0; d < 8; ++d)
#pragma unroll
          for (int h = 0; h < 2; ++h) oT[d * NR + 4 * j + 2 * h + e] *= alpha;
      }
    fence_proxy_async_shared();
    warpgroup_sync(2 + wg);  // P^T written; the reduction area free for the next page
    pin<8 * NR>(oT);
    wgmma_fence();
#pragma unroll
    for (int d = 0; d < 8; ++d)
#pragma unroll
      for (int kk = 0; kk < 4; ++kk) wgmma_oT(oT + d * NR, desc_mn_major(kt + d * BOX_BYTES + kk * 2048), desc_k_major(myP + kk * 32));
    wgmma_commit();
    wgmma_wait_all();
    pin<8 * NR>(oT);
    warpgroup_sync(2 + wg);  // the stage and P^T read by all four warps' products
    if (me == 0 && tile + 2 < t1) issue(tile + 2);
  }
  // The piece's end: each column's sum over the warpgroup (lanes g, then warps), then the two
  // warpgroups merged: warpgroup 1's maxima, sums and O^T through shared memory (the stages, no page
  // in flight now), warpgroup 0 writing the rows.
  float* sums = red + 2 * 4 * NQ;  // [2 warpgroups][4 warps][NQ]
#pragma unroll
  for (int k = 0; k < NQ / 4; ++k) {
    float s = colSum[k];
    s += __shfl_xor_sync(0xffffffffu, s, 4);
    s += __shfl_xor_sync(0xffffffffu, s, 8);
    s += __shfl_xor_sync(0xffffffffu, s, 16);
    if (g == 0) sums[(wg * 4 + warp) * NQ + 8 * (k / 2) + 2 * t + k % 2] = s;
  }
  __syncthreads();
  float* handed = reinterpret_cast<float*>(stageBase);  // [8 NR][128 threads]: warpgroup 1's O^T
  float* handedMax = handed + 8 * NR * 128;  // [NQ]
  if (wg == 1) {
#pragma unroll
    for (int i = 0; i < 8 * NR; ++i) handed[i * 128 + me] = oT[i];
    if (warp == 0 && g == 0)
#pragma unroll
      for (int k = 0; k < NQ / 4; ++k) handedMax[8 * (k / 2) + 2 * t + k % 2] = colMax[k];
  }
  __syncthreads();
  if (wg == 0) {
#pragma unroll
    for (int j = 0; j < NQ / 8; ++j)
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        const int col = 8 * j + 2 * t + e, k = 2 * j + e;
        if (col >= ROWS) continue;
        float l0 = 0.f, l1 = 0.f;
#pragma unroll
        for (int w = 0; w < 4; ++w) {
          l0 += sums[w * NQ + col];
          l1 += sums[(4 + w) * NQ + col];
        }
        const float m1 = handedMax[col], m = fmaxf(colMax[k], m1);
        const float f0 = m == -INFINITY ? 0.f : exp2f(colMax[k] - m), f1 = m == -INFINITY ? 0.f : exp2f(m1 - m);
        const float l = f0 * l0 + f1 * l1;
        const float inv = l > 0.f ? 1.f / l : 0.f;
        const size_t inBatch = (col / HPC) * H + head0 + col % HPC, row = static_cast<size_t>(b) * SQ * H + inBatch;
        float* out = nSplits == 1 ? o + row * DV : oPart + ((firstSlot + split) * SQ * H + inBatch) * DV;
#pragma unroll
        for (int d = 0; d < 8; ++d)
#pragma unroll
          for (int h = 0; h < 2; ++h) {
            const int i = d * NR + 4 * j + 2 * h + e;
            out[64 * d + 16 * warp + g + 8 * h] = (f0 * oT[i] + f1 * handed[i * 128 + me]) * inv;
          }
        if (warp == 0 && g == 0) {
          const float value = l > 0.f ? (m + log2f(l)) * 0.6931471805599453f : -INFINITY;
          if (nSplits == 1) lse[row] = value;
          else lsePart[(firstSlot + split) * SQ * H + inBatch] = value;
        }
      }
  }
  }  // the CTA's pieces
}
`;
}
