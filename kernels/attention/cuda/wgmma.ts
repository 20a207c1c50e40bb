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
import { FENCE_PROXY_ASYNC, MBARRIER_EXPECT_TX, MBARRIER_WAIT, TMA_LOAD_2D, WGMMA_SYNC } from '../../cuda-ptx.ts';
import type { AttentionShape } from '../shape.ts';
import type { CudaDecodeConfig } from './config.ts';

export const WGMMA_THREADS = 256;
const BOX_BYTES = 64 * 128;
const TILE_BYTES = 9 * BOX_BYTES;

/** The halves variant's exchange area: each row's maximum per warpgroup, then each thread's 8 probability words per warpgroup. */
const EXCHANGE_BYTES = 2 * 64 * 4 + 2 * 128 * 8 * 4;

/** Shared memory of the WGMMA kernel: q and the stages (1024-aligned swizzle atoms), barriers, the halves' exchange, alignment slack. */
export const wgmmaSharedBytes = (c: Pick<CudaDecodeConfig, 'stages' | 'scores'>): number =>
  TILE_BYTES * (1 + c.stages) + 64 + (c.scores === 'halves' ? EXCHANGE_BYTES : 0) + 1024;

const list = (n: number, from = 0): string => Array.from({ length: n }, (_, i) => `%${i + from}`).join(',');
const outs = (n: number): string => Array.from({ length: n }, (_, i) => `"+f"(d[${i}])`).join(', ');

const WRAPPERS = String.raw`
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

/** Row h's scores (`n` pairs a thread) in the exp2 domain, those past the visible count -inf, and their maximum `mx`; `first` offsets the thread's tokens. */
const maskedScores = (n: number, first: string): string => `      float mx = -INFINITY;
#pragma unroll
      for (int j = 0; j < ${n}; ++j)
#pragma unroll
        for (int e = 0; e < 2; ++e) {
          const float v = ${first}8 * j + 2 * t + e < limit ? sc[4 * j + 2 * h + e] * SCALE_LOG2 : -INFINITY;
          sc[4 * j + 2 * h + e] = v;
          mx = fmaxf(mx, v);
        }
`;

/** Row h's probabilities against the new maximum `mNew` (rounded to bf16 as P.V reads them), the running sum and maximum, and O rescaled. */
const probabilities = (n: number): string => `      const float alpha = mNew == -INFINITY ? 1.f : exp2f(rowMax[h] - mNew);
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
      rowSum[h] = rowSum[h] * alpha + quad_sum(sum);
      rowMax[h] = mNew;
#pragma unroll
      for (int j = 0; j < 32; ++j) {
        acc[4 * j + 2 * h] *= alpha;
        acc[4 * j + 2 * h + 1] *= alpha;
      }
`;

/** A tile's products and softmax when each warpgroup computes all of S (`scores: 'whole'`). */
const wholeTile = (mask: string): string => `    float sc[32];
    wgmma_fence();
#pragma unroll
    for (int box = 0; box < 9; ++box)
#pragma unroll
      for (int k = 0; k < 4; ++k)
        wgmma_qk(sc, desc_k_major(qs + box * BOX_BYTES + k * 32), desc_k_major(kt + box * BOX_BYTES + k * 32), box | k);
    wgmma_commit();
    wgmma_wait_all();
    // Rows 16 warp + g (h = 0) and + 8 (h = 1); this thread's columns 8j + 2t + e.
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int r = 16 * warp + g + 8 * h;
      const int visible = r < ROWS ? len - SQ + 1 + r / HPC : 0;
      const int limit = ${mask};
${maskedScores(8, '')}      mx = quad_max(mx);
      const float mNew = fmaxf(rowMax[h], mx);
${probabilities(8)}    }
    uint32_t pa[4][4];
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
  const mask = c.fault === 'no-mask' ? '64 + 0 * visible' : 'visible - tile * 64';
  return `${WRAPPERS}${c.scores === 'halves' ? HALVES_WRAPPERS : ''}
#define TILE_BYTES ${TILE_BYTES}
#define BOX_BYTES ${BOX_BYTES}
extern "C" __global__ void __launch_bounds__(${WGMMA_THREADS}, 1) ${entry}(
    const uint16_t* __restrict__ q, const __grid_constant__ CUtensorMap kvMap,
    const int* __restrict__ blockTable, const int* __restrict__ lengths,
    float* __restrict__ o, float* __restrict__ lse, float* __restrict__ oPart, float* __restrict__ lsePart,
    const int* __restrict__ plan, int H, int group, int maxPages, int splits, int batch) {
  extern __shared__ uint8_t smem_raw[];
  uint8_t* smem = smem_raw + ((1024 - (smem_addr(smem_raw) & 1023)) & 1023);
  uint8_t* qs = smem;
  uint8_t* stageBase = smem + TILE_BYTES;
  uint64_t* full = reinterpret_cast<uint64_t*>(smem + TILE_BYTES * (1 + STAGES));${c.scores === 'halves' ? `
  float* xMax = reinterpret_cast<float*>(smem + TILE_BYTES * (1 + STAGES) + 64);
  uint32_t* xP = reinterpret_cast<uint32_t*>(smem + TILE_BYTES * (1 + STAGES) + 64 + 2 * 64 * 4);` : ''}
  const int head0 = blockIdx.y * HPC;
  const int wg = threadIdx.x / 128, warp = (threadIdx.x % 128) / 32, lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
  (void)group;
  if (threadIdx.x == 0) {
    for (int st = 0; st < STAGES; ++st) mbar_init(&full[st], 1);
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();
  int used = 0;  // tiles this CTA has consumed: stage used % STAGES, its phase (used / STAGES) & 1
  ${item}
  ${c.fault === 'drop-last-tile' ? 'if (t1 > t0) --t1;  // fault: the split loses its last tile' : ''}
  __syncthreads();  // the previous piece's last reads of q
  // q rows into nine 128-byte-swizzled boxes (16-byte chunk c of row r at chunk c ^ (r % 8)).
  for (int i = threadIdx.x; i < 64 * 72; i += ${WGMMA_THREADS}) {
    const int r = i / 72, c = i % 72;
    uint4 v = make_uint4(0, 0, 0, 0);
    if (r < ROWS) v = reinterpret_cast<const uint4*>(q + ((static_cast<size_t>(b) * SQ + r / HPC) * H + head0 + r % HPC) * DK)[c];
    *reinterpret_cast<uint4*>(qs + (c / 8) * BOX_BYTES + r * 128 + (((c % 8) ^ (r % 8)) * 16)) = v;
  }
  fence_proxy_async_shared();
  __syncthreads();
  auto issue = [&](int tile, int st) {
    const int page = blockTable[static_cast<size_t>(b) * maxPages + tile];
    mbar_expect_tx(&full[st], TILE_BYTES);
    for (int box = 0; box < 9; ++box) tma_load_2d(stageBase + st * TILE_BYTES + box * BOX_BYTES, &kvMap, &full[st], box * 64, page * 64);
  };
  if (threadIdx.x == 0)
    for (int k = 0; k < STAGES && t0 + k < t1; ++k) issue(t0 + k, (used + k) % STAGES);

  float acc[128];
#pragma unroll
  for (int i = 0; i < 128; ++i) acc[i] = 0.f;
  float rowMax[2] = {-INFINITY, -INFINITY}, rowSum[2] = {0.f, 0.f};
  for (int tile = t0; tile < t1; ++tile, ++used) {
    const int st = used % STAGES;
    mbar_wait(&full[st], (used / STAGES) & 1);
    uint8_t* kt = stageBase + st * TILE_BYTES;
    const int valid = len - tile * 64;
    if (valid < 64) {
      for (int i = threadIdx.x; i < (64 - valid) * 72; i += ${WGMMA_THREADS}) {
        const int r = valid + i / 72, c = i % 72;
        *reinterpret_cast<uint4*>(kt + (c / 8) * BOX_BYTES + r * 128 + (c % 8) * 16) = make_uint4(0, 0, 0, 0);
      }
      fence_proxy_async_shared();
      __syncthreads();
    }
${c.scores === 'halves' ? halvesTile(mask) : wholeTile(mask)}    __syncthreads();  // both warpgroups are done with the stage
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
` : ''}
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
  }  // the CTA's pieces
}
`;
}
