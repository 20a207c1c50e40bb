// Bars against the peers of the same call: ratios only between rows of one call (a peer from another
// call is never divided into ours), from the interleaved rounds where both sides have them; a bar
// that matches nothing fails; bars are parsed from options, never written in code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { peerRatios } from '../../../reports/compare/peer-ratios.ts';
import { judgePeerBars, parsePeerBar } from '../../../reports/gate/peer-bars.ts';

const verified = { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 };
function row(runId: string, M: number, role: ResultRow['role'], ms: number, extra: Partial<ResultRow> = {}): ResultRow {
  return {
    kernel: 'fp8-gemm', problem: { M, N: 7168, K: 2048 }, config: role === 'peer' ? { library: 'cuBLASLt' } : { blockM: 128 }, role, status: 'ok',
    samplesMs: [ms], medianMs: ms, verified, timer: 'cuda-event', flops: 1, bytes: 1, runId, ...extra,
  };
}

const twentyPctFaster = [row('a', 4096, 'candidate', 1.0), row('a', 4096, 'candidate', 1.3), row('a', 4096, 'peer', 1.2), row('a', 64, 'candidate', 0.1), row('a', 64, 'peer', 0.09)];

test('ratios take our fastest verified row of the call against each peer of the same call', () => {
  const ratios = peerRatios(twentyPctFaster);
  assert.deepEqual(ratios.map((r) => [r.problem.M, Number(r.ratio.toFixed(3))]), [[4096, 1.2], [64, 0.9]]);
});

test('a peer measured in another call is never divided into ours', () => {
  assert.deepEqual(peerRatios([row('a', 4096, 'candidate', 1.0), row('b', 4096, 'peer', 1.2)]), []);
});

test('interleaved rounds give the ratio of the rounds\' medians and the range of the per-round ratios', () => {
  const [r] = peerRatios([row('a', 4096, 'candidate', 1.0, { rounds: [1.0, 1.1, 0.9] }), row('a', 4096, 'peer', 1.0, { rounds: [1.2, 1.2, 1.26] })]);
  assert.equal(r.ratio, 1.2);
  assert.deepEqual([r.rounds, Number(r.spread!.min.toFixed(3)), Number(r.spread!.max.toFixed(3))], [3, 1.091, 1.4]);
});

test('a geomean bar over a slice passes; an each bar catches the one shape below it', () => {
  const [large, all, each] = judgePeerBars(twentyPctFaster, [parsePeerBar('cuBLASLt@M=4096>=1.15', false), parsePeerBar('cublaslt>=1.0', false), parsePeerBar('cuBLASLt>=0.95', true)]);
  assert.deepEqual([large.pass, large.value], [true, 1.2]);
  assert.equal(all.pass, true, `geomean ${all.value}`);
  assert.deepEqual([each.pass, Number(each.value!.toFixed(3))], [false, 0.9]);
});

test('a bar that no problem matches fails rather than passing vacuously', () => {
  const [v] = judgePeerBars(twentyPctFaster, [parsePeerBar('DeepGEMM>=1.0', false)]);
  assert.deepEqual([v.pass, v.value, v.ratios.length], [false, undefined, 0]);
});

test('malformed bars are bad usage', () => {
  for (const text of ['cuBLASLt', 'cuBLASLt>=', '>=1.1', 'cuBLASLt@M>=1.1', 'cuBLASLt>=0']) assert.throws(() => parsePeerBar(text, false), /bad peer bar/);
  assert.equal(parsePeerBar('cuBLAS BF16@M=4096>=1.5', false).library, 'cuBLAS BF16');
});
