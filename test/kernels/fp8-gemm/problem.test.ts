// The FP8 GEMM problem takes any K that is a multiple of 16 (a row of e4m3 codes in whole 16-byte units),
// the last 128-wide scale block partial when K is not a multiple of 128; any other K is one line, exit 2.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../core/errors.ts';
import { bufferBytes, gemmBytes, gemmFlops, gemmProblem, kBlocks } from '../../../kernels/fp8-gemm/problem.ts';

test('K a multiple of 16 is accepted, the scale blocks along it rounded up', () => {
  for (const [K, blocks] of [[1008, 8], [272, 3], [2000, 16], [2048, 16], [16, 1]] as const) {
    const p = gemmProblem({ M: 37, N: 1000, K });
    assert.deepEqual(p, { M: 37, N: 1000, K });
    assert.equal(kBlocks(p), blocks, `K=${K}`);
  }
});

test('K not a multiple of 16 is refused in one line that says why', () => {
  for (const K of [1000, 100, 8, 1030]) {
    assert.throws(
      () => gemmProblem({ M: 1, N: 8, K }),
      (e: unknown) => e instanceof UsageError && e.message.startsWith(`K=${K} is not a multiple of 16: `) && /TMA/.test(e.message) && !e.message.includes('\n'),
    );
  }
});

test('buffer sizes, bytes and FLOPs of a K with a partial block count its scales per started block', () => {
  const p = { M: 37, N: 1000, K: 1008 };
  const bytes = bufferBytes(p);
  assert.deepEqual(bytes, { a: 37 * 1008, b: 1000 * 1008, scaleA: 4 * 37 * 8, scaleB: 4 * 8 * 8, c: 4 * 37 * 1000 });
  assert.equal(gemmBytes(p), 37 * 1008 + 1000 * 1008 + 4 * 37 * 8 + 4 * 64 + 4 * 37 * 1000);
  assert.equal(gemmBytes(p, { output: 'bf16' }), 37 * 1008 + 1000 * 1008 + 4 * 37 * 8 + 4 * 64 + 2 * 37 * 1000);
  // FLOPs count the columns that exist, not the zero-filled tail.
  assert.equal(gemmFlops(p), 2 * 37 * 1000 * 1008);
});
