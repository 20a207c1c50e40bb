// The work walk of the sm_90a FP8 GEMM's persistent CTAs and its split tail, part of the kernel
// template (kernel.ts places it after the epilogue). Without the split each CTA walks whole tiles
// t = first, first + stride, ... When the tiles do not fill the last wave (N=2112 at M=4096 with
// 128x192 tiles: 352 tiles, 2.67 waves of 132 CTAs, a third of the SMs idle for the last third),
// the split tail (stream-K, in the manner of Osama et al. and CUTLASS's hybrid scheduler) keeps the
// whole waves as they are and deals the K blocks of the leftover tiles out evenly to every CTA, in
// tile-major order: a CTA's share is a run of pieces (tile, k0, k1). The piece that starts a tile
// (k0 = 0) owns it; the others (contributors) are each the first piece of a later CTA, which writes
// its partial totals to global memory (slot = that CTA) and counts its threads in on the tile's counter.
// The owner, whose piece is its CTA's last, waits for the count, adds the partials and stores the
// tile. Per-K-block promotion is linear, so the sum of partials is the tile's exact total (up to f32
// rounding order). Contributors never wait, so with every CTA resident (grid <= SMs) nothing can
// deadlock; the owner leaves its counter at zero for the next launch.
export const SPLIT_TEMPLATE = String.raw`
// A split piece is at least this many K blocks when the leftover tiles allow: smaller pieces cost
// more in partial traffic than they win back.
constexpr int SPLIT_MIN_BLOCKS = 4;

// This CTA's work: whole tiles below dpEnd, then its run [b, e) of the leftover tiles' K blocks.
struct Walk {
  int t, stride, dpEnd, KB, b, e;
  __device__ __forceinline__ bool next(int& tile, int& k0, int& k1) {
    if (t < dpEnd) {
      tile = t;
      k0 = 0;
      k1 = KB;
      t += stride;
      return true;
    }
    if (!SPLIT_TAIL || b >= e) return false;
    const int j = b / KB;
    k0 = b - j * KB;
    k1 = min(KB, k0 + e - b);
    tile = dpEnd + j;
    b += k1 - k0;
    return true;
  }
};

// The first leftover K block (counted from the first leftover tile's first) of CTA c's run.
__device__ __forceinline__ int split_begin(int c, int units, int splitters) {
  return static_cast<int>(static_cast<long long>(c) * units / splitters);
}

// CTAs that get a run: every one, unless that would make runs shorter than SPLIT_MIN_BLOCKS.
__device__ __forceinline__ int split_ctas(int ctas, int rest, int units) {
  return min(ctas, max(rest, units / SPLIT_MIN_BLOCKS));
}

__device__ __forceinline__ Walk make_walk(int first, int stride, int tiles, int KB) {
  Walk w{first, stride, tiles, KB, 0, 0};
  const int waves = tiles / stride;
  const int rest = tiles - waves * stride;
  if (SPLIT_TAIL && rest > 0) {
    const int units = rest * KB;
    w.dpEnd = waves * stride;
    const int splitters = split_ctas(stride, rest, units);
    if (first < splitters) {
      w.b = split_begin(first, units, splitters);
      w.e = split_begin(first + 1, units, splitters);
    }
  }
  return w;
}

// Scratch: an arrival counter per leftover tile and math warpgroup, then one slot of partial totals
// per CTA (BLOCK_M x BLOCK_N floats, each warpgroup's rows in the accumulator layout, a float4 per
// thread per step so that a warp's accesses are whole 512-byte runs).
__device__ __forceinline__ float4* partial_slot(float* scratch, int slot, int wg) {
  float* partials = scratch + ((gridDim.x * MATH_WG + 3) & ~3);
  return reinterpret_cast<float4*>(partials + static_cast<size_t>(slot) * BLOCK_M * BLOCK_N + wg * SUB_TILES * 64 * BLOCK_N);
}

// A contributor: its partial totals out, then each thread (its stores fenced) one arrival.
__device__ __forceinline__ void split_give(float* scratch, int slot, int counter, const float (&total)[SUB_TILES][ACC], int wg) {
  float4* p = partial_slot(scratch, slot, wg);
  const int tid = threadIdx.x % 128;
#pragma unroll
  for (int s = 0; s < SUB_TILES; ++s)
#pragma unroll
    for (int q = 0; q < ACC / 4; ++q)
      __stcg(p + (s * (ACC / 4) + q) * 128 + tid, make_float4(total[s][4 * q], total[s][4 * q + 1], total[s][4 * q + 2], total[s][4 * q + 3]));
  __threadfence();
  atomicAdd(reinterpret_cast<int*>(scratch) + counter, 1);
}

// The owner: waits until the 128 threads of each of its count contributors (CTAs slot0, slot0 + 1,
// ...) have arrived, takes the counter back to zero and adds their partials to its own totals.
__device__ __forceinline__ void split_take(float* scratch, int slot0, int count, int counter, float (&total)[SUB_TILES][ACC], int wg) {
  const int tid = threadIdx.x % 128;
  int* c = reinterpret_cast<int*>(scratch) + counter;
  int seen;
  do {
    asm volatile("ld.acquire.gpu.global.b32 %0, [%1];" : "=r"(seen) : "l"(c) : "memory");
  } while (!__all_sync(0xffffffff, seen == 128 * count));
  // Every warp has seen the count before any thread takes its share back off.
  asm volatile("bar.sync %0, 128;" :: "r"(1 + wg) : "memory");
  atomicSub(c, count);
  if (FAULT_SKIP_PARTIALS) return;
  for (int i = 0; i < count; ++i) {
    const float4* p = partial_slot(scratch, slot0 + i, wg);
#pragma unroll
    for (int s = 0; s < SUB_TILES; ++s)
#pragma unroll
      for (int q = 0; q < ACC / 4; ++q) {
        const float4 v = __ldcg(p + (s * (ACC / 4) + q) * 128 + tid);
        total[s][4 * q] += v.x;
        total[s][4 * q + 1] += v.y;
        total[s][4 * q + 2] += v.z;
        total[s][4 * q + 3] += v.w;
      }
  }
}

// The contributors of the tile whose leftover K blocks start at tileStart: the CTAs after the
// owner whose runs begin inside the tile.
__device__ __forceinline__ int split_contributors(int owner, int tileStart, int KB, int ctas, int rest) {
  const int units = rest * KB;
  const int splitters = split_ctas(ctas, rest, units);
  int n = 0;
  while (owner + 1 + n < splitters && split_begin(owner + 1 + n, units, splitters) < tileStart + KB) ++n;
  return n;
}

`;
