// One runner per GPU, device-free: a fake runner process (fake-runner.mjs) speaks the runner's
// protocol. The GPU's ordinal reaches the runner through TILESWEEP_CUDA_DEVICE; after a fault the
// backend restarts its runner and says the GPU is lost only when the new runner cannot open it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capabilities } from '../../../core/capabilities.ts';
import { CudaBackend } from '../../../harness/cuda/backend.ts';
import { RunnerDied, RunnerProcess } from '../../../harness/cuda/runner-process.ts';

const script = fileURLToPath(new URL('./fake-runner.mjs', import.meta.url));

function runnerOfGpu(ordinal: number, gone: string): RunnerProcess {
  return new RunnerProcess(process.execPath, undefined, undefined, {
    args: [script],
    label: `CUDA runner of GPU ${ordinal}`,
    env: { TILESWEEP_CUDA_DEVICE: String(ordinal), FAKE_GPUS: '2', FAKE_GONE: gone },
  });
}

test('the runner of GPU 1 opens GPU 1 and counts the host\'s GPUs', async () => {
  const runner = runnerOfGpu(1, join(tmpdir(), 'never-there'));
  const hello = await runner.request({ op: 'hello' }, 10000);
  assert.equal(hello.ordinal, 1);
  assert.equal(hello.deviceCount, 2);
  await runner.close();
});

test('a fault kills the runner; lost() restarts it (not lost), and says lost once the GPU is gone', async () => {
  const gone = join(mkdtempSync(join(tmpdir(), 'tilesweep-gpu-')), 'gone');
  const runner = runnerOfGpu(1, gone);
  const device = { backend: 'cuda' as const, name: 'Fake H200', vendor: 'NVIDIA', driver: 'test', fingerprint: 'fake', gpu: 1 };
  const backend = new CudaBackend(device, { backend: 'cuda' } as Capabilities, { path: 'nvcc', version: 'test' }, runner, { cacheDir: tmpdir(), launchLimitMs: 1000, graph: false });
  await runner.request({ op: 'hello' }, 10000);
  assert.equal(await backend.lost(), false, 'a live runner is not lost');
  await assert.rejects(runner.request({ op: 'crash' }, 10000), (e: unknown) => e instanceof RunnerDied && /GPU 1 ended .*illegal memory access/.test((e as Error).message));
  assert.equal(runner.alive, false);
  const before = runner.generation;
  assert.equal(await backend.lost(), false, 'the restarted runner opened the GPU');
  assert.equal(runner.generation, before + 1);
  await assert.rejects(runner.request({ op: 'crash' }, 10000));
  writeFileSync(gone, '');
  assert.equal(await backend.lost(), true, 'the GPU could not be opened again');
  await backend.dispose();
});
