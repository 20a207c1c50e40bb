// The paged reference against a dense attention computed in logical token order: pages in shuffled
// order, lengths 0 and not a multiple of 64, NaN in unused slots, causal masking inside the step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attentionInputs, referenceRow } from '../../../kernels/attention/reference.ts';
import { PAGE_SIZE, totalPages, type AttentionShape } from '../../../kernels/attention/shape.ts';
import { attentionWorkload, hostValues } from '../../../kernels/attention/workload.ts';
import { roundF16 } from '../../../kernels/attention/f16.ts';

const shape = (lengths: number[], extra: Partial<AttentionShape> = {}): AttentionShape => ({
  batch: lengths.length, queryTokens: 2, heads: 4, kvHeads: 2, keyDim: 8, valueDim: 4, valuesInKeys: false,
  scale: 0.5, lengths, storage: 'f32', ...extra,
});

/** Dense attention over logical tokens 0..visible-1, gathered through the block table by hand. */
function dense(s: AttentionShape, seed: number, b: number, i: number, head: number): { o: number[]; lse: number } {
  const w = attentionWorkload(s, seed);
  // Dense arrays, not the reference's readers: an independent path to the same numbers.
  const inputs = {
    q: hostValues(w.buffers.q.data!, s.storage),
    keys: hostValues(w.buffers.k.data!, s.storage),
    values: hostValues(w.buffers.v.data!, s.storage),
    blockTable: w.buffers.blockTable.data as Int32Array,
    maxPages: (w.buffers.blockTable.data as Int32Array).length / s.batch,
  };
  const g = Math.floor(head / (s.heads / s.kvHeads));
  const visible = Math.max(0, s.lengths[b] - s.queryTokens + 1 + i);
  const q = Array.from({ length: s.keyDim }, (_, d) => inputs.q[((b * s.queryTokens + i) * s.heads + head) * s.keyDim + d]);
  const rowOf = (t: number) => (inputs.blockTable[b * inputs.maxPages + Math.floor(t / PAGE_SIZE)] * PAGE_SIZE + (t % PAGE_SIZE)) * s.kvHeads + g;
  const scores = Array.from({ length: visible }, (_, t) => q.reduce((sum, x, d) => sum + x * inputs.keys[rowOf(t) * s.keyDim + d], 0) * s.scale);
  if (visible === 0) return { o: new Array(s.valueDim).fill(0), lse: -Infinity };
  const max = Math.max(...scores);
  const p = scores.map((x) => Math.exp(x - max));
  const sum = p.reduce((a, x) => a + x, 0);
  const o = Array.from({ length: s.valueDim }, (_, d) => p.reduce((a, x, t) => a + x * inputs.values[rowOf(t) * s.valueDim + d], 0) / sum);
  return { o, lse: max + Math.log(sum) };
}

test('the paged reference equals dense attention over logical order, for lengths 0, 1, 63, 64, 65, 130', () => {
  const s = shape([0, 1, 63, 64, 65, 130]);
  const w = attentionWorkload(s, 7);
  const inputs = attentionInputs(s, w);
  for (let b = 0; b < s.batch; b++) {
    for (let i = 0; i < s.queryTokens; i++) {
      for (let h = 0; h < s.heads; h++) {
        const got = referenceRow(s, inputs, b, i, h);
        const want = dense(s, 7, b, i, h);
        assert.equal(got.lse === -Infinity, want.lse === -Infinity, `b${b} i${i} h${h}`);
        if (want.lse !== -Infinity) assert.ok(Math.abs(got.lse - want.lse) < 1e-12);
        got.o.forEach((x, d) => assert.ok(Math.abs(x - want.o[d]) < 1e-12 && Number.isFinite(x)));
      }
    }
  }
});

test('a length-0 sequence gives o = 0 and lse = -Infinity; with two query tokens, length 1 leaves the first one empty', () => {
  const s = shape([0, 1]);
  const inputs = attentionInputs(s, attentionWorkload(s, 3));
  const empty = referenceRow(s, inputs, 0, 1, 0);
  assert.equal(empty.lse, -Infinity);
  assert.ok(empty.o.every((x) => x === 0));
  assert.equal(referenceRow(s, inputs, 1, 0, 0).lse, -Infinity);
  // The second query token sees the one token: softmax of one score is 1, o is that token's value.
  const one = referenceRow(s, inputs, 1, 1, 0);
  assert.ok(Number.isFinite(one.lse));
});

test('pages are handed out shuffled, every unused slot holds NaN, and the reference never reads one', () => {
  const s = shape([70, 130, 5], { valuesInKeys: true, kvHeads: 1, keyDim: 8, valueDim: 4 });
  const w = attentionWorkload(s, 11);
  const table = w.buffers.blockTable.data as Int32Array;
  const used = [...table].filter((p) => p >= 0);
  assert.equal(used.length, totalPages(s) - 1);
  assert.notDeepEqual(used, [...used].sort((x, y) => x - y), 'physical pages are not in logical order');
  const cache = w.buffers.kv.data as Float32Array;
  let nan = 0;
  for (const x of cache) if (Number.isNaN(x)) nan++;
  const owned = s.lengths.reduce((a, l) => a + l, 0) * s.keyDim;
  assert.equal(nan, cache.length - owned);
  const inputs = attentionInputs(s, w);
  for (let b = 0; b < s.batch; b++) {
    for (let h = 0; h < s.heads; h++) {
      const row = referenceRow(s, inputs, b, 1, h);
      assert.ok(Number.isFinite(row.lse) && row.o.every(Number.isFinite));
    }
  }
});

test('f16 storage rounds q and the cache to binary16, and the reference sees the rounded values', () => {
  const s = shape([40], { storage: 'f16' });
  const w = attentionWorkload(s, 5);
  assert.ok(w.buffers.q.data instanceof Uint32Array);
  assert.equal(w.buffers.q.bytes, 2 * s.queryTokens * s.heads * s.keyDim);
  const q = hostValues(w.buffers.q.data!, 'f16');
  const read = attentionInputs(s, w).q;
  q.forEach((x, i) => {
    assert.equal(read(i), x);
    assert.equal(roundF16(x), x); // a binary16 value
  });
});
