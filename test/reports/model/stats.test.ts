import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { tiedWithBest } from '../../../reports/model/stats.ts';

const row = (samplesMs: number[]): ResultRow => ({
  kernel: 'k', problem: {}, config: {}, role: 'candidate', status: 'ok', flops: 1, bytes: 1, samplesMs,
  medianMs: [...samplesMs].sort((a, b) => a - b)[samplesMs.length >> 1],
});

test('disjoint samples are not tied (exact p = 2 / C(20,10) = 1.08e-5)', () => {
  const a = Array.from({ length: 10 }, (_, i) => 1 + i * 0.01);
  const b = Array.from({ length: 10 }, (_, i) => 2 + i * 0.01);
  assert.equal(tiedWithBest(row(a), row(b)), false);
  // Even a strict alpha of 1e-4 separates them; 1e-6 cannot.
  assert.equal(tiedWithBest(row(a), row(b), { alpha: 1e-4, minSamples: 5 }), false);
  assert.equal(tiedWithBest(row(a), row(b), { alpha: 1e-6, minSamples: 5 }), true);
});

test('interleaved samples are tied', () => {
  const a = [1.0, 1.2, 1.4, 1.6, 1.8, 2.0];
  const b = [1.1, 1.3, 1.5, 1.7, 1.9, 2.1];
  assert.equal(tiedWithBest(row(a), row(b)), true);
});

test('too few samples: the p10..p90 ranges decide', () => {
  const best: ResultRow = { kernel: 'k', problem: {}, config: {}, role: 'candidate', status: 'ok', flops: 1, bytes: 1, medianMs: 1, p10Ms: 0.9, p90Ms: 1.1, samplesMs: [1, 1] };
  assert.equal(tiedWithBest(best, { ...best, medianMs: 1.15, p10Ms: 1.05, p90Ms: 1.3 }), true);
  assert.equal(tiedWithBest(best, { ...best, medianMs: 1.5, p10Ms: 1.2, p90Ms: 1.8 }), false);
});

test('a row is tied with itself', () => {
  const r = row([1, 2, 3, 4, 5]);
  assert.equal(tiedWithBest(r, r), true);
});
