// The model error as data: a model right up to a scale has no error and rank correlation 1; a model
// that orders configs backwards has -1 and loses what its first choice costs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../core/capabilities.ts';
import type { ResultRow } from '../../core/results.ts';
import { modelError, spearman } from '../../tuner/model-error.ts';

const rows: ResultRow[] = [1, 2, 3, 4].map((x) => ({ kernel: 'k', problem: { n: 1 }, config: { x }, role: 'candidate', status: 'ok', medianMs: x * 0.5, flops: 1, bytes: 1 }));
const caps = {} as Capabilities;

test('a model right up to a scale: no error, rank correlation 1, first choice the best', () => {
  const [e] = modelError({ estimate: (_p, c) => ({ time: 10 * (c as { x: number }).x, bound: 'compute', terms: {} }) }, caps, rows);
  assert.ok(Math.abs(e.scale - 0.05) < 1e-12);
  assert.equal(e.spearman, 1);
  assert.ok(e.medianErrorPct < 1e-9);
  assert.equal(e.firstChoiceLossPct, 0);
  assert.ok(e.rows.every((r) => Math.abs(r.ratio - 1) < 1e-12));
});

test('a model that orders configs backwards: rank correlation -1, its first choice the slowest', () => {
  const [e] = modelError({ estimate: (_p, c) => ({ time: 1 / (c as { x: number }).x, bound: 'compute', terms: {} }) }, caps, rows);
  assert.equal(e.spearman, -1);
  assert.equal(e.firstChoiceLossPct, 300);
});

test('failed, reference and re-measured rows are left out; ties rank as averages', () => {
  const extra: ResultRow[] = [{ ...rows[0], status: 'mismatch' }, { ...rows[1], reference: true, role: 'baseline' }, { ...rows[2], remeasured: true, medianMs: 99 }];
  const [e] = modelError({ estimate: (_p, c) => ({ time: (c as { x: number }).x, bound: 'compute', terms: {} }) }, caps, [...rows, ...extra]);
  assert.equal(e.rows.length, 4);
  assert.equal(spearman([1, 1, 2], [1, 1, 2]), 1);
});
