// The generic view of paged decode attention that MLA (absorbed) and MHA/GQA/MQA share: queries of
// s_q tokens per sequence attend, causally inside the step, to a paged cache of 64-token pages
// (FlashMLA's page size, ../shared/reference/deepseek-v3.md). MLA is the case of one KV head whose
// values are the first 512 dims of its 576-dim key rows; MHA keeps separate K and V caches.

/** Tokens per cache page (FlashMLA's block size). */
export const PAGE_SIZE = 64;

export type StorageType = 'f16' | 'f32';

export interface AttentionShape {
  batch: number;
  /** Query tokens per sequence in this step: 1, or 2 with multi-token prediction. */
  queryTokens: number;
  heads: number;
  /** KV heads: 1 for MLA and MQA, heads/group for GQA, heads for MHA. */
  kvHeads: number;
  keyDim: number;
  valueDim: number;
  /** True when values are the first valueDim dims of the key rows (MLA's latent cache). */
  valuesInKeys: boolean;
  scale: number;
  /** Tokens in cache per sequence (the query tokens included: they are the last ones). */
  lengths: readonly number[];
  storage: StorageType;
}

export const bytesPerElement = (storage: StorageType): number => (storage === 'f16' ? 2 : 4);
export const maxPagesPerSequence = (s: AttentionShape): number =>
  Math.max(1, ...s.lengths.map((len) => Math.ceil(len / PAGE_SIZE)));
/** Pages allocated beyond what the sequences use: never referenced, filled with NaN by the workload. */
export const SPARE_PAGES = 1;

/** Pages the cache allocates: every sequence's pages plus the spare ones. */
export const totalPages = (s: AttentionShape): number =>
  s.lengths.reduce((sum, len) => sum + Math.ceil(len / PAGE_SIZE), 0) + SPARE_PAGES;

/** Cache elements one token occupies (the figure MLA exists to shrink: 576 vs 2*H*128). */
export const kvElementsPerToken = (s: AttentionShape): number =>
  s.valuesInKeys ? s.kvHeads * s.keyDim : s.kvHeads * (s.keyDim + s.valueDim);

/** Cache tokens query token i (0-based within the step) may see: causal inside the step. */
export const visibleTokens = (length: number, queryTokens: number, i: number): number =>
  Math.max(0, length - queryTokens + 1 + i);

export const queryRows = (s: AttentionShape): number => s.batch * s.queryTokens * s.heads;

/** Splits the scratch buffers are sized for: enough to fill a device at small batch, bounded in bytes. */
export function maxSplits(s: AttentionShape): number {
  const rows = queryRows(s);
  let splits = 16;
  while (splits > 1 && rows * splits > 16384) splits /= 2;
  return splits;
}

export function attentionFlops(s: AttentionShape): number {
  let flops = 0;
  for (const len of s.lengths) {
    for (let i = 0; i < s.queryTokens; i++) flops += 2 * visibleTokens(len, s.queryTokens, i) * s.heads * (s.keyDim + s.valueDim);
  }
  return flops;
}

/** Device buffer sizes in bytes, by binding name. The cache counts every allocated page. */
export function attentionBufferBytes(s: AttentionShape): Record<string, number> {
  const e = bytesPerElement(s.storage);
  const slots = totalPages(s) * PAGE_SIZE;
  const rows = queryRows(s);
  const cache: Record<string, number> = s.valuesInKeys
    ? { kv: slots * s.kvHeads * s.keyDim * e }
    : { k: slots * s.kvHeads * s.keyDim * e, v: slots * s.kvHeads * s.valueDim * e };
  return {
    q: rows * s.keyDim * e,
    ...cache,
    blockTable: 4 * s.batch * maxPagesPerSequence(s),
    lengths: 4 * s.batch,
    o: 4 * rows * s.valueDim,
    lse: 4 * rows,
    oPart: 4 * rows * maxSplits(s) * s.valueDim,
    lsePart: 4 * rows * maxSplits(s),
  };
}

/** Compulsory traffic: queries and the cached tokens in use read once, outputs written once. */
export function attentionBytes(s: AttentionShape): number {
  const e = bytesPerElement(s.storage);
  const tokens = s.lengths.reduce((sum, len) => sum + len, 0);
  const rows = queryRows(s);
  return rows * s.keyDim * e + tokens * kvElementsPerToken(s) * e + 4 * s.batch * (maxPagesPerSequence(s) + 1) + 4 * rows * (s.valueDim + 1);
}
