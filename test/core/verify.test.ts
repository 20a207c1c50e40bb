import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../core/rng.ts';
import { compareElements, sampleMatrix } from '../../core/verify.ts';
import { quantile, summarize } from '../../harness/measure.ts';

test('comparison reports errors and fails out-of-bound, non-finite and empty comparisons', () => {
  const expected = [1, -2, 3, 0];
  const pass = compareElements({ expected, actual: [1.001, -2, 3, 0], allowed: [0.01, 0.01, 0.01, 0.01], total: 4 });
  assert.equal(pass.ok, true);
  assert.ok(Math.abs(pass.maxAbsErr - 0.001) < 1e-12);
  assert.ok(Math.abs(pass.maxRelErr - 0.001) < 1e-12);
  assert.equal(compareElements({ expected, actual: [1.1, -2, 3, 0], allowed: [0.01, 0.01, 0.01, 0.01], total: 4 }).ok, false);
  assert.equal(compareElements({ expected, actual: [1, -2, NaN, 0], allowed: [1, 1, 1, 1], total: 4 }).ok, false);
  assert.equal(compareElements({ expected: [], actual: [], allowed: [], total: 4 }).ok, false);
});

test('a matrix sample holds whole first, last and random rows and columns', () => {
  const s = sampleMatrix(100, 50, createRng(1), 10);
  for (const r of [0, 99]) assert.ok(s.wholeRows.includes(r));
  for (const c of [0, 49]) assert.ok(s.wholeCols.includes(c));
  const set = new Set(s.indices);
  for (const r of s.wholeRows) for (let c = 0; c < 50; c++) assert.ok(set.has(r * 50 + c));
  for (const c of s.wholeCols) for (let r = 0; r < 100; r++) assert.ok(set.has(r * 50 + c));
  assert.deepEqual(sampleMatrix(100, 50, createRng(1), 10).indices, s.indices, 'seeded');
});

test('quantiles interpolate between order statistics', () => {
  assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.ok(Math.abs(quantile([0, 10], 0.1) - 1) < 1e-12);
  const m = summarize([5, 1, 4, 2, 3], 1);
  assert.deepEqual([m.medianMs, m.samplesMs], [3, [5, 1, 4, 2, 3]]);
});
