// Rows that carry a reference timed right before them (tune --reference) are compared as ratios to
// their own reference: load that changed between configs cancels; a real slowdown does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESULTS_SCHEMA, type ResultRow, type ResultsFile } from '../../../core/results.ts';
import { compareRuns } from '../../../reports/gate/compare.ts';
import { DEFAULT_GATE_OPTIONS } from '../../../reports/gate/types.ts';

const reference = { config: { TM: 1 }, medianMs: 1 };
const samples = (center: number) => Array.from({ length: 12 }, (_, i) => center * (1 + (i % 4) * 0.004));
const row = (center: number, referenceMs: number): ResultRow => ({
  kernel: 'fp8-gemm', problem: { M: 1 }, config: { TM: 4 }, role: 'candidate', status: 'ok',
  samplesMs: samples(center), medianMs: center, flops: 1, bytes: 1, adjacentReference: { ...reference, medianMs: referenceMs },
});
const file = (runs: ResultRow[]): ResultsFile => ({
  schema: RESULTS_SCHEMA, tool: { name: 'tilesweep', version: 't' }, createdAt: new Date(0).toISOString(), runs,
  device: { backend: 'webgpu', name: 'd', vendor: 'v', driver: 'x', fingerprint: 'f' },
});
const gate = (baseline: ResultRow, current: ResultRow) =>
  compareRuns({ path: 'a.json', results: file([baseline]) }, { path: 'b.json', results: file([current]) }, DEFAULT_GATE_OPTIONS).pairs[0];

test('a row twice as slow next to a reference twice as slow is the same', () => {
  const pair = gate(row(1, 1), row(2, 2));
  assert.equal(pair.normalized, true);
  assert.equal(pair.label, 'same');
});

test('a row twice as slow next to an unchanged reference is slower', () => {
  assert.equal(gate(row(1, 1), row(2, 1)).label, 'slower');
});

test('without the adjacent reference on both sides, raw samples are compared', () => {
  const plain = { ...row(2, 2), adjacentReference: undefined };
  const pair = gate(row(1, 1), plain);
  assert.equal(pair.normalized, false);
  assert.equal(pair.label, 'slower');
});
