// The CUDA decode workload holds exactly the values its verification's reference reads: bf16 q and
// cache, the FP8 cache dequantizing to the bf16 one (code x scale rounded once), NaN in every slot no
// sequence owns; and the verification passes the reference's own outputs and fails outputs off by
// more than the derived tolerance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bf16At, bf16Bits, bf16Value, roundBf16 } from '../../../../kernels/attention/cuda/bf16.ts';
import { bf16Inputs, cudaDecodeTolerance, verifyCudaDecode } from '../../../../kernels/attention/cuda/verify.ts';
import { cudaDecodeWorkload, cudaPageLayout, MAX_CACHE_BUFFER_BYTES, FP8_ROPE_OFFSET, FP8_ROW_BYTES, FP8_SCALES_OFFSET, MLA_LARGEST_VALUE } from '../../../../kernels/attention/cuda/workload.ts';
import { referenceRow } from '../../../../kernels/attention/reference.ts';
import { PAGE_SIZE, queryRows, type AttentionShape } from '../../../../kernels/attention/shape.ts';
import { createRng } from '../../../../core/rng.ts';
import { E4M3_TABLE } from '../../../../kernels/fp8/e4m3.ts';
import { mhaShape } from '../../../../kernels/mha-decode/problem.ts';
import { mlaShape } from '../../../../kernels/mla-decode/problem.ts';
import type { Workload } from '../../../../kernels/types.ts';

const mla = mlaShape({ B: 8, sq: 2, H: 4, L: 200, lengths: 'edges', dtype: 'f16' });
const gqa = mhaShape({ B: 8, sq: 1, H: 8, Hkv: 2, L: 130, lengths: 'edges', dtype: 'f16' });

test('bf16 rounds to nearest even and packs two per word, low half first', () => {
  assert.equal(bf16Bits(1), 0x3f80);
  assert.equal(bf16Value(0x3f80), 1);
  assert.equal(roundBf16(1 + 2 ** -8), 1); // a tie rounds to the even significand
  assert.equal(roundBf16(1 + 3 * 2 ** -8), 1 + 2 ** -6);
  assert.ok(Number.isNaN(bf16Value(bf16Bits(NaN))));
  const words = new Uint32Array([(bf16Bits(2) << 16) | bf16Bits(-0.5)]);
  assert.deepEqual([bf16At(words, 0), bf16At(words, 1)], [-0.5, 2]);
});

/** Physical slots owned by some sequence. */
function owned(shape: AttentionShape, w: Workload): Set<number> {
  const table = w.buffers.blockTable.data as Int32Array;
  const maxPages = table.length / shape.batch;
  const slots = new Set<number>();
  shape.lengths.forEach((len, b) => {
    for (let t = 0; t < len; t++) slots.add(table[b * maxPages + Math.floor(t / PAGE_SIZE)] * PAGE_SIZE + (t % PAGE_SIZE));
  });
  return slots;
}

test('MLA: the FP8 cache dequantizes to the bf16 cache the reference reads, NaN outside owned slots', () => {
  const w = cudaDecodeWorkload(mla, 5);
  const kv = w.buffers.kv.data as Uint32Array;
  const fp8 = new Uint8Array((w.buffers.kvFp8.data as Uint32Array).buffer);
  const view = new DataView(fp8.buffer);
  const slots = owned(mla, w);
  const total = fp8.length / FP8_ROW_BYTES;
  assert.equal(kv.length * 2, total * 576);
  let checked = 0;
  for (let slot = 0; slot < total; slot++) {
    const row = slot * FP8_ROW_BYTES;
    for (let d = 0; d < 576; d++) {
      const value = bf16At(kv, slot * 576 + d);
      if (!slots.has(slot)) {
        assert.ok(Number.isNaN(value), `slot ${slot} dim ${d} is not NaN`);
        continue;
      }
      const fromFp8 = d < 512
        ? roundBf16(E4M3_TABLE[fp8[row + d]] * view.getFloat32(row + FP8_SCALES_OFFSET + 4 * (d >> 7), true))
        : bf16Value(view.getUint16(row + FP8_ROPE_OFFSET + 2 * (d - 512), true));
      assert.equal(value, fromFp8, `slot ${slot} dim ${d}`);
      assert.ok(Math.abs(value) <= MLA_LARGEST_VALUE);
      checked++;
    }
  }
  assert.equal(checked, mla.lengths.reduce((a, b) => a + b, 0) * 576);
});

test('MHA: K and V rows of every KV head are bf16 values in [-1, 1] where owned, NaN elsewhere', () => {
  const w = cudaDecodeWorkload(gqa, 6);
  const slots = owned(gqa, w);
  for (const name of ['k', 'v']) {
    const words = w.buffers[name].data as Uint32Array;
    const row = gqa.kvHeads * 128;
    for (let slot = 0; slot < (words.length * 2) / row; slot++) {
      for (let d = 0; d < row; d++) {
        const value = bf16At(words, slot * row + d);
        assert.ok(slots.has(slot) ? Math.abs(value) <= 1 : Number.isNaN(value), `${name} slot ${slot}`);
      }
    }
  }
});

/** The reference's own outputs, laid out as the kernels write them. */
function referenceOutputs(shape: AttentionShape, w: Workload): { o: Float32Array; lse: Float32Array } {
  const inputs = bf16Inputs(shape, w);
  const o = new Float32Array(queryRows(shape) * shape.valueDim);
  const lse = new Float32Array(queryRows(shape));
  for (let row = 0; row < queryRows(shape); row++) {
    const b = Math.floor(row / (shape.queryTokens * shape.heads));
    const ref = referenceRow(shape, inputs, b, Math.floor(row / shape.heads) % shape.queryTokens, row % shape.heads);
    o.set(ref.o, row * shape.valueDim);
    lse[row] = ref.lse;
  }
  return { o, lse };
}

for (const [name, shape] of [['MLA', mla], ['GQA', gqa]] as const) {
  test(`${name}: the reference's outputs verify; one value off by twice the tolerance, a NaN, a finite empty row do not`, () => {
    const w = cudaDecodeWorkload(shape, 7);
    const good = referenceOutputs(shape, w);
    assert.equal(verifyCudaDecode(shape, w, good).ok, true);
    const tol = cudaDecodeTolerance(shape);
    const off = { o: good.o.slice(), lse: good.lse };
    off.o[shape.valueDim * 3 + 5] += 2 * (tol.abs + tol.rel * Math.abs(off.o[shape.valueDim * 3 + 5]));
    assert.equal(verifyCudaDecode(shape, w, off).ok, false);
    const nan = { o: good.o.slice(), lse: good.lse };
    nan.o[0] = NaN;
    assert.equal(verifyCudaDecode(shape, w, nan).ok, false);
    // Sequence 1 is empty (edges): its rows must say lse = -inf, not 0.
    const empty = shape.queryTokens * shape.heads;
    assert.equal(good.lse[empty], -Infinity);
    const finite = { o: good.o, lse: good.lse.slice() };
    finite.lse[empty] = 0;
    assert.equal(verifyCudaDecode(shape, w, finite).ok, false);
  });
}

test('the tolerance follows the largest cache value: MLA latents reach 1.74, MHA values 1', () => {
  assert.ok(Math.abs(cudaDecodeTolerance(mla).abs - (2 ** -8 * MLA_LARGEST_VALUE + 1e-5)) < 1e-12);
  assert.ok(Math.abs(cudaDecodeTolerance(gqa).abs - (2 ** -8 + 1e-5)) < 1e-12);
});

test('past 2 GiB a cache buffer is a shuffled pool the sequences cycle through (MHA at 128 heads)', () => {
  const shape = mhaShape({ B: 32, sq: 1, H: 128, Hkv: 128, L: 4096, lengths: 'fixed', dtype: 'f16' });
  const rowBytes = 2 * 128 * 128;
  const layout = cudaPageLayout(shape, createRng(3), rowBytes);
  assert.equal(layout.aliased, true);
  // Pages of 2 MiB: a pool of 1023, under node's Buffer limit of 2^31 - 1 bytes.
  assert.equal(layout.pages, Math.floor(MAX_CACHE_BUFFER_BYTES / (PAGE_SIZE * rowBytes)));
  assert.equal(layout.pages, 1023);
  assert.ok(layout.pages * PAGE_SIZE * rowBytes <= 2 ** 31 - 1);
  const uses = new Uint32Array(layout.pages);
  for (const page of layout.blockTable) uses[page]++;
  // 2048 logical pages over a pool of 1023: every physical page twice or three times, a sequence's 64 pages all distinct.
  assert.ok(uses.every((n) => n === 2 || n === 3));
  for (let b = 0; b < shape.batch; b++) assert.equal(new Set(layout.blockTable.subarray(b * 64, b * 64 + 64)).size, 64);
  // Below the bound: the family's layout, one physical page per logical page.
  const small = cudaPageLayout(mlaShape({ B: 128, sq: 1, H: 16, L: 8192, lengths: 'fixed', dtype: 'f16' }), createRng(3), 1152);
  assert.equal(small.aliased, false);
});
