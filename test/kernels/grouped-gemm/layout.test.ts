// The two layouts: contiguous rows padded per expert with -1 on padding rows; masked slots of M_max
// rows with masked_m. And verification fails a kernel that writes a row no expert owns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../core/errors.ts';
import { groupedGemm } from '../../../kernels/grouped-gemm/index.ts';
import { bufferBytes, groupedProblem, groupLayout, kBlocks } from '../../../kernels/grouped-gemm/problem.ts';
import { groupedWorkload } from '../../../kernels/grouped-gemm/workload.ts';
import { gemmReference } from '../../../kernels/fp8-gemm/reference.ts';
import { expertSample } from '../../../kernels/grouped-gemm/verify.ts';
import { createRng } from '../../../core/rng.ts';

test('contiguous: each expert starts at a multiple of the alignment; padding rows carry expert index -1', () => {
  const p = groupedGemm.presets['tiny-contiguous-zipf'];
  const layout = groupLayout(p);
  const w = groupedWorkload(p, 1);
  const index = w.buffers.rowInfo.data as Int32Array;
  assert.equal(index.length, layout.rows);
  layout.counts.forEach((count, g) => {
    assert.equal(layout.offsets[g] % p.align, 0);
    for (let r = 0; r < count; r++) assert.equal(index[layout.offsets[g] + r], g);
    const end = layout.offsets[g + 1] ?? layout.rows;
    for (let r = layout.offsets[g] + count; r < end; r++) assert.equal(index[r], -1);
  });
  assert.deepEqual(w.meta?.rowsPerExpert, layout.counts);
  assert.equal(w.meta?.routing, 'zipf');
});

test('masked: A is [G, M_max, K] with M_max covering the busiest expert; masked_m is the counts', () => {
  const p = groupedGemm.presets['tiny-masked-zipf'];
  const layout = groupLayout(p);
  assert.ok(layout.mMax >= Math.max(...layout.counts) && layout.mMax % p.align === 0);
  const w = groupedWorkload(p, 1);
  assert.deepEqual([...(w.buffers.rowInfo.data as Int32Array)], layout.counts);
  assert.equal(bufferBytes(p).a, p.G * layout.mMax * p.K);
});

function perfectOutput(p: typeof groupedGemm.presets.tiny, w: ReturnType<typeof groupedWorkload>): Float32Array {
  const layout = groupLayout(p);
  const { N, K } = p;
  const KB = Math.ceil(K / 128);
  const NB = Math.ceil(N / 128);
  const c = new Float32Array(layout.rows * N);
  const buf = w.buffers;
  layout.counts.forEach((count, g) => {
    const r0 = layout.offsets[g];
    const ref = gemmReference({ M: count, N, K }, {
      a: (buf.a.data as Uint32Array).subarray((r0 * K) / 4, ((r0 + count) * K) / 4),
      b: (buf.b.data as Uint32Array).subarray((g * N * K) / 4, ((g + 1) * N * K) / 4),
      scaleA: (buf.scaleA.data as Float32Array).subarray(r0 * KB, (r0 + count) * KB),
      scaleB: (buf.scaleB.data as Float32Array).subarray(g * NB * KB, (g + 1) * NB * KB),
    }, Array.from({ length: count * N }, (_, i) => i));
    c.set(ref.value, r0 * N);
  });
  return c;
}

// The last: K ending in a partial 128-wide block (three scale blocks, the last of 16 columns).
const verified = [
  ['tiny-contiguous', groupedGemm.presets['tiny-contiguous']],
  ['tiny-masked', groupedGemm.presets['tiny-masked']],
  ['tiny-contiguous with K=272', { ...groupedGemm.presets['tiny-contiguous'], K: 272 }],
] as const;
for (const [name, p] of verified) {
  test(`${name}: the exact output verifies; one value written into a row no expert owns fails`, () => {
    const w = groupedWorkload(p, 3);
    const c = perfectOutput(p, w);
    assert.equal(groupedGemm.verify(p, w, { c }).ok, true);
    const layout = groupLayout(p);
    const g = layout.counts.findIndex((count) => count % p.align !== 0);
    const stray = Float32Array.from(c);
    stray[(layout.offsets[g] + layout.counts[g]) * p.N] = 1;
    const v = groupedGemm.verify(p, w, { c: stray });
    assert.equal(v.ok, false);
    assert.equal(v.failures, 1);
  });
}

test('--shape: K must be a multiple of 16, flags are 0 or 1, layout and routing follow the flags', () => {
  assert.deepEqual(groupedProblem({ G: 4, M: 8, N: 64, K: 256, masked: 1, zipf: 1, align: 32 }), { G: 4, M: 8, N: 64, K: 256, layout: 'masked', routing: 'zipf', align: 32 });
  // A partial last 128-wide K block: K=272 is three scale blocks.
  const tail = groupedProblem({ G: 2, M: 8, N: 64, K: 272 });
  assert.equal(kBlocks(tail), 3);
  assert.equal(bufferBytes(tail).scaleB, 4 * 2 * 1 * 3);
  assert.throws(() => groupedProblem({ G: 4, M: 8, N: 64, K: 200 }), (e: unknown) => e instanceof UsageError && /K=200 is not a multiple of 16/.test(e.message));
  assert.throws(() => groupedProblem({ G: 4, M: 8, N: 64, K: 256, masked: 2 }), UsageError);
  assert.throws(() => groupedProblem({ G: 4, N: 64, K: 256 }), UsageError);
});

test('past 2^26 valid multiply-adds each expert is sampled: every N tile of its first and last rows, then random elements; exact output verifies, a wrong first-row tile fails', () => {
  const p = groupedProblem({ G: 4, M: 48, N: 1024, K: 512 });
  const w = groupedWorkload(p, 5);
  const c = perfectOutput(p, w);
  const v = groupedGemm.verify(p, w, { c });
  assert.equal(v.ok, true);
  const layout = groupLayout(p);
  const valid = layout.counts.reduce((x, n) => x + n, 0);
  assert.ok(valid * p.N * p.K > 2 ** 26);
  assert.ok((v.checked ?? 0) < layout.rows * p.N, `${v.checked} of ${layout.rows * p.N}`);
  // Expert 1's first row, one column of its last N tile, and its last row's first tile: each caught.
  for (const at of [layout.offsets[1] * p.N + p.N - 1, (layout.offsets[1] + layout.counts[1] - 1) * p.N + 5]) {
    const wrong = Float32Array.from(c);
    // Every column of the tile wrong (the sample takes one random column a tile).
    const tile0 = at - ((at % p.N) % 128);
    for (let n = 0; n < 128; n++) wrong[tile0 + n] += 1000;
    assert.equal(groupedGemm.verify(p, w, { c: wrong }).ok, false, `tile at ${at}`);
  }
});

test('an expert\'s sample holds a column of every 128-wide N tile in its first and last rows, and its budget of random elements', () => {
  const rng = createRng(9);
  const N = 1000;
  const sample = expertSample(37, N, 300, rng);
  for (const r of [0, 36]) for (let n0 = 0; n0 < N; n0 += 128) assert.ok(sample.some((i) => Math.floor(i / N) === r && i % N >= n0 && i % N < n0 + 128), `row ${r} tile ${n0}`);
  assert.ok(sample.includes(N - 1) && sample.includes(36 * N + N - 1));
  assert.ok(sample.length > 250 && sample.length <= 300 && new Set(sample).size === sample.length);
  assert.ok(sample.every((i) => i >= 0 && i < 37 * N));
  assert.deepEqual(expertSample(1, 256, 0, createRng(1)).filter((i) => i >= 256), []);
});
