// Inputs of the CUDA decode kernels: the family's paged layout (shuffled pages, a block table, NaN in
// every slot no sequence owns) with q and the cache in bfloat16, built fast enough for DeepSeek-V3's
// batches (B=128 at 8192 tokens is 604M cache values): every value is drawn from a table of 65536
// bf16-rounded uniform values in [-1, 1], so the values the CPU reference reads are exactly the
// values the kernel reads. MLA also gets the same cache in FP8 (FlashMLA's 656-byte token rows: 512
// e4m3 latent values, 4 f32 scales, one per 128 of them, then the 64 RoPE values in bf16), and its
// bf16 latent values are those FP8 values dequantized (code x scale, rounded to bf16, which is exact:
// see `FP8_SCALE`), so one reference serves both caches.
//
// Buffer layouts (also what the external peers read, raw little-endian):
//   q         [B][s_q][H][keyDim] bf16, two per u32
//   kv        MLA: [pages][64][576] bf16 (values are dims 0..511)
//   kvFp8     MLA: [pages][64] rows of 656 bytes (above), as u32 words
//   k, v      MHA: [pages][64][Hkv][128] bf16
//   blockTable [B][maxPages] i32 (-1 past a sequence's pages); lengths [B] i32
//   o [B][s_q][H][valueDim] f32; lse [B][s_q][H] f32 (natural log; -inf for a row that sees nothing)
//   oPart, lsePart: split partials; plan: the balanced schedule's plan (scratch, merge.ts)
import { createRng, shuffled, type Rng } from '../../../core/rng.ts';
import { E4M3_TABLE } from '../../fp8/e4m3.ts';
import type { BufferSpec, Workload } from '../../types.ts';
import { maxPagesPerSequence, PAGE_SIZE, queryRows, totalPages, type AttentionShape } from '../shape.ts';
import { pageLayout, type PagedCacheLayout } from '../workload.ts';
import { BF16_NAN, bf16Bits } from './bf16.ts';
import { MAX_PARTS, planInts } from './merge.ts';

/** Bytes of one token row of the FP8 latent cache, and where its parts start. */
export const FP8_ROW_BYTES = 656;
export const FP8_SCALES_OFFSET = 512;
export const FP8_ROPE_OFFSET = 528;
/** Latent values per FP8 scale. */
export const FP8_BLOCK = 128;

/**
 * Scales of the FP8 cache: 8-bit significands times 2^-16, so code x scale is exact in f32 (4 + 8
 * significant bits) and the kernel's one rounding to bf16 is the workload's; |value| <= 448 x 2^-8.
 */
export const FP8_SCALE = (rng: Rng): number => (128 + rng.int(128)) * 2 ** -16;
/** The largest |latent value| of MLA's caches: 448 x the largest scale (1.74). */
export const MLA_LARGEST_VALUE = 448 * 255 * 2 ** -16;

/**
 * Most bytes one cache buffer is built with on the host (typed arrays stop at 4 GiB; MHA at B=128,
 * H=128, 4096 tokens needs 17 GiB per cache). Past it, the sequences' logical pages cycle through a
 * shuffled pool of physical pages of this size, every slot of it valued (no NaN): the kernel still
 * moves every page it reads from DRAM, the pool being far larger than the L2 and the cycle revisiting
 * a page only every pool-size pages, and the reference reads through the same block table. Below
 * 2 GiB: node's Buffer lengths stop at 2^31 - 1 bytes (a pool of exactly 2^31 bytes was refused on
 * the H200, and MHA at B=128, H=128 never ran).
 */
export const MAX_CACHE_BUFFER_BYTES = 2 ** 31 - 1;

/** Physical pages of the cache buffers: every page the sequences use, or the pool past the bound. */
export const cachePages = (shape: AttentionShape): number =>
  Math.min(totalPages(shape), Math.floor(MAX_CACHE_BUFFER_BYTES / (PAGE_SIZE * 2 * shape.kvHeads * shape.keyDim)));

/** The family's page layout, or, past MAX_CACHE_BUFFER_BYTES, logical pages cycling through a shuffled pool. */
export function cudaPageLayout(shape: AttentionShape, rng: Rng, rowBytes: number): PagedCacheLayout & { aliased: boolean } {
  const pool = Math.floor(MAX_CACHE_BUFFER_BYTES / (PAGE_SIZE * rowBytes));
  if (totalPages(shape) <= pool) return { ...pageLayout(shape, rng), aliased: false };
  const physical = shuffled(Array.from({ length: pool }, (_, p) => p), rng);
  const maxPages = maxPagesPerSequence(shape);
  const blockTable = new Int32Array(shape.batch * maxPages).fill(-1);
  let next = 0;
  shape.lengths.forEach((len, b) => {
    for (let p = 0; p < Math.ceil(len / PAGE_SIZE); p++) blockTable[b * maxPages + p] = physical[next++ % pool];
  });
  return { blockTable, maxPages, pages: pool, aliased: true };
}

/** Split partials the scratch buffers hold: at most 64, and at most 1 GiB of them. */
export function cudaMaxSplits(shape: AttentionShape): number {
  let splits = 64;
  while (splits > 1 && queryRows(shape) * splits * (shape.valueDim + 1) * 4 > 2 ** 30) splits /= 2;
  return splits;
}


/** An xorshift32 stream of 16-bit table indices, two per draw. */
function indexStream(seed: number): () => number {
  let x = (seed * 2654435761) >>> 0 || 1;
  let spare = -1;
  return () => {
    if (spare >= 0) {
      const s = spare;
      spare = -1;
      return s;
    }
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    spare = x >>> 16;
    return x & 0xffff;
  };
}

/** 65536 bf16 codes of uniform values in [-1, 1]. */
function uniformTable(rng: Rng): Uint16Array {
  return Uint16Array.from({ length: 0x10000 }, () => bf16Bits(2 * rng.next() - 1));
}

/** Physical slots (page * 64 + offset) each sequence owns, in token order; every slot once where pages are aliased. */
function ownedSlots(shape: AttentionShape, layout: PagedCacheLayout & { aliased: boolean }, each: (slot: number) => void): void {
  if (layout.aliased) {
    for (let slot = 0; slot < layout.pages * PAGE_SIZE; slot++) each(slot);
    return;
  }
  shape.lengths.forEach((len, b) => {
    for (let t = 0; t < len; t++) each(layout.blockTable[b * layout.maxPages + Math.floor(t / PAGE_SIZE)] * PAGE_SIZE + (t % PAGE_SIZE));
  });
}

/** A [slots][rowElems] bf16 cache: owned rows from the table, all others NaN. */
function bf16Cache(shape: AttentionShape, layout: PagedCacheLayout & { aliased: boolean }, rowElems: number, table: Uint16Array, seed: number): Uint16Array {
  const halves = new Uint16Array(layout.pages * PAGE_SIZE * rowElems).fill(BF16_NAN);
  const next = indexStream(seed);
  ownedSlots(shape, layout, (slot) => {
    const base = slot * rowElems;
    for (let k = 0; k < rowElems; k++) halves[base + k] = table[next()];
  });
  return halves;
}

/**
 * MLA's cache in FP8 rows and the same values in bf16 rows: latent codes random (never NaN), a
 * scale per 128, RoPE values from the table; unowned rows NaN in both.
 */
function mlaCaches(shape: AttentionShape, layout: PagedCacheLayout & { aliased: boolean }, table: Uint16Array, rng: Rng, seed: number): { kv: Uint16Array; kvFp8: Uint8Array } {
  const slots = layout.pages * PAGE_SIZE;
  const dim = shape.keyDim;
  const latent = shape.valueDim;
  const kv = new Uint16Array(slots * dim).fill(BF16_NAN);
  const kvFp8 = new Uint8Array(slots * FP8_ROW_BYTES);
  const fp8Words = new DataView(kvFp8.buffer);
  for (let s = 0; s < slots; s++) {
    const row = s * FP8_ROW_BYTES;
    kvFp8.fill(0x7f, row, row + latent);
    for (let j = 0; j < latent / FP8_BLOCK; j++) fp8Words.setFloat32(row + FP8_SCALES_OFFSET + 4 * j, NaN, true);
    for (let d = 0; d < dim - latent; d++) fp8Words.setUint16(row + FP8_ROPE_OFFSET + 2 * d, BF16_NAN, true);
  }
  const next = indexStream(seed);
  const scales = new Float32Array(latent / FP8_BLOCK);
  ownedSlots(shape, layout, (slot) => {
    const row = slot * FP8_ROW_BYTES;
    const base = slot * dim;
    for (let j = 0; j < scales.length; j++) {
      scales[j] = FP8_SCALE(rng);
      fp8Words.setFloat32(row + FP8_SCALES_OFFSET + 4 * j, scales[j], true);
    }
    for (let d = 0; d < latent; d++) {
      let code = next() & 0xff;
      if ((code & 0x7f) === 0x7f) code ^= 1; // e4m3 has no infinities; 0x7f and 0xff are NaN
      kvFp8[row + d] = code;
      kv[base + d] = bf16Bits(E4M3_TABLE[code] * scales[d >> 7]);
    }
    for (let d = latent; d < dim; d++) {
      const bits = table[next()];
      kv[base + d] = bits;
      fp8Words.setUint16(row + FP8_ROPE_OFFSET + 2 * (d - latent), bits, true);
    }
  });
  return { kv, kvFp8 };
}

const words = (halves: Uint16Array | Uint8Array): Uint32Array => new Uint32Array(halves.buffer, halves.byteOffset, halves.byteLength / 4);

export function cudaDecodeWorkload(shape: AttentionShape, seed: number): Workload {
  const rng = createRng(seed);
  // The largest cache buffer's row decides the pool (MLA: the bf16 rows; MHA: K and V rows alike).
  const layout = cudaPageLayout(shape, rng, 2 * shape.kvHeads * shape.keyDim);
  const table = uniformTable(rng);
  const rows = queryRows(shape);
  const q = new Uint16Array(rows * shape.keyDim);
  const nextQ = indexStream(seed ^ 0x9e3779b9);
  for (let i = 0; i < q.length; i++) q[i] = table[nextQ()];
  const input = (data: Uint32Array | Int32Array): BufferSpec => ({ role: 'input', bytes: data.byteLength, data });
  let cache: Record<string, BufferSpec>;
  if (shape.valuesInKeys) {
    const { kv, kvFp8 } = mlaCaches(shape, layout, table, rng, seed * 3 + 1);
    cache = { kv: input(words(kv)), kvFp8: input(words(kvFp8)) };
  } else {
    const dims = shape.kvHeads * shape.keyDim;
    cache = {
      k: input(words(bf16Cache(shape, layout, dims, table, seed * 3 + 1))),
      v: input(words(bf16Cache(shape, layout, shape.kvHeads * shape.valueDim, table, seed * 3 + 2))),
    };
  }
  const splits = cudaMaxSplits(shape);
  return {
    seed,
    buffers: {
      q: input(words(q)),
      ...cache,
      blockTable: input(layout.blockTable),
      lengths: input(Int32Array.from(shape.lengths)),
      o: { role: 'output', bytes: 4 * rows * shape.valueDim },
      lse: { role: 'output', bytes: 4 * rows },
      oPart: { role: 'scratch', bytes: 4 * rows * splits * shape.valueDim },
      lsePart: { role: 'scratch', bytes: 4 * rows * splits },
      plan: { role: 'scratch', bytes: 4 * planInts(MAX_PARTS, shape.batch), elementType: 'i32' },
    },
    meta: {
      generator: 'attention/cuda cudaDecodeWorkload: bf16 values from a table of uniform [-1, 1]',
      lengths: [...shape.lengths], storage: 'bf16', fp8Cache: shape.valuesInKeys ? 'e4m3 + f32 scale per 128, RoPE bf16 (656-byte rows)' : undefined,
      pageOrder: 'shuffled', nanInUnusedSlots: !layout.aliased,
      ...(layout.aliased ? { physicalPages: layout.pages, logicalPagesCycleThroughPool: true } : {}), maxPages: maxPagesPerSequence(shape),
    },
  };
}
