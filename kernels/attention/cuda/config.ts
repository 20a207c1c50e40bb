// The config of the sm_90a paged decode kernels (MLA absorbed and MHA/GQA/MQA share it): a CTA
// serves `headsPerCta` query heads of one KV head for every query token of the step, walks its
// split's cache tiles through a pipeline of `stages` tiles, and `warps` warps divide the work. What
// the device and the shape allow is space.ts's business; the kernels' sources read only this.

export interface CudaDecodeConfig {
  /**
   * The split kernel: bf16 mma.sync tiles with cp.async staging (absent: this one), or WGMMA with
   * whole-page loads (MLA, 64-token tiles, two math warpgroups: wgmma.ts; over the bf16 cache by TMA,
   * verified on the H200 and among the candidates since; over the FP8 cache by bulk copies and a
   * dequantization into shared memory, wgmma-fp8.ts, not yet run on a GPU).
   */
  readonly kernel?: 'mma-sync' | 'wgmma';
  /**
   * WGMMA kernel only: each warpgroup computes the scores of the whole 64-token page ('whole', the
   * default, verified on the H200); or of its 32 tokens, the two exchanging row maxima and
   * probabilities through shared memory ('halves': half the q.k work, wgmma.ts); or the warpgroups
   * take the pages' scores in turn, one's softmax overlapping the other's products ('alternating',
   * wgmma-alternating.ts). On the H200 (2026-12-05) 'halves' was the fastest at every tuned shape.
   * Or, for at most 32 query rows, 'transposed': the page's tokens as the MMA's m and the query rows
   * its n (padded to 8, not to 64), the warpgroups taking pages in turn with their own softmax state,
   * merged at the end (wgmma-transposed.ts; not yet run on a GPU).
   */
  readonly scores?: 'whole' | 'halves' | 'alternating' | 'transposed';
  /**
   * WGMMA kernel, scores alternating only: how a stage's next page comes in. 'page' (the default): all
   * nine 64-dim boxes on one barrier, loaded when both warpgroups have released the stage. 'boxes': a
   * barrier per box, the owner's q.k taking the boxes as they land (the RoPE box first), and each box
   * loaded again as soon as its last reader is done (the RoPE box after the owner's q.k, value boxes
   * 0-3 after warpgroup 0's p.v, 4-7 after warpgroup 1's), so that a warpgroup's next page is mostly
   * in when it gets to it (wgmma-alternating.ts).
   */
  readonly loads?: 'page' | 'boxes';
  /**
   * WGMMA kernel, scores alternating only: 'softmax' leaves the p.v of the other warpgroup's page in
   * flight through this warpgroup's softmax of its own page (O's rescale by the new alpha deferred until
   * that p.v is waited for), so that the chain from one page's published maximum to the next is the
   * softmax alone; absent ('none'): the p.v is waited for first.
   */
  readonly overlap?: 'none' | 'softmax';
  /** Query heads one CTA serves, all sharing one KV head: each cache tile read is reused this often. */
  readonly headsPerCta: number;
  /** Cache tokens per tile (a tile lies inside one 64-token page). */
  readonly tokensPerTile: number;
  /** Cache tiles in flight (cp.async groups); 1 loads and computes in turn. */
  readonly stages: number;
  readonly warps: number;
  /**
   * Split-KV. 'even': each sequence's tiles are cut into `splits` even chunks, a CTA each (grid
   * splits x head groups x B). 'balanced': `splits` CTAs per head group share the whole batch's tiles
   * by a plan computed on the device once per batch from the lengths (FlashMLA's scheme: whole
   * sequences while they fit, the one that does not cut), so uneven lengths still balance. Partials
   * of a cut sequence are merged by the combine kernel.
   */
  readonly schedule: 'even' | 'balanced';
  readonly splits: number;
  /**
   * CTAs one SM keeps resident (mma.sync kernel; absent: 1): 2 caps registers at half the file
   * (__launch_bounds__) and needs the shared memory of two CTAs on the SM, so that one CTA's softmax
   * and synchronisation overlap the other's loads and MMAs.
   */
  readonly ctasPerSm?: 1 | 2;
  /** The latent cache in bf16, or in FP8 (e4m3 with a scale per 128 values, RoPE in bf16; MLA only). */
  readonly cache: 'bf16' | 'fp8';
  /**
   * A deliberately broken variant, never in the space: each split skips its last tile
   * ('drop-last-tile'), or no token is masked (neither past the length nor causally inside the step).
   */
  readonly fault?: 'drop-last-tile' | 'no-mask';
}
