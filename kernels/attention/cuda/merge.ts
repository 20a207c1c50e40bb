// The CUDA text of the decode kernels around the split kernel: the balanced plan (FlashMLA's
// scheme: computed on the device, once per batch, by one thread before the split kernel, from the
// lengths alone) and the combine kernel that merges a row's partial outputs by their log-sum-exp.
//
// Partials of sequence b live in slots firstSlot(b) .. firstSlot(b) + nSplits(b) - 1, each holding
// the s_q x H rows of b ([slot][s_q][H][valueDim], lse [slot][s_q][H]). A sequence computed whole by
// one CTA (nSplits 1) is written straight to o and lse, and the combine kernel leaves its rows alone.
import type { CudaDecodeConfig } from './config.ts';

export const PLAN_ENTRY = 'decode_plan';
export const COMBINE_ENTRY = 'decode_combine';
export const COMBINE_THREADS = 128;
/**
 * A sequence's fixed cost in the plan, in cache tokens (q loaded, rows written, a partial merged):
 * FlashMLA's figure, 5 blocks of 64.
 */
export const PLAN_OVERHEAD_TOKENS = 320;
/** Most CTAs per head group a balanced plan may have (the combine kernel's weights fit a static array). */
export const MAX_PARTS = 1024;

/** Ints of a plan of `parts` CTAs for `batch` sequences: 5 per CTA, then firstSlot and nSplits per sequence. */
export const planInts = (parts: number, batch: number): number => 5 * parts + 2 * batch;

export const PLAN_KERNEL = String.raw`
// Each CTA gets about total / parts of the batch's cost (tiles plus each sequence's overhead): the
// walk hands out whole sequences while they fit the budget and cuts the one that does not. CTA p
// covers (b, tile) from (plan[5p], plan[5p+1]) to (plan[5p+3], plan[5p+4]) exclusive; plan[5p+2] is
// the split index of its first piece. The last CTA takes whatever is left.
extern "C" __global__ void decode_plan(const int* __restrict__ lengths, int* __restrict__ plan, int batch, int parts) {
  if (threadIdx.x != 0 || blockIdx.x != 0) return;
  int* firstSlot = plan + 5 * parts;
  int* nSplits = firstSlot + batch;
  long long total = 0;
  for (int b = 0; b < batch; ++b) total += (lengths[b] + TN - 1) / TN + PLAN_OVERHEAD_TILES;
  const long long payload = (total + parts - 1) / parts + PLAN_OVERHEAD_TILES;
  int b = 0, tile = 0, k = 0, slots = 0;
  for (int p = 0; p < parts; ++p) {
    int* part = plan + 5 * p;
    part[0] = b;
    part[1] = tile;
    part[2] = k;
    long long budget = p == parts - 1 ? (1LL << 62) : payload;
    while (b < batch) {
      const int rest = (lengths[b] + TN - 1) / TN - tile;
      if (budget >= rest + PLAN_OVERHEAD_TILES) {
        nSplits[b] = k + 1;
        firstSlot[b] = slots;
        slots += k + 1;
        budget -= rest + PLAN_OVERHEAD_TILES;
        ++b;
        tile = 0;
        k = 0;
      } else {
        if (budget > PLAN_OVERHEAD_TILES) {
          tile += static_cast<int>(budget - PLAN_OVERHEAD_TILES);
          ++k;
        }
        break;
      }
    }
    part[3] = b;
    part[4] = tile;
  }
}
`;

/** The combine kernel; its slots come from the plan (balanced) or are b x splits (even). */
function combine(c: CudaDecodeConfig): string {
  const slots = c.schedule === 'balanced'
    ? `const int n = plan[5 * parts + batch + b];
  if (n == 1) return;  // computed whole: written by the split kernel
  const size_t first = plan[5 * parts + b];`
    : `const int n = parts;
  const size_t first = static_cast<size_t>(b) * parts;`;
  return String.raw`
// One CTA per query row: weights exp(lse_s - max) over the row's partials, o = sum(w_s o_s) / sum(w_s).
extern "C" __global__ void __launch_bounds__(${COMBINE_THREADS}) ${COMBINE_ENTRY}(
    const float* __restrict__ oPart, const float* __restrict__ lsePart, float* __restrict__ o, float* __restrict__ lse,
    const int* __restrict__ plan, int parts, int batch, int rowsPerSequence) {
  __shared__ float weight[${MAX_PARTS}];
  __shared__ float stats[2];
  const size_t row = blockIdx.x;
  const int b = static_cast<int>(row / rowsPerSequence), inBatch = static_cast<int>(row % rowsPerSequence);
  ${slots}
  if (threadIdx.x < 32) {
    float mx = -INFINITY;
    for (int s = threadIdx.x; s < n; s += 32) mx = fmaxf(mx, lsePart[(first + s) * rowsPerSequence + inBatch]);
    mx = warp_max(mx);
    float sum = 0.f;
    for (int s = threadIdx.x; s < n; s += 32) {
      const float w = mx == -INFINITY ? 0.f : expf(lsePart[(first + s) * rowsPerSequence + inBatch] - mx);
      weight[s] = w;
      sum += w;
    }
    sum = warp_sum(sum);
    if (threadIdx.x == 0) {
      stats[0] = mx;
      stats[1] = sum;
    }
  }
  __syncthreads();
  const float inv = stats[1] > 0.f ? 1.f / stats[1] : 0.f;
  for (int d = threadIdx.x; d < DV; d += ${COMBINE_THREADS}) {
    float v = 0.f;
    for (int s = 0; s < n; ++s) v += weight[s] * oPart[((first + s) * rowsPerSequence + inBatch) * DV + d];
    o[row * DV + d] = v * inv;
  }
  if (threadIdx.x == 0) lse[row] = stats[1] > 0.f ? stats[0] + logf(stats[1]) : -INFINITY;
}
`;
}

export const mergeKernelsCode = (c: CudaDecodeConfig): string => (c.schedule === 'balanced' ? PLAN_KERNEL : '') + combine(c);
