// Routing as the model has it in the presets and on the command line: DeepSeek-V3's 256 experts top-8,
// the 32-expert slice of EP=8, masked groups at decode sizes; experts/topk parsed and checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../core/errors.ts';
import { DECODE_TOKENS_PER_EXPERT, presets } from '../../../kernels/grouped-gemm/presets.ts';
import { groupedFlops, groupedProblem, groupLayout } from '../../../kernels/grouped-gemm/problem.ts';

test('presets: the issue\'s four contiguous shapes, EP=8 slices of 256 experts top-8, masked at 16..1024 tokens per expert', () => {
  for (const [G, M, N, K] of [[4, 8192, 4096, 7168], [4, 8192, 7168, 2048], [8, 4096, 4096, 7168], [8, 4096, 7168, 2048]]) {
    assert.deepEqual(presets[`dsv3-contiguous-g${G}-m${M}-n${N}-k${K}-uniform`], { G, M, N, K, layout: 'contiguous', routing: 'uniform', align: 128 });
  }
  for (const M of DECODE_TOKENS_PER_EXPERT) {
    const p = presets[`dsv3-ep8-masked-g32-m${M}-n7168-k2048-uniform`];
    assert.deepEqual(p.route, { experts: 256, topK: 8 });
    assert.equal(p.layout, 'masked');
  }
  assert.deepEqual(presets['dsv3-layer-top8-g256-m128-n4096-k7168-zipf'].route, { experts: 256, topK: 8 });
  assert.equal(presets['dsv3-ep8-contiguous-g32-m1024-n7168-k2048-zipf'].G, 32);
});

test('flops count the rows routed here (top-k over a slice is not G x M exactly)', () => {
  const p = presets['dsv3-ep8-masked-g32-m64-n7168-k2048-zipf'];
  const rows = groupLayout(p).counts.reduce((a, c) => a + c, 0);
  assert.equal(groupedFlops(p), 2 * rows * 7168 * 2048);
  assert.notEqual(rows, 32 * 64);
});

test('--shape experts and topk: parsed together, checked against G', () => {
  assert.deepEqual(groupedProblem({ G: 32, M: 64, N: 7168, K: 2048, masked: 1, zipf: 1, experts: 256, topk: 8 }).route, { experts: 256, topK: 8 });
  assert.equal(groupedProblem({ G: 4, M: 64, N: 256, K: 256 }).route, undefined);
  assert.throws(() => groupedProblem({ G: 32, M: 64, N: 256, K: 256, experts: 256 }), UsageError);
  assert.throws(() => groupedProblem({ G: 300, M: 64, N: 256, K: 256, experts: 256, topk: 8 }), UsageError);
  assert.throws(() => groupedProblem({ G: 4, M: 64, N: 256, K: 256, experts: 8, topk: 9 }), UsageError);
});
