// The generic view of paged decode attention that MLA (absorbed) and MHA/GQA/MQA share: queries of
// s_q tokens per sequence attend, causally inside the step, to a paged cache of 64-token pages
// (FlashMLA's page size, ../shared/reference/deepseek-v3.md). MLA is the case of one KV head whose
// values are the first 512 dims of its 576-dim key rows; MHA keeps separate K and V caches.
import { elementBytes, type CacheStorage, type RowElementTypes } from '../element-types.ts';

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

/** Latent values per scale of MLA's FP8 cache (FlashMLA's layout and DeepSeek-V3's 128-wide quantization blocks). */
export const FP8_LATENT_BLOCK = 128;

/**
 * Bytes one token of MLA's FP8 latent cache takes: the latent values in e4m3 (1 byte each), an f32
 * scale per 128 of them, the RoPE dims in bf16. 512 + 16 + 128 = 656 for DeepSeek-V3.
 */
export const fp8LatentRowBytes = (s: AttentionShape): number =>
  s.valueDim + 4 * Math.ceil(s.valueDim / FP8_LATENT_BLOCK) + 2 * (s.keyDim - s.valueDim);

/**
 * Bytes of KV cache one token occupies and a decode step reads (per layer): elements x the problem's
 * element size, or MLA's FP8 rows (656 against bf16's 1152). Only MLA's latent cache has an FP8 form.
 */
export function kvBytesPerToken(s: AttentionShape, cache: CacheStorage = 'bf16'): number {
  if (cache === 'bf16') return kvElementsPerToken(s) * bytesPerElement(s.storage);
  if (!s.valuesInKeys) throw new Error('the FP8 cache is MLA\'s latent cache: an MHA/GQA/MQA problem has none');
  return fp8LatentRowBytes(s);
}

/** Bytes of the KV cache a decode step reads: every cached token of every sequence, once. */
export const kvCacheBytes = (s: AttentionShape, cache: CacheStorage = 'bf16'): number =>
  s.lengths.reduce((sum, len) => sum + len, 0) * kvBytesPerToken(s, cache);

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

/**
 * Compulsory traffic: queries and the cached tokens in use read once (the cache in the row's storage:
 * `types.cache`), the block table and lengths read once, o (f32 unless `types.output` says otherwise)
 * and lse (f32) written once.
 */
export function attentionBytes(s: AttentionShape, types: RowElementTypes = {}): number {
  const e = bytesPerElement(s.storage);
  const rows = queryRows(s);
  const out = types.output ? elementBytes(types.output) : 4;
  return rows * s.keyDim * e + kvCacheBytes(s, types.cache) + 4 * s.batch * (maxPagesPerSequence(s) + 1) + rows * (out * s.valueDim + 4);
}
