// `tilesweep gate --current FILE --roof-share BAR` end to end: exit 0 when every bar holds, 1 when one
// fails (its FAIL line printed), 2 with one line for a malformed bar; roof, peer and speedup bars together.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resultsFile, type ResultRow } from '../../../core/results.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import { COPY_ROOF_PEER } from '../../../kernels/roofs/copy.ts';

const CLI = fileURLToPath(new URL('../../../bin/tilesweep.js', import.meta.url));
const verified = { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 };
const problem = { B: 128, sq: 1, H: 16, L: 4096, lengths: 'fixed', dtype: 'f16' };
const measured = { status: 'ok', verified, timer: 'cuda-event', runId: 'call-1' } as const;
const rows: ResultRow[] = [
  // 603,979,776 latent bytes in 0.2 ms against a copy of them (read + write) in 0.36 ms: share 0.9.
  { ...measured, kernel: 'mla-decode', problem, config: { headsPerCta: 16, cache: 'bf16' }, role: 'candidate', samplesMs: [0.2], medianMs: 0.2, flops: mlaDecode.flops(problem as never), bytes: mlaDecode.bytes(problem as never) },
  { ...measured, kernel: 'mla-decode', problem, config: COPY_ROOF_PEER, role: 'peer', peer: 'copy', samplesMs: [0.36], medianMs: 0.36, flops: 0, bytes: 2 * 128 * 4096 * 1152 },
  { ...measured, kernel: 'mla-decode', problem, config: { library: 'torch', via: 'eager' }, role: 'peer', peer: 'torch', samplesMs: [0.4], medianMs: 0.4, flops: 1, bytes: 1 },
  // bench --baselines: the tuned MHA at the same size, 3.2 ms: 16x.
  { ...measured, kernel: 'mha-decode', problem: { ...problem, Hkv: 16 }, config: { headsPerCta: 1, cache: 'bf16' }, role: 'baseline', comparedWith: 'mla-decode', samplesMs: [3.2], medianMs: 3.2, flops: 1, bytes: 1 },
];
const device = { backend: 'cuda', name: 'NVIDIA H200', vendor: 'NVIDIA', driver: 'CUDA 13.0', fingerprint: 'h200' } as const;

function gate(...flags: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'roof-cli-'));
  try {
    const current = join(dir, 'bench.json');
    writeFileSync(current, JSON.stringify(resultsFile(device, rows, '0')));
    const run = spawnSync(process.execPath, [CLI, 'gate', '--current', current, ...flags], { encoding: 'utf8' });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a roof bar that holds exits 0; one that does not exits 1 and says which', () => {
  const pass = gate('--roof-share', 'copy:kv-bytes@sq=1>=0.85', '--peer-each', 'torch>=1.5');
  assert.equal(pass.code, 0, pass.stderr + pass.stdout);
  assert.match(pass.stdout, /^PASS roof copy:kv-bytes@sq=1>=0\.85 \(call call-1\): least share 0\.900/m);
  assert.match(pass.stdout, /^PASS each torch>=1\.5/m);
  const fail = gate('--roof-share', 'copy:kv-bytes>=0.95');
  assert.equal(fail.code, 1, fail.stderr);
  assert.match(fail.stdout, /^FAIL roof copy:kv-bytes>=0\.95/m);
});

test('a speedup bar over the MHA baseline of the same call: 16x passes 15 and fails 30', () => {
  const pass = gate('--speedup', 'mha-decode@sq=1>=15');
  assert.equal(pass.code, 0, pass.stderr + pass.stdout);
  assert.match(pass.stdout, /^PASS speedup over mha-decode@sq=1>=15 \(call call-1\): least ratio 16\.00/m);
  assert.equal(gate('--speedup', 'mha-decode>=30').code, 1);
});

test('a malformed roof bar is bad usage: exit 2, one line', () => {
  const bad = gate('--roof-share', 'copy>=0.85');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad roof bar/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});
