// `--gpus` input errors exit 2 with one line, before any device opens (an open here would fail with
// "CUDA backend unavailable": the message shows which check came first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/tilesweep.js', ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: '/tmp/tilesweep-test-cache' } });

const cases: [string, string[], RegExp][] = [
  ['a GPU named twice', ['tune', 'fp8-gemm', '--backend', 'cuda', '--gpus', '0,0'], /bad --gpus "0,0": GPU 0 is named twice/],
  ['not an ordinal', ['tune', 'fp8-gemm', '--backend', 'cuda', '--gpus', 'x'], /bad --gpus "x": "x" is not a device ordinal/],
  ['not the CUDA backend', ['tune', 'fp8-gemm', '--gpus', 'all'], /--gpus runs one CUDA runner per GPU; it needs --backend cuda, not auto/],
  ['a reference across GPUs', ['tune', 'fp8-gemm', '--backend', 'cuda', '--gpus', '0,1', '--reference', 'blockM=128'], /--gpus with several GPUs cannot take --reference/],
  ['bench: a GPU named twice', ['bench', 'fp8-gemm', '--backend', 'cuda', '--gpus', '1,1'], /bad --gpus "1,1": GPU 1 is named twice/],
  ['bench: not the CUDA backend', ['bench', 'fp8-gemm', '--backend', 'webgpu', '--gpus', '0'], /needs --backend cuda, not webgpu/],
];

for (const [name, args, expected] of cases) {
  test(`--gpus: ${name} exits 2 with one line`, () => {
    const run = cli(...args, '--out', '/tmp/tilesweep-gpus-test.json');
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, expected);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /CUDA backend unavailable/);
  });
}
