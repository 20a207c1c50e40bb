import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expertCounts } from '../../../kernels/grouped-gemm/routing.ts';

test('every routed token lands on one expert, and the counts are the same on every call', () => {
  for (const routing of ['uniform', 'zipf'] as const) {
    const counts = expertCounts(8, 100, routing);
    assert.equal(counts.reduce((a, c) => a + c, 0), 800);
    assert.deepEqual(expertCounts(8, 100, routing), counts);
  }
});

test('Zipf routing is skewed (busiest expert well above the mean), uniform routing is not', () => {
  const G = 64;
  const M = 200;
  const uniform = expertCounts(G, M, 'uniform');
  const zipf = expertCounts(G, M, 'zipf');
  assert.ok(Math.max(...uniform) < 1.4 * M, `uniform max ${Math.max(...uniform)}`);
  assert.ok(Math.max(...zipf) > 5 * M, `zipf max ${Math.max(...zipf)}`);
  // The skew is not always on expert 0: the popularity order is shuffled.
  assert.notEqual(zipf.indexOf(Math.max(...zipf)), 0);
});

test('top-k routing: each token picks k distinct experts; an expert-parallel slice sees its experts\' share, seeded', () => {
  const route = { experts: 256, topK: 8 };
  // The whole layer: 8 picks per token, tokens = M x experts / k.
  const layer = expertCounts(256, 64, 'uniform', route);
  assert.equal(layer.reduce((a, c) => a + c, 0), 64 * 256);
  // No expert is picked twice by one token: at most `tokens` rows each.
  const zipf = expertCounts(256, 64, 'zipf', route);
  assert.ok(Math.max(...zipf) <= (64 * 256) / 8, `busiest ${Math.max(...zipf)}`);
  assert.ok(Math.max(...zipf) > 10 * 64, 'Zipf popularity is skewed');
  // The EP=8 slice: experts 0..31 of the same layer.
  assert.deepEqual(expertCounts(32, 64, 'zipf', route), zipf.slice(0, 32));
  assert.deepEqual(expertCounts(32, 64, 'zipf', route), expertCounts(32, 64, 'zipf', route));
  const uniform = expertCounts(32, 1024, 'uniform', route);
  assert.ok(Math.max(...uniform) < 1.2 * 1024 && Math.min(...uniform) > 0.8 * 1024, `${Math.min(...uniform)}..${Math.max(...uniform)}`);
});
