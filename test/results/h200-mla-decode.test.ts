// The curated H200 mla-decode results reproduce the figures the notebook gives
// (docs/experiments/h200-decode-sessions.md) from their rows alone: every row of ours verified, each
// call with its provenance, and FlashMLA's time over ours per shape in the interleaved rounds of each
// bench call (below 1: FlashMLA is faster; the bar is at least 1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readResults } from '../../core/results-file.ts';
import { peerRatios } from '../../reports/compare/peer-ratios.ts';

const file = readResults(fileURLToPath(new URL('../../results/h200/mla-decode.json.br', import.meta.url)));

const flashMla = (runId: string) =>
  Object.fromEntries(peerRatios(file.runs).filter((r) => r.runId === runId && r.peer === 'FlashMLA').map((r) => [`H=${r.problem.H},L=${r.problem.L},sq=${r.problem.sq}`, Number(r.ratio.toFixed(3))]));

test('every call of the curated file has its provenance and every row of ours was verified', () => {
  const calls = new Set(file.runs.map((r) => r.runId));
  assert.equal(calls.size, 7);
  for (const id of calls) assert.ok(id && file.calls?.[id]?.command && file.calls[id].commit, `call ${id} without provenance`);
  const ours = file.runs.filter((r) => r.role === 'candidate' && r.status === 'ok');
  assert.ok(ours.length > 100 && ours.every((r) => r.verified?.ok));
});

test('FlashMLA time over ours in the same rounds, per bench call, as the notebook gives them', () => {
  assert.deepEqual(flashMla('20261205T033033Z-2d9cb3'), { 'H=32,L=8192,sq=1': 0.649, 'H=128,L=4096,sq=2': 0.493 });
  assert.deepEqual(flashMla('20261205T033441Z-d72522'), { 'H=16,L=4096,sq=1': 0.665, 'H=32,L=4096,sq=1': 0.64 });
  assert.deepEqual(flashMla('20261205T033901Z-913526'), { 'H=128,L=4096,sq=1': 0.524, 'H=128,L=4096,sq=2': 0.493 });
});

test('the WGMMA kernel won every tuned shape of the call that offered both kernels', () => {
  const tune = file.runs.filter((r) => r.runId === '20261205T032816Z-f44e95' && r.role === 'candidate' && r.status === 'ok');
  for (const H of [32, 128]) {
    const rows = tune.filter((r) => r.problem.H === H).sort((a, b) => a.medianMs! - b.medianMs!);
    assert.ok(rows.some((r) => (r.config as { kernel?: string }).kernel !== 'wgmma'), 'mma.sync configs measured too');
    assert.equal((rows[0].config as { kernel?: string }).kernel, 'wgmma', `H=${H}`);
  }
});

test('scores in halves won every shape of the twelfth session\'s WGMMA tune, 1.19-1.25x faster than scores whole', () => {
  const tune = file.runs.filter((r) => r.runId === '20261205T052648Z-2d4b8c' && r.role === 'candidate' && r.status === 'ok');
  const scores = (r: (typeof tune)[number]) => (r.config as { scores?: string }).scores ?? 'whole';
  const shapes = [...new Set(tune.map((r) => JSON.stringify(r.problem)))];
  assert.equal(shapes.length, 6);
  const gains = shapes.map((shape) => {
    const rows = tune.filter((r) => JSON.stringify(r.problem) === shape).sort((a, b) => a.medianMs! - b.medianMs!);
    assert.equal(scores(rows[0]), 'halves', shape);
    const whole = rows.find((r) => scores(r) === 'whole')!;
    return whole.medianMs! / rows[0].medianMs!;
  });
  assert.ok(Math.min(...gains) > 1.19 && Math.max(...gains) < 1.26, gains.map((g) => g.toFixed(3)).join(' '));
});
