import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeE4m3 } from '../../../kernels/fp8/e4m3.ts';
import { fp8Gemm } from '../../../kernels/fp8-gemm/index.ts';
import { gemmReference, type GemmOperands } from '../../../kernels/fp8-gemm/reference.ts';

const operandsOf = (problem: { M: number; N: number; K: number }, seed: number) => {
  const w = fp8Gemm.workload(problem, seed);
  return Object.fromEntries(['a', 'b', 'scaleA', 'scaleB'].map((n) => [n, w.buffers[n].data])) as unknown as GemmOperands;
};

/** The plain definition: sum over k of dequantized a times dequantized b, in float64. */
function naive(problem: { M: number; N: number; K: number }, ops: GemmOperands, m: number, n: number): number {
  const { K } = problem;
  const KB = Math.ceil(K / 128);
  const bytesA = new Uint8Array(ops.a.buffer);
  const bytesB = new Uint8Array(ops.b.buffer);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const a = decodeE4m3(bytesA[m * K + k]) * ops.scaleA[m * KB + Math.floor(k / 128)];
    const b = decodeE4m3(bytesB[n * K + k]) * ops.scaleB[Math.floor(n / 128) * KB + Math.floor(k / 128)];
    sum += a * b;
  }
  return sum;
}

test('the block-promoted reference equals the naive float64 product of dequantized values', () => {
  const problem = { M: 5, N: 200, K: 384 }; // N spans two 128-row weight blocks, K three scale blocks
  const ops = operandsOf(problem, 7);
  const indices = Array.from({ length: problem.M * problem.N }, (_, i) => i);
  const ref = gemmReference(problem, ops, indices);
  for (const i of indices) {
    const expected = naive(problem, ops, Math.floor(i / problem.N), i % problem.N);
    assert.ok(Math.abs(ref.value[i] - expected) <= 1e-12 * ref.absSum[i], `element ${i}: ${ref.value[i]} vs ${expected}`);
    assert.ok(ref.absSum[i] >= Math.abs(ref.value[i]));
  }
});

test('with K not a multiple of 128 the partial last block is promoted with its own scales, as the naive product', () => {
  const problem = { M: 3, N: 140, K: 272 }; // two whole K blocks and one of 16 columns
  const ops = operandsOf(problem, 11);
  assert.equal(ops.scaleA.length, 3 * 3);
  assert.equal(ops.scaleB.length, 2 * 3);
  const indices = Array.from({ length: problem.M * problem.N }, (_, i) => i);
  const ref = gemmReference(problem, ops, indices);
  const whole = gemmReference({ ...problem, K: 256 }, { ...ops, a: repack(ops.a, 3, 272, 256), b: repack(ops.b, 140, 272, 256), scaleA: dropLast(ops.scaleA, 3), scaleB: dropLast(ops.scaleB, 3) }, indices);
  let tailMatters = 0;
  for (const i of indices) {
    const expected = naive(problem, ops, Math.floor(i / problem.N), i % problem.N);
    assert.ok(Math.abs(ref.value[i] - expected) <= 1e-12 * ref.absSum[i], `element ${i}: ${ref.value[i]} vs ${expected}`);
    if (Math.abs(ref.value[i] - whole.value[i]) > 1e-6 * ref.absSum[i]) tailMatters++;
  }
  // The 16 tail columns change (nearly) every element: a kernel that drops them is caught.
  assert.ok(tailMatters > indices.length * 0.9, `${tailMatters} of ${indices.length}`);
});

/** The first `keep` columns of packed e4m3 rows. */
function repack(packed: Uint32Array, rows: number, K: number, keep: number): Uint32Array {
  const bytes = new Uint8Array(packed.buffer, packed.byteOffset, rows * K);
  const out = new Uint8Array(rows * keep);
  for (let r = 0; r < rows; r++) out.set(bytes.subarray(r * K, r * K + keep), r * keep);
  return new Uint32Array(out.buffer);
}

/** Scales [rows][blocks] without the last block of each row. */
const dropLast = (scales: Float32Array, blocks: number): Float32Array => scales.filter((_, i) => i % blocks !== blocks - 1);

test('workloads are seeded: the same seed gives the same operands, another seed different ones', () => {
  const problem = { M: 4, N: 8, K: 128 };
  assert.deepEqual(operandsOf(problem, 3).a, operandsOf(problem, 3).a);
  assert.notDeepEqual(operandsOf(problem, 3).a, operandsOf(problem, 4).a);
});

test('verification accepts the reference itself and rejects a perturbed output', () => {
  const problem = { M: 8, N: 16, K: 256 };
  const w = fp8Gemm.workload(problem, 1);
  const ops = operandsOf(problem, 1);
  const ref = gemmReference(problem, ops, Array.from({ length: 128 }, (_, i) => i));
  const good = Float32Array.from(ref.value);
  assert.equal(fp8Gemm.verify(problem, w, { c: good }).ok, true);
  const bad = Float32Array.from(good);
  bad[77] += 0.05 * ref.absSum[77];
  const verdict = fp8Gemm.verify(problem, w, { c: bad });
  assert.equal(verdict.ok, false);
  assert.equal(verdict.failures, 1);
  const nan = Float32Array.from(good);
  nan[3] = NaN;
  assert.equal(fp8Gemm.verify(problem, w, { c: nan }).ok, false);
});
