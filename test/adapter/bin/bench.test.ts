// Needs a WebGPU adapter. `tilesweep bench mla-decode --baselines` end to end: tuned MLA, tuned MHA
// at the same size and the gpu.js version measured in one run, the KV bytes per token and the time
// ratio printed and written; and a --config file without the kernel is bad usage.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readResults } from '../../../core/results-file.ts';

const bench = (args: string[]) => spawnSync(process.execPath, ['bin/tilesweep.js', 'bench', 'mla-decode', ...args], { encoding: 'utf8' });

test('bench mla-decode --baselines measures tuned MLA, tuned MHA (same B, H, L, s_q) and gpu.js in one results file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-bench-'));
  const out = join(dir, 'bench.json');
  const run = bench(['--shape', 'B=1,H=8,L=70,f32=1', '--baselines', '--budget', '3', '--time-ms', '20', '--cache', dir, '--out', out]);
  assert.equal(run.status, 0, run.stderr);
  const file = readResults(out);
  const [mla, mha, gpujs] = file.runs;
  assert.equal(mla.kernel, 'mla-decode');
  assert.equal(mla.role, 'candidate');
  assert.equal(mha.kernel, 'mha-decode');
  assert.equal(mha.role, 'baseline');
  assert.deepEqual(mha.problem, { B: 1, sq: 1, H: 8, Hkv: 8, L: 70, lengths: 'fixed', dtype: 'f32' });
  assert.equal(gpujs.config.implementation, 'gpu.js');
  assert.equal(gpujs.role, 'baseline');
  for (const row of file.runs) assert.ok(row.status === 'ok' && row.verified?.ok && row.medianMs! > 0, JSON.stringify(row));
  const comparison = file.comparison as Record<string, number>;
  assert.equal(comparison.mlaBytesPerToken, 576 * 4);
  assert.equal(comparison.mhaBytesPerToken, 2 * 8 * 128 * 4);
  assert.equal(comparison.timeRatio, mha.medianMs! / mla.medianMs!);
  assert.match(run.stdout, /MLA 576 elements = 2304 bytes, MHA 2048 elements = 8192 bytes/);
  assert.match(run.stdout, /MHA\/MLA time ratio \d+\.\d\dx/);
});

test('--config FILE without a verified row of the kernel for this problem is bad usage (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-bench-'));
  const file = join(dir, 'empty.json');
  const device = { backend: 'webgpu', name: 'x', vendor: 'x', driver: 'x', fingerprint: 'x' };
  writeFileSync(file, JSON.stringify({ schema: 'tilesweep.results/1', tool: { name: 'tilesweep', version: '0.1.0' }, device, createdAt: new Date().toISOString(), runs: [] }));
  const run = bench(['--preset', 'tiny', '--config', file, '--out', join(dir, 'o.json')]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /has no verified mla-decode row for problem/);
});
