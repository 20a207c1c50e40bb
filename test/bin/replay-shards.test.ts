// The CLI on a replayed recording, device-free: `tune --shard 1/2` and `2/2`, `merge`, equal to the
// unsharded `tune`; `export` of the merged file; bad input exits 2 before anything is read or opened.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/tilesweep.js', ...args], { encoding: 'utf8' });
const recording = 'results/lavapipe/fp8-gemm.json#lavapipe-fp8-gemm-small-exhaustive';
const dir = mkdtempSync(join(tmpdir(), 'replay-shards-'));
const fileOf = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
/** Rows without their call's id: each shard is its own call, with its provenance in the file's `calls`. */
// A results file whose only row is a peer's: nothing of ours to put in a dispatch table.
writeFileSync(join(dir, 'peers-only.json'), JSON.stringify({
  schema: 'tilesweep.results/1', tool: { name: 'tilesweep', version: 'test' }, createdAt: new Date(0).toISOString(),
  device: { backend: 'cuda', name: 'test', vendor: 'test', driver: 'test', fingerprint: 'test' },
  runs: [{ kernel: 'fp8-gemm', problem: { M: 128, N: 128, K: 128 }, config: { library: 'cuBLASLt' }, role: 'peer', status: 'ok', samplesMs: [1], medianMs: 1, timer: 'cuda-event', verified: { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 }, flops: 1, bytes: 1 }],
}));
const runsOf = (path: string) => fileOf(path).runs.map(({ runId: _runId, ...row }: { runId?: string }) => row);

test('tune --shard 1/2 and 2/2 on a replay, merged, hold exactly the unsharded sweep\'s rows; export writes the table', () => {
  const tune = (out: string, ...extra: string[]) => {
    const r = cli('tune', 'fp8-gemm', '--backend', `replay:${recording}`, '--strategy', 'random', '--budget', '24', '--seed', '5', '--no-cache', '--out', out, ...extra);
    assert.equal(r.status, 0, r.stderr);
  };
  tune(join(dir, 'whole.json'));
  tune(join(dir, 'a.json'), '--shard', '1/2');
  tune(join(dir, 'b.json'), '--shard', '2/2');
  const merged = cli('merge', join(dir, 'b.json'), join(dir, 'a.json'), '--out', join(dir, 'merged.json'));
  assert.equal(merged.status, 0, merged.stderr);
  assert.equal(runsOf(join(dir, 'a.json')).length, 12);
  assert.deepEqual(runsOf(join(dir, 'merged.json')), runsOf(join(dir, 'whole.json')));
  const calls = fileOf(join(dir, 'merged.json')).calls;
  assert.deepEqual(Object.keys(calls).sort(), [fileOf(join(dir, 'a.json')), fileOf(join(dir, 'b.json'))].map((f) => Object.keys(f.calls)[0]).sort());
  const exported = cli('export', join(dir, 'merged.json'), '--out', join(dir, 'tables'));
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /fp8-gemm on .*: 1 problems/);
  for (const ext of ['json', 'ts', 'h']) assert.ok(existsSync(join(dir, 'tables', `fp8-gemm-llvmpipe-mesa-25-0-7-2-bpo12-1-l-bb97f57e.${ext}`)), ext);
});

const bad: [string, string[], RegExp][] = [
  ['shard out of range', ['tune', 'fp8-gemm', '--backend', `replay:${recording}`, '--shard', '3/2'], /--shard "3\/2"/],
  ['time limit not positive', ['tune', 'fp8-gemm', '--backend', `replay:${recording}`, '--time-limit', '0'], /--time-limit "0" is not a positive number/],
  ['replay of a missing file', ['tune', 'fp8-gemm', '--backend', 'replay:results/none.json'], /results\/none.json: no such file/],
  ['replay of a call the file lacks', ['tune', 'fp8-gemm', '--backend', 'replay:results/lavapipe/fp8-gemm.json#run-0'], /holds no call "run-0"/],
  ['replay of a problem not recorded', ['tune', 'fp8-gemm', '--backend', `replay:${recording}`, '--shape', 'M=64,N=64,K=128'], /does not record fp8-gemm problem M=64,N=64,K=128; it records: M=128,N=128,K=512/],
  ['merge of two devices', ['merge', 'results/lavapipe/fp8-gemm.json', 'results/h200/fp8-gemm.json.br', '--out', join(dir, 'x.json')], /cannot be merged: its device/],
  ['export with nothing to export', ['export', join(dir, 'peers-only.json'), '--out', join(dir, 'y')], /no ok candidate row to export/],
];

for (const [name, args, pattern] of bad) {
  test(`bad input exits 2: ${name}`, () => {
    const r = cli(...args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, pattern);
  });
}
