// The headline compares ours with a peer only within one call: interleaved rounds where both rows have
// them (ratio of the rounds' medians, spread of the per-round ratios), else the call's medians; older
// files' `comparisons[].interleaved` count as their file's call; a peer measured only in another call
// stands beside ours without a ratio. Fixtures are named by outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow, ResultsFile } from '../../../core/results.ts';
import { commandFor } from '../../../reports/model/calls.ts';
import { collectDevices } from '../../../reports/model/devices.ts';
import { collectHeadline } from '../../../reports/model/headline.ts';

const device = { backend: 'cuda' as const, name: 'NVIDIA H200', vendor: 'NVIDIA', driver: 'CUDA 13.0', fingerprint: 'h200' };
const s1 = { M: 4096, N: 7168, K: 16384 };
const s2 = { M: 4096, N: 2112, K: 7168 };
const row = (role: ResultRow['role'], problem: typeof s1, config: ResultRow['config'], medianMs: number, extra: Partial<ResultRow> = {}): ResultRow => ({
  kernel: 'fp8-gemm', problem, config, role, status: 'ok', flops: 2 * problem.M * problem.N * problem.K, bytes: 1, medianMs, ...extra,
});
const file = (createdAt: string, runs: ResultRow[], extra: Partial<ResultsFile> = {}): ResultsFile => ({
  schema: 'tilesweep.results/1', tool: { name: 'tilesweep', version: '0' }, device, createdAt, runs, ...extra,
});

const benchCommand = 'tilesweep bench fp8-gemm --backend cuda --preset dsv3-m4096-n7168-k16384 --peers cublaslt,deepgemm --interleave 3 --settle-ms 200';
const curated = file('2026-12-04T10:00:00Z', [
  row('candidate', s1, { blockM: 256, out: 'bf16' }, 1.0, { runId: 'r1', rounds: [1.0, 1.1, 0.9] }),
  row('peer', s1, { library: 'cuBLASLt', out: 'bf16' }, 1.2, { runId: 'r1', rounds: [1.2, 1.2, 1.3] }),
  row('peer', s1, { library: 'DeepGEMM', out: 'bf16' }, 0.95, { runId: 'r1', rounds: [0.95, 0.9, 1.0] }),
  row('candidate', s2, { blockM: 128, out: 'bf16' }, 0.5, { runId: 'r2' }),
  row('peer', s2, { library: 'cuBLASLt', out: 'bf16' }, 0.45, { runId: 'r2' }),
  row('peer', s2, { library: 'cuBLASLt', out: 'bf16' }, 0.55, { runId: 'r2' }),
  // DeepGEMM timed at s2 in a call without ours: shown beside ours, never divided by it.
  row('peer', s2, { library: 'DeepGEMM', out: 'bf16' }, 0.4, { runId: 'r3' }),
], {
  calls: {
    r1: { runId: 'r1', command: benchCommand, startedAt: '2026-12-04T10:00:00Z', commit: 'abc1234', device },
    r2: { runId: 'r2', command: 'tilesweep tune fp8-gemm --backend cuda --preset dsv3-m4096-n2112-k7168', startedAt: '2026-12-04T11:00:00Z', device },
    r3: { runId: 'r3', command: 'python scripts/h200/deepgemm_peer.py', startedAt: '2026-12-04T12:00:00Z', device },
  },
});
// An older file: one call, its interleaved rounds kept in `comparisons`, older than r1.
const legacy = file('2026-11-30T00:00:00Z', [row('candidate', s1, { out: 'bf16' }, 2.0), row('peer', s1, { library: 'cuBLASLt', out: 'bf16' }, 2.1)], {
  comparisons: [{ problem: s1, bestMs: 2.0, interleaved: { oursMs: [2.0, 2.0, 2.0], cublasLtMs: [2.2, 2.2, 2.2] } }],
});

const devices = collectDevices([{ path: 'curated.json', file: curated }, { path: 'run9.json', file: legacy }]);
const [table] = collectHeadline(devices);
const cell = (problem: typeof s1, peer: string) =>
  table.shapes.find((s) => s.problem.M === problem.M && s.problem.N === problem.N)!.cells.find((c) => c.peer === peer)!;

test('interleaved rounds: ratio of the rounds\' medians, spread of the per-round ratios', () => {
  const c = cell(s1, 'cuBLASLt').same!;
  assert.equal(c.call, 'r1');
  assert.equal(c.basis, 'interleaved');
  assert.equal(c.rounds, 3);
  assert.equal(c.ratio, 1.2 / 1.0);
  assert.deepEqual(c.spread, { min: 1.2 / 1.1, max: 1.3 / 0.9 });
});

test('a peer faster than ours in the same call is a loss, counted in its geomean line', () => {
  const c = cell(s1, 'DeepGEMM').same!;
  assert.equal(c.ratio, 0.95 / 1.0);
  const geo = table.geomeans.find((g) => g.peer === 'DeepGEMM')!;
  assert.deepEqual({ compared: geo.compared, losses: geo.losses }, { compared: 1, losses: 1 });
});

test('without rounds, the call\'s medians: the peer at its fastest, its repeats as the spread', () => {
  const c = cell(s2, 'cuBLASLt').same!;
  assert.equal(c.basis, 'medians');
  assert.equal(c.ratio, 0.45 / 0.5);
  assert.deepEqual(c.spread, { min: 0.45 / 0.5, max: 0.55 / 0.5 });
});

test('a peer measured only in another call is side by side, with no ratio and no part in the geomean', () => {
  const c = cell(s2, 'DeepGEMM');
  assert.equal(c.same, undefined);
  assert.deepEqual(c.other, { peerMs: 0.4, call: 'r3', rounds: 0 });
});

test('an older file\'s comparisons are its own call; the latest interleaved call is shown', () => {
  const h200 = devices[0];
  const old = h200.comparisons.find((c) => c.call === 'file:run9.json' && c.basis === 'interleaved')!;
  assert.equal(old.ratio, 1.1);
  assert.equal(cell(s1, 'cuBLASLt').same!.call, 'r1');
  const geo = table.geomeans.find((g) => g.peer === 'cuBLASLt')!;
  assert.ok(Math.abs(geo.ratio! - Math.sqrt(1.2 * 0.9)) < 1e-12);
  assert.equal(geo.losses, 1);
  assert.equal(geo.calls, 2);
});

test('provenance: a recorded command as typed; an older file\'s equivalent command with the row\'s preset', () => {
  const h200 = devices[0];
  const r1 = h200.calls.get('r1')!;
  assert.deepEqual({ equivalent: r1.equivalent, commit: r1.commit, command: commandFor(r1, s1) }, { equivalent: false, commit: 'abc1234', command: benchCommand });
  const old = h200.calls.get('file:run9.json')!;
  assert.equal(old.equivalent, true);
  assert.equal(old.label, 'run9');
  assert.equal(
    commandFor(old, s1),
    'tilesweep bench fp8-gemm --backend cuda --preset dsv3-m4096-n7168-k16384 --peers cublaslt,cublas-bf16,torch,deepgemm --interleave 3 --settle-ms 200',
  );
});
