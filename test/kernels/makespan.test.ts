// Pieces of work handed out in order to the first free runner (lavapipe's thread pool, a GPU's CTA
// dispatcher): identical pieces take whole rounds, uneven ones as the order falls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makespan } from '../../kernels/makespan.ts';

test('identical pieces take whole rounds; uneven ones go to the first free runner in order', () => {
  assert.equal(makespan([10], 2, 5), 30);
  assert.equal(makespan([10], 4, 4), 10);
  // Runners 0 and 1 take 8 and 1; the 1 frees first and takes the next two.
  assert.equal(makespan([8, 1, 1, 1], 2), 8);
  assert.equal(makespan([1, 1, 8], 2), 9);
  assert.equal(makespan([], 2), 0);
});

test('a count that could not be computed gives no makespan (NaN), not an exception', () => {
  assert.ok(Number.isNaN(makespan([10], 2, NaN)));
  assert.ok(Number.isNaN(makespan([10, 20], Infinity * 0)));
});
