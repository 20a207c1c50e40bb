// The curated H200 fp8-gemm results reproduce the recorded figures from their rows alone: per call,
// the geometric mean of cuBLASLt's time over ours (interleaved rounds) over all 18 shapes and over
// M=4096, as the session notes of runs 51-53 gave them (1.092 and 1.146; 1.166; 1.164), and the
// call that tuned and benchmarked the M=4096 shapes through the CLI alone (2026-12-05: 1.123, with
// cuBLAS BF16, torch and DeepGEMM in the same rounds).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readResults } from '../../core/results-file.ts';
import { geomean, peerRatios } from '../../reports/compare/peer-ratios.ts';

const file = readResults(fileURLToPath(new URL('../../results/h200/fp8-gemm.json.br', import.meta.url)));

const ratios = (runId: string, M?: number) =>
  peerRatios(file.runs).filter((r) => r.runId === runId && r.peer === 'cuBLASLt' && (M === undefined || r.problem.M === M)).map((r) => r.ratio);

test('every call of the curated file has its provenance and every row of ours was verified', () => {
  const calls = new Set(file.runs.map((r) => r.runId));
  for (const id of calls) assert.ok(id && file.calls?.[id]?.command, `call ${id} without provenance`);
  assert.ok(file.runs.filter((r) => r.role === 'candidate' && r.status === 'ok').every((r) => r.verified?.ok));
});

test('the ratios to cuBLASLt computed from the rows equal the recorded ones', () => {
  const fixed = (xs: number[]) => Number(geomean(xs)!.toFixed(3));
  assert.equal(ratios('h200-run51').length, 18);
  assert.equal(fixed(ratios('h200-run51')), 1.092);
  assert.equal(fixed(ratios('h200-run51', 4096)), 1.146);
  assert.equal(fixed(ratios('h200-run52', 4096)), 1.166);
  assert.equal(fixed(ratios('h200-run53', 4096)), 1.164);
  assert.equal(fixed(ratios('20261205T014633Z-cefeb9', 4096)), 1.123);
  // The other twelve DeepSeek-V3 shapes through the CLI, and the eighteen over both calls.
  assert.equal(ratios('20261205T020814Z-3b264d').length, 12);
  assert.equal(fixed(ratios('20261205T020814Z-3b264d')), 1.09);
  assert.equal(fixed([...ratios('20261205T014633Z-cefeb9'), ...ratios('20261205T020814Z-3b264d')]), 1.101);
});

test('on shapes the repository does not tune for, every ratio to cuBLASLt the rows give is at least 1.0 (geomean 1.244 and 1.070 in the two calls)', () => {
  const fixed = (xs: number[]) => Number(geomean(xs)!.toFixed(3));
  const untuned = [...ratios('20261205T021153Z-8acd6b'), ...ratios('20261205T021507Z-ef29ea')];
  assert.equal(untuned.length, 8);
  assert.equal(fixed(ratios('20261205T021153Z-8acd6b')), 1.244);
  assert.equal(fixed(ratios('20261205T021507Z-ef29ea')), 1.07);
  assert.ok(Math.min(...untuned) >= 1.0);
  // Where cuBLASLt had no block-scaled algorithm, or its output did not verify, there is no ratio.
  const peerRows = file.runs.filter((r) => r.runId === '20261205T021507Z-ef29ea' && r.role === 'peer');
  assert.deepEqual(peerRows.map((r) => r.status).sort(), ['mismatch', 'mismatch', 'mismatch', 'ok', 'ok', 'ok', 'ok', 'ok']);
});

test('the CLI call of 2026-12-05 measured all four peers beside each M=4096 best, every side verified', () => {
  const call = '20261205T014633Z-cefeb9';
  const peers = new Set(peerRatios(file.runs).filter((r) => r.runId === call).map((r) => r.peer));
  assert.deepEqual([...peers].sort(), ['DeepGEMM', 'cuBLAS BF16', 'cuBLASLt', 'torch']);
  const rows = file.runs.filter((r) => r.runId === call);
  assert.equal(rows.length, 30);
  assert.ok(rows.every((r) => r.status === 'ok' && r.verified?.ok && (r.rounds?.length ?? 0) === 3), JSON.stringify(rows.find((r) => !r.verified?.ok)));
  assert.match(String(file.calls?.[call]?.command), /^tilesweep bench fp8-gemm --backend cuda --preset/);
});
