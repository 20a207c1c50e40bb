// The pieces of CUDA text the WGMMA decode kernels share (wgmma.ts: both warpgroups on every page;
// wgmma-alternating.ts: the warpgroups take the pages' scores in turn): the PTX wrappers and matrix
// descriptors, the page's geometry in shared memory, q's rows into the swizzled boxes, the zeroing of
// a last page's slots past the length, the masked scores and the online softmax of one row, and the
// outputs (O and the LSE, or the split's partials).
import { FENCE_PROXY_ASYNC, MBARRIER_EXPECT_TX, MBARRIER_WAIT, TMA_LOAD_2D, WGMMA_SYNC } from '../../cuda-ptx.ts';

/** Two math warpgroups. */
export const WGMMA_THREADS = 256;
export const BOX_BYTES = 64 * 128;
export const TILE_BYTES = 9 * BOX_BYTES;


export const list = (n: number, from = 0): string => Array.from({ length: n }, (_, i) => `%${i + from}`).join(',');
export const outs = (n: number): string => Array.from({ length: n }, (_, i) => `"+f"(d[${i}])`).join(', ');

export const WRAPPERS = String.raw`
${MBARRIER_WAIT}${MBARRIER_EXPECT_TX}${TMA_LOAD_2D}${FENCE_PROXY_ASYNC}${WGMMA_SYNC}// Matrix descriptors, 128-byte swizzle (mode 1 in bits 62-63). K-major (q and keys): 8-row atoms
// 1024 bytes apart (stride byte offset), leading offset unused. MN-major (values, transposed): the
// next 64 value dims are the next box, 8192 bytes on (leading byte offset); the next 8 tokens are
// 1024 bytes on (stride byte offset).
__device__ __forceinline__ uint64_t desc_k_major(const void* p) {
  return (uint64_t((1024 >> 4) | (1u << 30)) << 32) | ((smem_addr(p) & 0x3FFFF) >> 4) | (1u << 16);
}
__device__ __forceinline__ uint64_t desc_mn_major(const void* p) {
  return (uint64_t((1024 >> 4) | (1u << 30)) << 32) | ((smem_addr(p) & 0x3FFFF) >> 4) | ((${BOX_BYTES} >> 4) << 16);
}
// S (m64 x 64 tokens) += q (m64 x k16) . keys^T: both from shared memory, K-major.
__device__ __forceinline__ void wgmma_qk(float* d, uint64_t descA, uint64_t descB, uint32_t accumulate) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %34, 0;\n"
               "wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {${list(32)}}, %32, %33, p, 1, 1, 0, 0;\n}\n"
               : ${outs(32)}
               : "l"(descA), "l"(descB), "r"(accumulate));
}
// O (m64 x 256 value dims) += P (m64 x k16 tokens, registers) . V (k16 x 256, shared memory, MN-major).
__device__ __forceinline__ void wgmma_pv(float* d, const uint32_t* a, uint64_t descB) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, 1, 0;\n"
               "wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 {${list(128)}}, {%128,%129,%130,%131}, %132, p, 1, 1, 1;\n}\n"
               : ${outs(128)}
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(descB));
}
__device__ __forceinline__ uint32_t pack_bf16(float lo, float hi) {
  const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
  return *reinterpret_cast<const uint32_t*>(&v);
}
__device__ __forceinline__ float quad_max(float v) {
  v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 1));
  return fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 2));
}
__device__ __forceinline__ float quad_sum(float v) {
  v += __shfl_xor_sync(0xffffffffu, v, 1);
  return v + __shfl_xor_sync(0xffffffffu, v, 2);
}
`;

/** The bf16 cache's kernel parameter (a tensor map of 64 x 64 boxes) and shared-memory layout: q, the stages, their full barriers. */
export const BF16_CACHE = {
  parameter: 'const __grid_constant__ CUtensorMap kvMap',
  layout: `  uint8_t* smem = smem_raw + ((1024 - (smem_addr(smem_raw) & 1023)) & 1023);
  uint8_t* qs = smem;
  uint8_t* stageBase = smem + TILE_BYTES;
  uint64_t* full = reinterpret_cast<uint64_t*>(smem + TILE_BYTES * (1 + STAGES));`,
};

/**
 * The split kernel's name, parameters and shared-memory layout up to the stages' full barriers, then
 * `pointers` (the variant's own areas after them), the thread's place, `indices` and the end of the opening.
 */
export const kernelOpening = (entry: string, pointers: string, indices: string, cache = BF16_CACHE): string => `#define TILE_BYTES ${TILE_BYTES}
#define BOX_BYTES ${BOX_BYTES}
extern "C" __global__ void __launch_bounds__(${WGMMA_THREADS}, 1) ${entry}(
    const uint16_t* __restrict__ q, ${cache.parameter},
    const int* __restrict__ blockTable, const int* __restrict__ lengths,
    float* __restrict__ o, float* __restrict__ lse, float* __restrict__ oPart, float* __restrict__ lsePart,
    const int* __restrict__ plan, int H, int group, int maxPages, int splits, int batch) {
  extern __shared__ uint8_t smem_raw[];
${cache.layout}${pointers}
  const int head0 = blockIdx.y * HPC;
  const int wg = threadIdx.x / 128, warp = (threadIdx.x % 128) / 32, lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
${indices}  (void)group;
`;

/** \`issue(tile, st)\`: a page's nine TMA boxes into stage st, on its full barrier; the piece's first pages issued by thread 0. */
export const FIRST_PAGES = `  auto issue = [&](int tile, int st) {
    const int page = blockTable[static_cast<size_t>(b) * maxPages + tile];
    mbar_expect_tx(&full[st], TILE_BYTES);
    for (int box = 0; box < 9; ++box) tma_load_2d(stageBase + st * TILE_BYTES + box * BOX_BYTES, &kvMap, &full[st], box * 64, page * 64);
  };
  if (threadIdx.x == 0)
    for (int k = 0; k < STAGES && t0 + k < t1; ++k) issue(t0 + k, (used + k) % STAGES);
`;

/**
 * A product over the 576 dims (nine 64-dim boxes, four k16 steps each) into \`acc\` (declared by
 * \`declaration\`), both operands K-major and swizzled: A the boxes at \`a\` (\`aBox\` bytes apart), B at
 * \`b\` (\`bBox\` apart); issued by \`wrapper\`, waited for.
 */
export const boxProducts = (declaration: string, wrapper: string, acc: string, a: string, aBox: string, b: string, bBox: string): string => `    ${declaration}
    wgmma_fence();
#pragma unroll
    for (int box = 0; box < 9; ++box)
#pragma unroll
      for (int k = 0; k < 4; ++k)
        ${wrapper}(${acc}, desc_k_major(${a} + box * ${aBox} + k * 32), desc_k_major(${b} + box * ${bBox} + k * 32), box | k);
    wgmma_commit();
    wgmma_wait_all();
`;

/** The page's scores S = q.k^T, m64n64k16 over the 576 dims into \`sc\` (both operands K-major, swizzled), waited for; lines indented by \`indent\` more. */
export const pageScores = (indent: string): string =>
  boxProducts('float sc[32];', 'wgmma_qk', 'sc', 'qs', 'BOX_BYTES', 'kt', 'BOX_BYTES').replace(/^(?=.)/gm, indent);

/** The online softmax of a whole page's scores, each thread's two rows, then \`publish\` per row (see probabilities); indented by \`indent\` more. */
export const pageSoftmax = (mask: string, publish: string, indent: string, deferRescale = false): string => `    // Rows 16 warp + g (h = 0) and + 8 (h = 1); this thread's columns 8j + 2t + e.
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int r = 16 * warp + g + 8 * h;
      const int visible = r < ROWS ? len - SQ + 1 + r / HPC : 0;
      const int limit = ${mask};
${maskedScores(8, '')}      mx = quad_max(mx);
      const float mNew = fmaxf(rowMax[h], mx);
${probabilities(8, publish, deferRescale)}    }
`.replace(/^(?=.)/gm, indent);

/** O, the running maxima and sums zeroed, then the loop over the piece's pages, each waited for in its stage. */
export const PAGE_LOOP = `  float acc[128];
#pragma unroll
  for (int i = 0; i < 128; ++i) acc[i] = 0.f;
  float rowMax[2] = {-INFINITY, -INFINITY}, rowSum[2] = {0.f, 0.f};
  for (int tile = t0; tile < t1; ++tile, ++used) {
    const int st = used % STAGES;
    mbar_wait(&full[st], (used / STAGES) & 1);
`;

/** q's rows into nine 128-byte-swizzled boxes, by `threads` threads (16-byte chunk c of row r at chunk c ^ (r % 8)). */
export const loadQ = (threads: number): string => `  for (int i = threadIdx.x; i < 64 * 72; i += ${threads}) {
    const int r = i / 72, c = i % 72;
    uint4 v = make_uint4(0, 0, 0, 0);
    if (r < ROWS) v = reinterpret_cast<const uint4*>(q + ((static_cast<size_t>(b) * SQ + r / HPC) * H + head0 + r % HPC) * DK)[c];
    *reinterpret_cast<uint4*>(qs + (c / 8) * BOX_BYTES + r * 128 + (((c % 8) ^ (r % 8)) * 16)) = v;
  }
`;

/** The stage's slots past the length zeroed (the cache holds NaN there) by thread `index` of `threads`, then `sync`. */
export const zeroPastLength = (index: string, threads: number, sync: string): string => `    if (valid < 64) {
      for (int i = ${index}; i < (64 - valid) * 72; i += ${threads}) {
        const int r = valid + i / 72, c = i % 72;
        *reinterpret_cast<uint4*>(kt + (c / 8) * BOX_BYTES + r * 128 + (c % 8) * 16) = make_uint4(0, 0, 0, 0);
      }
      fence_proxy_async_shared();
      ${sync};
    }
`;

/** Row h's scores (`n` pairs a thread) in the exp2 domain, those past the visible count -inf, and their maximum `mx`; `first` offsets the thread's tokens. */
export const maskedScores = (n: number, first: string): string => `      float mx = -INFINITY;
#pragma unroll
      for (int j = 0; j < ${n}; ++j)
#pragma unroll
        for (int e = 0; e < 2; ++e) {
          const float v = ${first}8 * j + 2 * t + e < limit ? sc[4 * j + 2 * h + e] * SCALE_LOG2 : -INFINITY;
          sc[4 * j + 2 * h + e] = v;
          mx = fmaxf(mx, v);
        }
`;

/**
 * Row h's probabilities against the new maximum `mNew` (rounded to bf16 as P.V reads them), the running
 * sum and maximum, and O rescaled (or, with `deferRescale`, alpha kept in `rescale[h]` for later, while a
 * p.v into O is in flight); then `publish`, which sees `alpha`, `mNew` and the tile's row sum `tileSum`.
 */
export const probabilities = (n: number, publish = '', deferRescale = false): string => `      const float alpha = mNew == -INFINITY ? 1.f : exp2f(rowMax[h] - mNew);
      float sum = 0.f;
#pragma unroll
      for (int j = 0; j < ${n}; ++j)
#pragma unroll
        for (int e = 0; e < 2; ++e) {
          const float v = sc[4 * j + 2 * h + e];
          const float p = v == -INFINITY ? 0.f : __bfloat162float(__float2bfloat16_rn(exp2f(v - mNew)));
          sc[4 * j + 2 * h + e] = p;
          sum += p;
        }
${publish ? '      const float tileSum = quad_sum(sum);\n      rowSum[h] = rowSum[h] * alpha + tileSum;\n' : '      rowSum[h] = rowSum[h] * alpha + quad_sum(sum);\n'}      rowMax[h] = mNew;
${deferRescale ? '      rescale[h] = alpha;\n' : `#pragma unroll
      for (int j = 0; j < 32; ++j) {
        acc[4 * j + 2 * h] *= alpha;
        acc[4 * j + 2 * h + 1] *= alpha;
      }
`}${publish}`;

/** Each thread's rows of O (its warpgroup's 256 value dims) and, from warpgroup 0, the LSE: the whole or the split's partial. */
export const writeOutputs = (indent: string): string => `
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const int r = 16 * warp + g + 8 * h;
    if (r >= ROWS) continue;
    const float l = rowSum[h];
    const float inv = l > 0.f ? 1.f / l : 0.f;
    const size_t inBatch = (r / HPC) * H + head0 + r % HPC, row = static_cast<size_t>(b) * SQ * H + inBatch;
    float* out = nSplits == 1 ? o + row * DV : oPart + ((firstSlot + split) * SQ * H + inBatch) * DV;
#pragma unroll
    for (int j = 0; j < 32; ++j)
      *reinterpret_cast<float2*>(out + wg * 256 + 8 * j + 2 * t) = make_float2(acc[4 * j + 2 * h] * inv, acc[4 * j + 2 * h + 1] * inv);
    if (wg == 0 && t == 0) {
      const float value = l > 0.f ? (rowMax[h] + log2f(l)) * 0.6931471805599453f : -INFINITY;
      if (nSplits == 1) lse[row] = value;
      else lsePart[(firstSlot + split) * SQ * H + inBatch] = value;
    }
  }
`.replace(/^(?=.)/gm, indent);
