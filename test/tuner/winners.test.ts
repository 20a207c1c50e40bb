// Stable winners: among re-measured configs tied with the fastest, the steadiest is chosen; a config
// clearly slower is not tied. Fixtures are named for the outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../core/results.ts';
import { rankRows, runSweep, stableChoice, tunedChoice } from '../../tuner/sweep.ts';
import { judgeContenders, spreadOf } from '../../tuner/winners.ts';
import { gridFamily, gridRecording, gridReplay } from './recorded.ts';

const row = (name: string, samplesMs: number[]): ResultRow => {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { kernel: 'k', problem: {}, config: { name }, role: 'candidate', status: 'ok', samplesMs, medianMs: sorted[(sorted.length - 1) >> 1], flops: 1, bytes: 1 };
};

const noisyFastest = row('noisy-fastest', [0.80, 1.00, 1.30, 0.85, 1.25, 0.82, 1.28, 0.99, 1.02, 0.90, 1.20]);
const steadyTied = row('steady-tied', [1.00, 1.01, 1.02, 1.00, 1.01, 1.02, 1.01, 1.00, 1.02, 1.01, 1.00]);
const clearlySlower = row('clearly-slower', [1.50, 1.51, 1.52, 1.50, 1.49, 1.51, 1.50, 1.52, 1.49, 1.50, 1.51]);

test('the steadiest of the configs tied with the fastest is chosen; a clearly slower one is not tied', () => {
  const judged = judgeContenders([noisyFastest, steadyTied, clearlySlower], 0.05);
  const by = Object.fromEntries(judged.map((c) => [c.config.name as string, c]));
  assert.equal(by['noisy-fastest'].tiedWithBest, true);
  assert.equal(by['steady-tied'].tiedWithBest, true);
  assert.equal(by['clearly-slower'].tiedWithBest, false);
  assert.ok(by['clearly-slower'].pValue < 0.05);
  assert.deepEqual(judged.filter((c) => c.chosen).map((c) => c.config.name), ['steady-tied']);
  assert.ok(spreadOf(steadyTied.samplesMs!) < spreadOf(noisyFastest.samplesMs!));
});

test('with no config tied, the fastest is chosen; failed re-measurements drop out', () => {
  const failed: ResultRow = { ...steadyTied, status: 'runtime-error', samplesMs: undefined, medianMs: undefined };
  const judged = judgeContenders([clearlySlower, steadyTied, failed], 0.05);
  assert.equal(judged.length, 2);
  assert.deepEqual(judged.filter((c) => c.chosen).map((c) => c.config.name), ['steady-tied']);
  assert.deepEqual(judgeContenders([failed], 0.05), []);
});

test('a sweep with --remeasure 3 records the top three again, marked, and names one winner', async () => {
  const rows = await runSweep({ family: gridFamily, problem: { n: 1 }, backend: gridReplay(gridRecording({ spread: 0.3 })), strategy: 'exhaustive', stable: { top: 3 } });
  const again = rows.filter((r) => r.remeasured === true);
  assert.equal(again.length, 3);
  assert.equal(rows.length, 96 + 3);
  assert.ok(again.every((r) => typeof (r.stable as { pValue: number }).pValue === 'number'));
  assert.equal(again.filter((r) => (r.stable as { chosen: boolean }).chosen).length, 1);
  assert.equal(stableChoice(rows), again.find((r) => (r.stable as { chosen: boolean }).chosen));
});

test('a tuning stands for its stable winner where it re-measured, else for its fastest verified row (bench --config FILE)', async () => {
  const rows = await runSweep({ family: gridFamily, problem: { n: 1 }, backend: gridReplay(gridRecording({ spread: 0.3 })), strategy: 'exhaustive', stable: { top: 3 } });
  assert.equal(tunedChoice(rows), stableChoice(rows));
  const plain = rows.filter((r) => r.remeasured !== true);
  assert.equal(tunedChoice(plain), rankRows(plain)[0]);
  assert.equal(tunedChoice([]), undefined);
  // Where the steadiest tied config is not the fastest, the tuning stands for the steadiest.
  const fast = { ...noisyFastest, medianMs: 0.9 };
  const chosen = { ...steadyTied, remeasured: true, stable: { chosen: true, tiedWithBest: true } };
  assert.equal(tunedChoice([fast, chosen]), chosen);
  assert.equal(rankRows([fast, chosen])[0], fast);
});
