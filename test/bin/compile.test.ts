// `tilesweep compile --for DEVICE`: the sources a sweep would build, from a named device's figures,
// compiled here and copied to a folder to carry; bad input exits 2 before nvcc runs. The compile part
// is skipped where nvcc is absent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findNvcc } from '../../harness/cuda/toolchain.ts';
import { profileCapabilities, targetCapabilities } from '../../harness/cuda/profiles.ts';
import { cudaGemmCandidates } from '../../kernels/fp8-gemm/cuda/candidates.ts';
import { readResults } from '../../core/results-file.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/tilesweep.js', 'compile', ...args], { encoding: 'utf8' });

test('the h200 profile is the H200 the recorded runs measured on: its device block\'s figures, Hopper\'s shared memory and registers', () => {
  const caps = profileCapabilities('H200');
  const recorded = readResults('results/h200/fp8-gemm.json.br').device;
  assert.deepEqual(
    [caps.cuda?.computeCapability, caps.cuda?.smCount, caps.cuda?.l2Bytes, caps.maxBufferBytes],
    [recorded.computeCapability, recorded.smCount, recorded.l2Bytes, recorded.totalMemoryBytes],
  );
  assert.deepEqual([caps.cuda?.sharedPerBlockOptinBytes, caps.cuda?.registersPerSm, caps.cuda?.maxClusterSize], [232_448, 65_536, 8]);
});

for (const [name, args, pattern] of [
  ['unknown device', ['fp8-gemm', '--for', 'b300', '--shape', 'M=64,N=2112,K=7168'], /unknown CUDA device "b300" for --for; known: h200/],
  ['no problem', ['fp8-gemm'], /compile needs --preset or --shape/],
  ['a family without CUDA', ['copy', '--shape', 'bytes=1024'], /copy has no CUDA target/],
  ['bad shape', ['fp8-gemm', '--shape', 'M=64,N=2112,K=1000'], /K=1000 is not a multiple of 16/],
] as const) {
  test(`bad input exits 2 with one line: ${name}`, () => {
    const run = cli(...args);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, pattern);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });
}

const nvcc = findNvcc();
test('a space file\'s sources compile for the H200 and are copied to --into, keyed as the cache keys them', { skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'compile-'));
  const space = join(dir, 'space.json');
  const config = { blockM: 128, blockN: 128, mathWarpgroups: 2, stages: 6, raster: 'along-m', out: 'bf16', loop: 'two-sets', epilogue: 'tma', grid: 'full', cluster: 1 };
  // The same source twice (the raster is a launch argument): one compile.
  writeFileSync(space, JSON.stringify([config, { ...config, raster: 'along-n' }]));
  const into = join(dir, 'ahead');
  const run = cli('fp8-gemm', '--for', 'h200', '--shape', 'M=4096,N=7168,K=2048', '--space', space, '--into', into, '--json');
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { configs: number; sources: number; compiled: number; cached: number; failed: unknown[] };
  assert.deepEqual([summary.configs, summary.sources, summary.compiled + summary.cached, summary.failed.length], [2, 1, 1, 0]);
  const files = readdirSync(join(into, 'cubin')).sort();
  assert.equal(files.length, 2);
  assert.match(files[0], /^[0-9a-f]{32}\.fatbin$/);
  assert.ok(existsSync(join(into, 'cubin', files[0].replace('.fatbin', '.ptxas.json'))));
});

test('--for takes what tilesweep devices --json wrote on the machine: the same configs as its profile; a file without CUDA figures is exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compile-for-'));
  const devices = join(dir, 'devices.json');
  const caps = profileCapabilities('h200');
  writeFileSync(devices, JSON.stringify([{ backend: 'webgpu', unavailable: 'no adapter' }, { backend: 'cuda', device: { name: 'NVIDIA H200' }, caps }]));
  assert.deepEqual(targetCapabilities(devices), caps);
  const problem = { M: 512, N: 2112, K: 7168 };
  assert.deepEqual(cudaGemmCandidates(problem, targetCapabilities(devices)), cudaGemmCandidates(problem, caps));
  const webgpuOnly = join(dir, 'webgpu.json');
  writeFileSync(webgpuOnly, JSON.stringify([{ backend: 'webgpu', caps: { backend: 'webgpu' } }]));
  const run = cli('fp8-gemm', '--for', webgpuOnly, '--shape', 'M=64,N=2112,K=7168');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /is not what tilesweep devices --json writes on a CUDA machine/);
});
