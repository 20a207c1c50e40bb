import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { mannWhitneyP, normalCdf, tiedWithBest } from '../../../reports/model/stats.ts';

const row = (samplesMs: number[]): ResultRow => ({
  kernel: 'k', problem: {}, config: {}, role: 'candidate', status: 'ok', flops: 1, bytes: 1, samplesMs,
  medianMs: [...samplesMs].sort((a, b) => a - b)[samplesMs.length >> 1],
});

test('normal CDF at known points', () => {
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
  assert.ok(Math.abs(normalCdf(-1) - 0.158655) < 1e-6);
});

test('disjoint samples of 10 each: U = 0, z = 3.742, p = 1.83e-4', () => {
  const a = Array.from({ length: 10 }, (_, i) => 1 + i * 0.01);
  const b = Array.from({ length: 10 }, (_, i) => 2 + i * 0.01);
  const p = mannWhitneyP(a, b);
  assert.ok(Math.abs(p - 1.826e-4) < 0.05e-4, String(p));
  assert.equal(tiedWithBest(row(a), row(b)), false);
});

test('interleaved samples are tied', () => {
  const a = [1.0, 1.2, 1.4, 1.6, 1.8, 2.0];
  const b = [1.1, 1.3, 1.5, 1.7, 1.9, 2.1];
  assert.ok(mannWhitneyP(a, b) > 0.5);
  assert.equal(tiedWithBest(row(a), row(b)), true);
});

test('without samples, overlapping p10..p90 ranges count as tied', () => {
  const best: ResultRow = { kernel: 'k', problem: {}, config: {}, role: 'candidate', status: 'ok', flops: 1, bytes: 1, medianMs: 1, p10Ms: 0.9, p90Ms: 1.1 };
  assert.equal(tiedWithBest(best, { ...best, medianMs: 1.15, p10Ms: 1.05, p90Ms: 1.3 }), true);
  assert.equal(tiedWithBest(best, { ...best, medianMs: 1.5, p10Ms: 1.2, p90Ms: 1.8 }), false);
});
