// The CUDA text of the sm_90 paged decode split kernel: a CTA per head group and piece of the
// batch's tiles (the even or the balanced plan), q.k^T and p.v on bf16 mma.sync m16n8k16 tensor
// cores with f32 accumulation, the cache's tiles staged in shared memory by cp.async, online softmax
// in the exp2 domain. Tokens past a row's visible count are masked (-inf); tiles past a sequence's
// length are zero-filled by cp.async, never read (the workload's NaN there would otherwise reach p.v
// as 0 x NaN). The plan and combine kernels are in merge.ts.
import type { AttentionShape } from '../shape.ts';
import { mergeKernelsCode, PLAN_OVERHEAD_TOKENS } from './merge.ts';
import { wgmmaSplitKernel } from './wgmma.ts';
import { FP8_ROPE_OFFSET, FP8_ROW_BYTES, FP8_SCALES_OFFSET } from './workload.ts';
import { keyStride, mTiles, MMA_M, sharedParts, valueStride, type CudaDecodeConfig } from './space.ts';

export const SPLIT_ENTRY = 'decode_split';

const HELPERS = String.raw`
__device__ __forceinline__ void cp_async16(void* smem, const void* gmem, int bytes) {
  const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(smem));
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" :: "r"(s), "l"(gmem), "r"(bytes) : "memory");
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }
template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" :: "n"(N) : "memory"); }

// D += A (16x16 bf16, row) x B (16x8 bf16, col), f32 accumulators.
__device__ __forceinline__ void mma16816(float* d, const uint32_t* a, uint32_t b0, uint32_t b1) {
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}
__device__ __forceinline__ uint32_t ld32(const uint16_t* p) { return *reinterpret_cast<const uint32_t*>(p); }
// Two bf16 from different rows, the lower k in the low half (the MMA's register order).
__device__ __forceinline__ uint32_t pack2(uint16_t lo, uint16_t hi) { return static_cast<uint32_t>(lo) | (static_cast<uint32_t>(hi) << 16); }
__device__ __forceinline__ float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
__device__ __forceinline__ float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}
`;

/** The tile loader: bf16 key rows (and MHA's value rows) or raw FP8 rows into stage `st`. */
function loader(s: AttentionShape, c: CudaDecodeConfig): string {
  const rows = (buffer: string, dst: string, stride: string, dim: string, bytesPerRow: string): string => `
    for (int i = threadIdx.x; i < TN * (${bytesPerRow} / 16); i += THREADS) {
      const int r = i / (${bytesPerRow} / 16), chunk = i % (${bytesPerRow} / 16);
      const bool valid = tok0 + r < len;
      const uint8_t* src = ${buffer} + ((slot0 + r) * hkv + kvh) * (size_t)(${bytesPerRow}) + chunk * 16;
      cp_async16(reinterpret_cast<uint8_t*>(${dst}) + r * (${stride}) + chunk * 16, valid ? src : ${buffer}, valid ? 16 : 0);
    }`;
  const keys = c.cache === 'fp8'
    ? rows('cacheK', `raw + st * (TN * ${FP8_ROW_BYTES})`, `${FP8_ROW_BYTES}`, '', `${FP8_ROW_BYTES}`)
    : rows('cacheK', 'kTiles + st * (TN * KS)', 'KS * 2', '', `${s.keyDim * 2}`);
  const values = s.valuesInKeys ? '' : rows('cacheV', 'vTiles + st * (TN * VS)', 'VS * 2', '', `${s.valueDim * 2}`);
  return `
  auto load_tile = [&](int tile, int st) {
    const int tok0 = tile * TN;
    const size_t slot0 = static_cast<size_t>(blockTable[static_cast<size_t>(b) * maxPages + tok0 / PAGE]) * PAGE + tok0 % PAGE;${keys}${values}
  };`;
}

/** FP8 rows of the stage to bf16 key rows: code x scale rounded once (the workload's values exactly). */
const DEQUANT = `
      {
        const uint8_t* rawTile = raw + st * (TN * ${FP8_ROW_BYTES});
        for (int i = threadIdx.x; i < TN * (DK / 2); i += THREADS) {
          const int r = i / (DK / 2), d = 2 * (i % (DK / 2));
          const uint8_t* row = rawTile + r * ${FP8_ROW_BYTES};
          __nv_bfloat162 v;
          if (d < DV) {
            const float scale = *reinterpret_cast<const float*>(row + ${FP8_SCALES_OFFSET} + 4 * (d >> 7));
            __nv_fp8_e4m3 x0, x1;
            x0.__x = row[d];
            x1.__x = row[d + 1];
            v = __floats2bfloat162_rn(static_cast<float>(x0) * scale, static_cast<float>(x1) * scale);
          } else {
            v = *reinterpret_cast<const __nv_bfloat162*>(row + ${FP8_ROPE_OFFSET} + 2 * (d - DV));
          }
          *reinterpret_cast<__nv_bfloat162*>(kTiles + r * KS + d) = v;
        }
        __syncthreads();
      }`;

/**
 * The even plan: CTA (split, head group, b) takes the split-th of \`splits\` even chunks of sequence
 * b's tiles, its partials in slots b x splits + split.
 */
const EVEN_ITEM = `{
    const int b = blockIdx.z, split = blockIdx.x, nSplits = splits;
    const size_t firstSlot = static_cast<size_t>(b) * splits;
    const int len = lengths[b];
    const int tiles = (len + TN - 1) / TN;
    const int per = (tiles + splits - 1) / splits;
    const int t0 = min(split * per, tiles);
    int t1 = min(t0 + per, tiles);`;

/**
 * The balanced plan (merge.ts): CTA (part, head group) walks the batch's tiles from (b, tile) =
 * (plan[0], plan[1]) to (plan[3], plan[4]), its first sequence's piece being split plan[2] of it.
 */
const BALANCED_WALK = `const int* part = plan + 5 * blockIdx.x;
  for (int b = part[0]; b < batch && b <= part[3]; ++b) {
    const int len = lengths[b];
    const int tiles = (len + TN - 1) / TN;
    const int t0 = b == part[0] ? part[1] : 0;
    int t1 = b == part[3] ? part[4] : tiles;
    if (b == part[3] && t1 <= t0) break;
    const int split = b == part[0] ? part[2] : 0;
    const int nSplits = plan[5 * gridDim.x + batch + b];
    const size_t firstSlot = plan[5 * gridDim.x + b];
    __syncthreads();  // the previous sequence's last reads of shared memory`;

export function decodeKernelCode(s: AttentionShape, c: CudaDecodeConfig): string {
  const parts = sharedParts(s, c);
  let offset = 0;
  const at: Record<string, number> = {};
  for (const [name, bytes] of Object.entries(parts)) {
    at[name] = offset;
    offset += bytes;
  }
  const fp8 = c.cache === 'fp8';
  const item = c.schedule === 'balanced' ? BALANCED_WALK : EVEN_ITEM;
  const defines = {
    DK: s.keyDim, DV: s.valueDim, HPC: c.headsPerCta, SQ: s.queryTokens, ROWS: s.queryTokens * c.headsPerCta, MT: mTiles(s, c),
    RP: mTiles(s, c) * MMA_M, TN: c.tokensPerTile, STAGES: c.stages, WARPS: c.warps, THREADS: 32 * c.warps, KS: keyStride(s), VS: valueStride(s),
    SS: c.tokensPerTile + 4, PS: c.tokensPerTile + 8, PAGE: 64,
  };
  // The softmax runs in the exp2 domain: scores are scaled by scale x log2(e) once, as they leave the MMA.
  const scaleLog2 = Math.fround(s.scale * Math.LOG2E);
  const valuesTile = s.valuesInKeys ? 'kTile' : 'vTiles + cur * (TN * VS)';
  // 16 warps leave 128 registers a thread: the q.k loop unrolled spills them (ptxas, sm_90a).
  const qkUnroll = c.warps >= 16 ? 1 : 4;
  const mask = c.fault === 'no-mask' ? 'TN + 0 * visible' : 'visible - tile * TN';
  return [
    '#include <cuda_bf16.h>',
    '#include <cuda_fp8.h>',
    '#include <stdint.h>',
    ...Object.entries(defines).map(([k, v]) => `#define ${k} ${v}`),
    `#define PLAN_OVERHEAD_TILES ${PLAN_OVERHEAD_TOKENS / c.tokensPerTile}`,
    `#define SCALE_LOG2 ${scaleLog2.toPrecision(9)}f`,
    HELPERS,
    c.kernel === 'wgmma' ? `#include <cuda.h>\n${wgmmaSplitKernel(s, c, item, SPLIT_ENTRY)}\n${mergeKernelsCode(c)}` : `
extern "C" __global__ void __launch_bounds__(THREADS, ${c.ctasPerSm ?? 1}) ${SPLIT_ENTRY}(
    const uint16_t* __restrict__ q, const uint8_t* __restrict__ cacheK, const uint8_t* __restrict__ cacheV,
    const int* __restrict__ blockTable, const int* __restrict__ lengths,
    float* __restrict__ o, float* __restrict__ lse, float* __restrict__ oPart, float* __restrict__ lsePart,
    const int* __restrict__ plan, int H, int group, int maxPages, int splits, int batch) {
  extern __shared__ __align__(128) uint8_t smem[];
  uint16_t* qs = reinterpret_cast<uint16_t*>(smem + ${at.q});
  ${fp8 ? `uint8_t* raw = smem + ${at.stages};\n  uint16_t* kTiles = reinterpret_cast<uint16_t*>(smem + ${at.dequant});` : `uint16_t* kTiles = reinterpret_cast<uint16_t*>(smem + ${at.stages});`}
  ${s.valuesInKeys ? '' : `uint16_t* vTiles = reinterpret_cast<uint16_t*>(smem + ${at.values});`}
  float* scores = reinterpret_cast<float*>(smem + ${at.scores});
  uint16_t* probs = reinterpret_cast<uint16_t*>(smem + ${at.probs});
  float* rowMax = reinterpret_cast<float*>(smem + ${at.stats});
  float* rowSum = rowMax + RP;
  float* rowScale = rowSum + RP;

  const int head0 = blockIdx.y * HPC;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
  const int hkv = H / group, kvh = head0 / group;
  ${item}
  ${c.fault === 'drop-last-tile' ? 'if (t1 > t0) --t1;  // fault: the split loses its last tile' : ''}

  for (int i = threadIdx.x; i < RP * (DK / 8); i += THREADS) {
    const int r = i / (DK / 8), chunk = i % (DK / 8);
    uint4 v = make_uint4(0, 0, 0, 0);
    if (r < ROWS) v = reinterpret_cast<const uint4*>(q + ((static_cast<size_t>(b) * SQ + r / HPC) * H + head0 + r % HPC) * DK)[chunk];
    *reinterpret_cast<uint4*>(qs + r * KS + chunk * 8) = v;
  }
  for (int r = threadIdx.x; r < RP; r += THREADS) {
    rowMax[r] = -INFINITY;
    rowSum[r] = 0.f;
  }
  ${loader(s, c)}

  constexpr int NT = TN / 8;
  constexpr int NTW = (NT + WARPS - 1) / WARPS;
  constexpr int NV = DV / WARPS / 8;
  float acc[MT][NV][4];
#pragma unroll
  for (int m = 0; m < MT; ++m)
#pragma unroll
    for (int n = 0; n < NV; ++n)
#pragma unroll
      for (int k = 0; k < 4; ++k) acc[m][n][k] = 0.f;

#pragma unroll
  for (int st = 0; st < STAGES - 1; ++st) {
    if (t0 + st < t1) load_tile(t0 + st, st);
    cp_async_commit();
  }
  for (int tile = t0; tile < t1; ++tile) {
    const int ahead = tile + STAGES - 1;
    if (ahead < t1) load_tile(ahead, (ahead - t0) % STAGES);
    cp_async_commit();
    cp_async_wait<STAGES - 1>();
    __syncthreads();
    const int cur = (tile - t0) % STAGES;
    ${fp8 ? `const int st = cur;${DEQUANT}\n    const uint16_t* kTile = kTiles;` : 'const uint16_t* kTile = kTiles + cur * (TN * KS);'}

    // Scores: warp w takes the 8-token n-tiles w, w + WARPS, ... for every m-tile.
    float sacc[MT][NTW][4];
#pragma unroll
    for (int m = 0; m < MT; ++m)
#pragma unroll
      for (int n = 0; n < NTW; ++n)
#pragma unroll
        for (int k = 0; k < 4; ++k) sacc[m][n][k] = 0.f;
#pragma unroll ${qkUnroll}
    for (int kk = 0; kk < DK / 16; ++kk) {
      uint32_t a[MT][4];
#pragma unroll
      for (int m = 0; m < MT; ++m) {
        const uint16_t* p = qs + (m * 16 + g) * KS + kk * 16 + 2 * t;
        a[m][0] = ld32(p);
        a[m][1] = ld32(p + 8 * KS);
        a[m][2] = ld32(p + 8);
        a[m][3] = ld32(p + 8 * KS + 8);
      }
#pragma unroll
      for (int n = 0; n < NTW; ++n) {
        const int nt = warp + n * WARPS;
        if (nt < NT) {
          const uint16_t* p = kTile + (nt * 8 + g) * KS + kk * 16 + 2 * t;
          const uint32_t b0 = ld32(p), b1 = ld32(p + 8);
#pragma unroll
          for (int m = 0; m < MT; ++m) mma16816(sacc[m][n], a[m], b0, b1);
        }
      }
    }
#pragma unroll
    for (int m = 0; m < MT; ++m)
#pragma unroll
      for (int n = 0; n < NTW; ++n) {
        const int nt = warp + n * WARPS;
        if (nt < NT) {
          float* s0 = scores + (m * 16 + g) * SS + nt * 8 + 2 * t;
          s0[0] = sacc[m][n][0] * SCALE_LOG2;
          s0[1] = sacc[m][n][1] * SCALE_LOG2;
          s0[8 * SS] = sacc[m][n][2] * SCALE_LOG2;
          s0[8 * SS + 1] = sacc[m][n][3] * SCALE_LOG2;
        }
      }
    __syncthreads();

    // Online softmax, a warp per row: the tile's visible tokens only (causal inside the step).
    for (int r = warp; r < RP; r += WARPS) {
      const int visible = r < ROWS ? len - SQ + 1 + r / HPC : 0;
      const int limit = ${mask};
      float mx = -INFINITY;
      for (int col = lane; col < TN; col += 32) mx = fmaxf(mx, col < limit ? scores[r * SS + col] : -INFINITY);
      mx = warp_max(mx);
      const float mOld = rowMax[r];
      const float mNew = fmaxf(mOld, mx);
      float sum = 0.f;
      for (int col = lane; col < TN; col += 32) {
        const float p = col < limit && mNew != -INFINITY ? exp2f(scores[r * SS + col] - mNew) : 0.f;
        const __nv_bfloat16 pb = __float2bfloat16_rn(p);
        probs[r * PS + col] = __bfloat16_as_ushort(pb);
        sum += __bfloat162float(pb);  // the weights p.v uses, so numerator and denominator agree
      }
      sum = warp_sum(sum);
      if (lane == 0) {
        const float alpha = mNew == -INFINITY ? 1.f : exp2f(mOld - mNew);
        rowMax[r] = mNew;
        rowSum[r] = rowSum[r] * alpha + sum;
        rowScale[r] = alpha;
      }
    }
    __syncthreads();

    // Values: warp w owns value dims [w * DV / WARPS, (w + 1) * DV / WARPS).
    const uint16_t* vTile = ${valuesTile};
    constexpr int VSTR = ${s.valuesInKeys ? 'KS' : 'VS'};
#pragma unroll
    for (int m = 0; m < MT; ++m) {
      const float a0 = rowScale[m * 16 + g], a1 = rowScale[m * 16 + g + 8];
#pragma unroll
      for (int n = 0; n < NV; ++n) {
        acc[m][n][0] *= a0;
        acc[m][n][1] *= a0;
        acc[m][n][2] *= a1;
        acc[m][n][3] *= a1;
      }
    }
#pragma unroll
    for (int kk = 0; kk < TN / 16; ++kk) {
      uint32_t a[MT][4];
#pragma unroll
      for (int m = 0; m < MT; ++m) {
        const uint16_t* p = probs + (m * 16 + g) * PS + kk * 16 + 2 * t;
        a[m][0] = ld32(p);
        a[m][1] = ld32(p + 8 * PS);
        a[m][2] = ld32(p + 8);
        a[m][3] = ld32(p + 8 * PS + 8);
      }
      const uint16_t* v0 = vTile + (kk * 16 + 2 * t) * VSTR + warp * (DV / WARPS) + g;
#pragma unroll
      for (int n = 0; n < NV; ++n) {
        const uint16_t* p = v0 + n * 8;
        const uint32_t b0 = pack2(p[0], p[VSTR]), b1 = pack2(p[8 * VSTR], p[9 * VSTR]);
#pragma unroll
        for (int m = 0; m < MT; ++m) mma16816(acc[m][n], a[m], b0, b1);
      }
    }
    __syncthreads();
  }
  cp_async_wait<0>();
  __syncthreads();  // with no tile at all, the rows' state was written by other threads

  // A row that saw no token (empty sequence, empty split, a causal row before its first token)
  // writes o = 0 and lse = -inf.
#pragma unroll
  for (int m = 0; m < MT; ++m)
#pragma unroll
    for (int half = 0; half < 2; ++half) {
      const int r = m * 16 + g + 8 * half;
      if (r >= ROWS) continue;
      const float l = rowSum[r];
      const float inv = l > 0.f ? 1.f / l : 0.f;
      const size_t inBatch = (r / HPC) * H + head0 + r % HPC, row = static_cast<size_t>(b) * SQ * H + inBatch;
      float* out = nSplits == 1 ? o + row * DV : oPart + ((firstSlot + split) * SQ * H + inBatch) * DV;
#pragma unroll
      for (int n = 0; n < NV; ++n) {
        const int d = warp * (DV / WARPS) + n * 8 + 2 * t;
        *reinterpret_cast<float2*>(out + d) = make_float2(acc[m][n][2 * half] * inv, acc[m][n][2 * half + 1] * inv);
      }
    }
  for (int r = threadIdx.x; r < ROWS; r += THREADS) {
    const float l = rowSum[r];
    const float value = l > 0.f ? (rowMax[r] + log2f(l)) * 0.6931471805599453f : -INFINITY;
    const size_t inBatch = (r / HPC) * H + head0 + r % HPC, row = static_cast<size_t>(b) * SQ * H + inBatch;
    if (nSplits == 1) lse[row] = value;
    else lsePart[(firstSlot + split) * SQ * H + inBatch] = value;
  }
  }  // the CTA's sequences
}

${mergeKernelsCode(c)}
`,
  ].join('\n');
}
