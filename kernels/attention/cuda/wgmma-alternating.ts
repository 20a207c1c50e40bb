// The CUDA text of the WGMMA MLA split kernel with the scores taken in turn (config scores:
// 'alternating'): the two math warpgroups compute S = q.k^T for alternate pages (warpgroup 0 the
// split's first, third, ... page, warpgroup 1 the others), whole (m64n64k16 over the 576 dims), so
// that one warpgroup's softmax runs while the other's q.k and p.v keep the tensor cores busy; both
// multiply every page's probabilities by their 256 value dims. A stage's next page is loaded as soon
// as both warpgroups have released it: each counts its release in shared memory (an atomic add) and
// the second issues the TMA load, so loads no longer wait for a CTA-wide barrier. (A producer warp
// would make nine warps, three on one SM sub-partition: 168 registers a thread, at which cap the
// kernel spilled with ptxas 13.)
//
// Page t's owner, holding the running maximum through page t - 1, computes the page's probabilities
// and publishes them through one shared slot: the rescale factor alpha, the new maximum and the
// page's row sums (by the quads' first lanes), and its A fragments (thread i's fragments hold the
// same rows in both warpgroups, so thread i of the other reads thread i's); `bar.arrive` on named
// barrier 4 + (t & 1), which the other warpgroup meets with `bar.sync` before it reads the slot, in
// the order: its own q.k for page t + 1 issued, then page t's slot read and its p.v, then its softmax
// of page t + 1, which overwrites the slot only after it has read it. It needs two stages: with one,
// page t + 1 would wait for the other warpgroup's release of page t, which comes after its q.k of
// page t + 1 (the space says so). Both warpgroups so keep the same
// running maximum and sum, and apply page t's alpha to their O before page t's p.v, in page order.
//
// On the H200 (2026-12-05) this ran slower than scores in halves at every shape: with two whole-page
// stages a warpgroup's next page (two on) is loaded only after both release its previous one, just
// before it needs it. Two options answer that, neither run on a GPU yet: `loads: 'boxes'` (a barrier a
// 64-dim box, each box loaded again as soon as its last reader is done, the owner's q.k taking the boxes
// as they land), and `overlap: 'softmax'` (the consumer's p.v of the other's page in flight through its
// own softmax, so that the chain from one published maximum to the next is the softmax alone).
import type { CudaDecodeConfig } from './config.ts';
import { FIRST_PAGES, kernelOpening, loadQ, pageScores, pageSoftmax, WGMMA_THREADS, WRAPPERS, writeOutputs, zeroPastLength } from './wgmma-parts.ts';

/** The slot a page's owner publishes through: alpha, the maximum and the row sums (64 each), then 128 threads x 16 fragment words. */
export const ALTERNATING_SLOT_BYTES = 3 * 64 * 4 + 16 * 128 * 4;

/** The stages' full barriers: one a stage, or one a box with `loads: 'boxes'` (the slot follows them). */
export const barrierBytes = (c: Pick<CudaDecodeConfig, 'stages' | 'loads'>): number => (c.loads === 'boxes' ? 9 * 8 * c.stages : 64);

/**
 * `loads: 'boxes'`: \`issue(tile, st, from, to)\` loads boxes from..to - 1 of a page into stage st, each
 * on its own barrier (stage st, box i at full[9 st + i]); the piece's first pages whole, by thread 0;
 * and a warpgroup's release of a page after its p.v, which loads its value boxes for the stage's next page.
 */
const BOX_LOADS = `  auto issue = [&](int tile, int st, int from, int to) {
    const int page = blockTable[static_cast<size_t>(b) * maxPages + tile];
    for (int box = from; box < to; ++box) {
      mbar_expect_tx(&full[st * 9 + box], BOX_BYTES);
      tma_load_2d(stageBase + st * TILE_BYTES + box * BOX_BYTES, &kvMap, &full[st * 9 + box], box * 64, page * 64);
    }
  };
  if (threadIdx.x == 0)
    for (int k = 0; k < STAGES && t0 + k < t1; ++k) {
      issue(t0 + k, (used + k) % STAGES, 8, 9);  // the RoPE box first, as the owner's q.k waits for it first
      issue(t0 + k, (used + k) % STAGES, 0, 8);
    }
  // After its p.v of page u (tile), a warpgroup's value boxes (4 wg .. 4 wg + 3) have no reader left
  // (the owner's q.k finished before it published): once its four warps are past their WGMMA waits,
  // its thread 0 loads them for the stage's next page.
  auto release = [&](int u, int tile) {
    warpgroup_sync(2 + wg);
    if (me == 0 && tile + STAGES < t1) issue(tile + STAGES, u % STAGES, 4 * wg, 4 * wg + 4);
  };
`;

/** \`loads: 'boxes'\`: the owner's q.k of its page, each box waited for as it lands (the RoPE box, loaded again first, first; then the owner's value half, then the other's), then that box loaded for the stage's next page. */
const ownerScoresByBox = (): string => `        const int st = own % STAGES;
        const uint32_t parity = (own / STAGES) & 1;
        const int valid = len - tile * 64;
        // The last page of a sequence: every box in before the slots past the length are zeroed.
        if (valid < 64)
          for (int box = 0; box < 9; ++box) mbar_wait(&full[st * 9 + box], parity);
${zeroPastLength('me', 128, 'warpgroup_sync(2 + wg)').replace(/^(?=.)/gm, '  ')}        // A box's four products are their own group, fenced after its wait: a WGMMA in flight across the
        // wait's loop without a fence after it makes ptxas serialize every WGMMA (C7520).
#pragma unroll
        for (int i = 0; i < 9; ++i) {
          // The RoPE box, then the owner's own value half (its release reloads that half first), then the other's.
          const int box = i == 0 ? 8 : (i - 1) ^ (4 * wg);
          mbar_wait(&full[st * 9 + box], parity);
          wgmma_fence();
#pragma unroll
          for (int k = 0; k < 4; ++k)
            wgmma_qk(sc, desc_k_major(qs + box * BOX_BYTES + k * 32), desc_k_major(kt + box * BOX_BYTES + k * 32), i | k);
          wgmma_commit();
        }
        wgmma_wait_all();
        // Only this q.k reads the RoPE box: load it for the stage's next page.
        warpgroup_sync(2 + wg);
        if (me == 0 && tile + STAGES < t1) issue(tile + STAGES, st, 8, 9);
`;

/** An empty use of a p.v's A fragments after its wait, which keeps their registers from reuse while it is in flight. */
const KEEP_LIVE = String.raw`__device__ __forceinline__ void keep_live(uint32_t (&a)[4][4]) {
#pragma unroll
  for (int kk = 0; kk < 4; ++kk)
#pragma unroll
    for (int i = 0; i < 4; ++i) asm volatile("" : "+r"(a[kk][i]) :: "memory");
}
`;

/** The other's probabilities from the slot into \`pb\`, the consumer's p.v's A fragments (thread i's of the other warpgroup). */
const READ_SLOT_P = `#pragma unroll
        for (int kk = 0; kk < 4; ++kk)
#pragma unroll
          for (int i = 0; i < 4; ++i) pb[kk][i] = slotP[(kk * 4 + i) * 128 + me];
`;

/** The owner's probabilities packed as p.v's A fragments, into the slot, and published (arrive at named barrier 4 + the page's parity). */
const PUBLISH_PROBABILITIES = `#pragma unroll
        for (int kk = 0; kk < 4; ++kk)
#pragma unroll
          for (int i = 0; i < 4; ++i) {
            pa[kk][i] = pack_bf16(sc[8 * kk + 2 * i], sc[8 * kk + 2 * i + 1]);
            slotP[(kk * 4 + i) * 128 + me] = pa[kk][i];
          }
        publish_arrive(4 + ((tile - t0) & 1));
`;

/** O's rows scaled by `factor[h]`, then O += P.V issued and committed (not waited for): P's fragments `a`, V the 64-token tile at `tile`. */
const scaledPv = (factor: string, a: string, tile: string, indent: string): string => `#pragma unroll
for (int h = 0; h < 2; ++h)
#pragma unroll
  for (int j = 0; j < 32; ++j) {
    acc[4 * j + 2 * h] *= ${factor}[h];
    acc[4 * j + 2 * h + 1] *= ${factor}[h];
  }
wgmma_fence();
#pragma unroll
for (int kk = 0; kk < 4; ++kk) wgmma_pv(acc, ${a}[kk], desc_mn_major(${tile} + wg * 4 * BOX_BYTES + kk * 2048));
wgmma_commit();
`.replace(/^(?=.)/gm, indent);

/**
 * `overlap: 'softmax'`: the loop over this warpgroup's pages with the other's page's p.v in flight
 * through this warpgroup's softmax. Issued and waited for on every path (no WGMMA in flight across a
 * branch that ends it: C7518): where there is no other page before this one (the piece's first page
 * of warpgroup 0, or an empty piece), it multiplies zero probabilities by q's finite tile. O is rescaled
 * by the other's alpha before that p.v, by this page's after it (\`rescale\`, kept by the softmax).
 */
const overlapLoop = (mask: string, publish: string, ownerScores: string, consumerWait: string): string => `    // This warpgroup's pages, and before each the other's previous one (and after its last, the other's last).
    for (int tile = t0 + wg; tile <= t1; tile += 2) {
      float sc[32];
      uint32_t pb[4][4];
      const int own = used + (tile - t0);
      uint8_t* kt = stageBase + (own % STAGES) * TILE_BYTES;
      const bool mine = tile < t1, other = tile - 1 >= t0;
      if (mine) {
${ownerScores}      }
      // The other warpgroup's page tile - 1: its alpha, maximum, row sums and probabilities.
      const int u = used + (tile - 1 - t0), so = u % STAGES;
      float alphaOther[2] = {1.f, 1.f};
      const uint8_t* ko = qs;
      if (other) {
        publish_wait(4 + ((tile - 1 - t0) & 1));
${consumerWait}
${READ_SLOT_P}#pragma unroll
        for (int h = 0; h < 2; ++h) {
          const int r = 16 * warp + g + 8 * h;
          alphaOther[h] = slotAlpha[r];
          rowSum[h] = rowSum[h] * alphaOther[h] + slotSum[r];
          rowMax[h] = slotMax[r];
        }
        ko = stageBase + so * TILE_BYTES;
      } else {
#pragma unroll
        for (int kk = 0; kk < 4; ++kk)
#pragma unroll
          for (int i = 0; i < 4; ++i) pb[kk][i] = 0u;
      }
${scaledPv('alphaOther', 'pb', 'ko', '      ')}      // This page's softmax while that p.v runs; O keeps its rescale for later.
      float rescale[2] = {1.f, 1.f};
      uint32_t pa[4][4];
      if (mine) {
${pageSoftmax(mask, publish, '    ', true)}${PUBLISH_PROBABILITIES}      }
      wgmma_wait_all();
      keep_live(pb);
      if (other) release(u, tile - 1);
      if (mine) {
${scaledPv('rescale', 'pa', 'kt', '        ')}        wgmma_wait_all();
        release(own, tile);
      }
    }
`;

const ARRIVE = String.raw`// The publishing warpgroup arrives at a named barrier the other waits at (256 threads in all).
__device__ __forceinline__ void publish_arrive(int id) { asm volatile("bar.arrive %0, 256;" :: "r"(id) : "memory"); }
__device__ __forceinline__ void publish_wait(int id) { asm volatile("bar.sync %0, 256;" :: "r"(id) : "memory"); }
// One warpgroup's own barrier (128 threads), 2 + wg.
__device__ __forceinline__ void warpgroup_sync(int id) { asm volatile("bar.sync %0, 128;" :: "r"(id) : "memory"); }
`;

/** The split kernel's text; `item` opens the loop over the CTA's pieces (kernel.ts's even or balanced plan). */
export function alternatingSplitKernel(c: CudaDecodeConfig, item: string, entry: string): string {
  const mask = c.fault === 'no-mask' ? '64 + 0 * visible' : 'visible - tile * 64';
  const boxes = c.loads === 'boxes';
  const overlap = c.overlap === 'softmax';
  // The owner's q.k of its page (waited for), and the consumer's wait for the other's page.
  const ownerScores = boxes ? ownerScoresByBox() : `        mbar_wait(&full[own % STAGES], (own / STAGES) & 1);
        const int valid = len - tile * 64;
${zeroPastLength('me', 128, 'warpgroup_sync(2 + wg)').replace(/^(?=.)/gm, '  ')}        // Waited at once, not across the branch below: a WGMMA in flight across a branch ptxas cannot
        // prove uniform makes it serialize every WGMMA of the kernel (C7518).
${pageScores('    ').replace(/^ +float sc\[32\];\n/, '')}`;
  const consumerWait = boxes ? `#pragma unroll
        for (int box = 4 * wg; box < 4 * wg + 4; ++box) mbar_wait(&full[so * 9 + box], (u / STAGES) & 1);  // this warpgroup's value boxes, complete already (the owner waited): their bytes seen here too` : `        mbar_wait(&full[so], (u / STAGES) & 1);  // complete already (its owner waited): the TMA's bytes seen here too`;
  const publish = `      if (t == 0) {
        slotAlpha[r] = alpha;
        slotMax[r] = mNew;
        slotSum[r] = tileSum;
      }
`;
  return `${WRAPPERS}${ARRIVE}${overlap ? KEEP_LIVE : ''}
${kernelOpening(entry, `${boxes ? '' : `
  int* released = reinterpret_cast<int*>(full + STAGES);  // per stage: warpgroups done with its page`}
  float* slotAlpha = reinterpret_cast<float*>(smem + TILE_BYTES * (1 + STAGES) + ${barrierBytes(c)});
  float* slotMax = slotAlpha + 64;
  float* slotSum = slotAlpha + 128;
  uint32_t* slotP = reinterpret_cast<uint32_t*>(slotAlpha + 192);`, '  const int me = threadIdx.x % 128;\n')}  if (threadIdx.x == 0) {
${boxes ? `    for (int i = 0; i < STAGES * 9; ++i) mbar_init(&full[i], 1);  // stage i / 9, box i % 9` : `    for (int st = 0; st < STAGES; ++st) {
      mbar_init(&full[st], 1);
      released[st] = 0;
    }`}
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();
  int used = 0;  // pages this CTA has walked: page u in stage u % STAGES, its phase (u / STAGES) & 1
  ${item}
  ${c.fault === 'drop-last-tile' ? 'if (t1 > t0) --t1;  // fault: the split loses its last tile' : ''}
  __syncthreads();  // the previous piece's last reads of q and of the slot
${loadQ(WGMMA_THREADS)}  fence_proxy_async_shared();
  __syncthreads();
${boxes ? BOX_LOADS : `${FIRST_PAGES}  // After its p.v of page u (tile), each warpgroup releases the stage (its four warps past their
  // WGMMA waits first); the second to release it loads the stage's next page.
  auto release = [&](int u, int tile) {
    warpgroup_sync(2 + wg);
    if (me != 0) return;
    __threadfence_block();
    const int st = u % STAGES;
    if (atomicAdd(&released[st], 1) == 1) {
      released[st] = 0;
      __threadfence_block();
      if (tile + STAGES < t1) issue(tile + STAGES, st);
    }
  };`}
  {
    float acc[128];
#pragma unroll
    for (int i = 0; i < 128; ++i) acc[i] = 0.f;
    float rowMax[2] = {-INFINITY, -INFINITY}, rowSum[2] = {0.f, 0.f};
${overlap ? overlapLoop(mask, publish, ownerScores, consumerWait) : `    // This warpgroup's pages, and before each the other's previous one (and after its last, the other's last).
    for (int tile = t0 + wg; tile <= t1; tile += 2) {
      float sc[32];
      const int own = used + (tile - t0);
      uint8_t* kt = stageBase + (own % STAGES) * TILE_BYTES;
      if (tile < t1) {
${ownerScores}      }
      if (tile - 1 >= t0) {
        // The other warpgroup's page tile - 1: its alpha, maximum, row sums and probabilities.
        const int u = used + (tile - 1 - t0), so = u % STAGES;
        publish_wait(4 + ((tile - 1 - t0) & 1));
${consumerWait}
        uint32_t pb[4][4];
${READ_SLOT_P}#pragma unroll
        for (int h = 0; h < 2; ++h) {
          const int r = 16 * warp + g + 8 * h;
          const float alpha = slotAlpha[r];
          rowSum[h] = rowSum[h] * alpha + slotSum[r];
          rowMax[h] = slotMax[r];
#pragma unroll
          for (int j = 0; j < 32; ++j) {
            acc[4 * j + 2 * h] *= alpha;
            acc[4 * j + 2 * h + 1] *= alpha;
          }
        }
        uint8_t* ko = stageBase + so * TILE_BYTES;
        wgmma_fence();
#pragma unroll
        for (int kk = 0; kk < 4; ++kk) wgmma_pv(acc, pb[kk], desc_mn_major(ko + wg * 4 * BOX_BYTES + kk * 2048));
        wgmma_commit();
        wgmma_wait_all();
        release(u, tile - 1);
      }
      if (tile < t1) {
${pageSoftmax(mask, publish, '    ')}        uint32_t pa[4][4];
${PUBLISH_PROBABILITIES}        wgmma_fence();
#pragma unroll
        for (int kk = 0; kk < 4; ++kk) wgmma_pv(acc, pa[kk], desc_mn_major(kt + wg * 4 * BOX_BYTES + kk * 2048));
        wgmma_commit();
        wgmma_wait_all();
        release(own, tile);
      }
    }
`}${writeOutputs('  ')}  }
  used += t1 - t0;
  }  // the CTA's pieces
}
`;
}
