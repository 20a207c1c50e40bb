// Seeded inputs of paged decode attention: queries, a cache whose pages are handed out in shuffled
// order (as a paged allocator leaves them after a while), a block table per sequence, and NaN in
// every cache slot no sequence owns (the tail of each last page, and one spare page), so a kernel
// that reads past a sequence's length shows it in its output.
import { createRng, shuffled, type Rng } from '../../core/rng.ts';
import type { BufferSpec, HostArray, Workload } from '../types.ts';
import { f16At, f16Bits, packF16, unpackF16 } from './f16.ts';
import { attentionBufferBytes, maxPagesPerSequence, PAGE_SIZE, totalPages, type AttentionShape, type StorageType } from './shape.ts';

export interface PagedCacheLayout {
  /** [batch, maxPages] physical page of each logical page; -1 where a sequence has none. */
  blockTable: Int32Array;
  maxPages: number;
  pages: number;
}

export function pageLayout(shape: AttentionShape, rng: Rng): PagedCacheLayout {
  const maxPages = maxPagesPerSequence(shape);
  const pages = totalPages(shape);
  const physical = shuffled(Array.from({ length: pages }, (_, p) => p), rng);
  const blockTable = new Int32Array(shape.batch * maxPages).fill(-1);
  let next = 0;
  shape.lengths.forEach((len, b) => {
    for (let p = 0; p < Math.ceil(len / PAGE_SIZE); p++) blockTable[b * maxPages + p] = physical[next++];
  });
  return { blockTable, maxPages, pages };
}

/** The binary16 quiet NaN written into unused cache slots. */
const F16_NAN = 0x7e00;

const encode = (values: Float32Array, storage: StorageType): HostArray => (storage === 'f16' ? packF16(values) : values);

/** Reads element i of a q or cache buffer, whichever storage it was uploaded in, without copying it. */
export type ValueReader = (index: number) => number;

export function valueReader(data: HostArray, storage: StorageType): ValueReader {
  if (storage === 'f16') {
    const words = data as Uint32Array;
    return (i) => f16At(words, i);
  }
  const values = data as Float32Array;
  return (i) => values[i];
}

/** f32 copy (f16) or view (f32) of a q or cache buffer. */
export function hostValues(data: HostArray, storage: StorageType): Float32Array {
  if (storage === 'f16') return unpackF16(data as Uint32Array);
  return data as Float32Array;
}

const uniform = (rng: Rng): number => 2 * rng.next() - 1;

/**
 * Cache rows [pages, 64, kvHeads, dim] in their storage encoding (written directly: the DeepSeek-V3
 * presets hold hundreds of millions of elements): owned slots random, all others NaN.
 */
function cacheValues(shape: AttentionShape, layout: PagedCacheLayout, dim: number, rng: Rng): HostArray {
  const rowElems = shape.kvHeads * dim;
  const count = layout.pages * PAGE_SIZE * rowElems;
  const f16 = shape.storage === 'f16';
  const halves = f16 ? new Uint16Array(count).fill(F16_NAN) : undefined;
  const floats = f16 ? undefined : new Float32Array(count).fill(NaN);
  shape.lengths.forEach((len, b) => {
    for (let t = 0; t < len; t++) {
      const page = layout.blockTable[b * layout.maxPages + Math.floor(t / PAGE_SIZE)];
      const base = (page * PAGE_SIZE + (t % PAGE_SIZE)) * rowElems;
      if (halves) for (let k = 0; k < rowElems; k++) halves[base + k] = f16Bits(uniform(rng));
      else for (let k = 0; k < rowElems; k++) floats![base + k] = uniform(rng);
    }
  });
  return halves ? new Uint32Array(halves.buffer) : floats!;
}

export function attentionWorkload(shape: AttentionShape, seed: number): Workload {
  const rng = createRng(seed);
  const layout = pageLayout(shape, rng);
  const sizes = attentionBufferBytes(shape);
  const q = Float32Array.from({ length: shape.batch * shape.queryTokens * shape.heads * shape.keyDim }, () => uniform(rng));
  const cache: Record<string, BufferSpec> = shape.valuesInKeys
    ? { kv: { role: 'input' as const, bytes: sizes.kv, data: cacheValues(shape, layout, shape.keyDim, rng) } }
    : {
        k: { role: 'input' as const, bytes: sizes.k, data: cacheValues(shape, layout, shape.keyDim, rng) },
        v: { role: 'input' as const, bytes: sizes.v, data: cacheValues(shape, layout, shape.valueDim, rng) },
      };
  return {
    seed,
    buffers: {
      q: { role: 'input', bytes: sizes.q, data: encode(q, shape.storage) },
      ...cache,
      blockTable: { role: 'input', bytes: sizes.blockTable, data: layout.blockTable },
      lengths: { role: 'input', bytes: sizes.lengths, data: Int32Array.from(shape.lengths) },
      o: { role: 'output', bytes: sizes.o },
      lse: { role: 'output', bytes: sizes.lse },
      oPart: { role: 'scratch', bytes: sizes.oPart },
      lsePart: { role: 'scratch', bytes: sizes.lsePart },
    },
    meta: { lengths: [...shape.lengths], storage: shape.storage, pageOrder: 'shuffled', nanInUnusedSlots: true },
  };
}
