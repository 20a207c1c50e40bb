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
