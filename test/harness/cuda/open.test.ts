// `--backend cuda` where CUDA cannot run must end in a UsageError (exit code 2) with one line that
// says why: no nvcc, or no driver / GPU.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../../core/errors.ts';
import { openCuda } from '../../../harness/cuda/backend.ts';
import { findNvcc } from '../../../harness/cuda/toolchain.ts';
import { RUNNER_WRAP_VARIABLE } from '../../../harness/cuda/runner-wrap.ts';

const oneLine = (e: unknown): boolean => e instanceof UsageError && !e.message.includes('\n');

test('without nvcc the CUDA backend is a one-line usage error naming nvcc', async () => {
  await assert.rejects(openCuda({ nvccPaths: ['/nonexistent/bin/nvcc'] }), (e: unknown) => oneLine(e) && /nvcc not found/.test((e as Error).message));
});

/** Whether a CUDA backend opens here (a GPU host); undefined where it fails as expected. */
async function gpuPresent(): Promise<boolean> {
  try {
    await (await openCuda()).dispose();
    return true;
  } catch (error) {
    assert.ok(oneLine(error), String(error));
    assert.match((error as Error).message, /^CUDA backend unavailable: .*(libcuda|cuInit|CUDA device)/);
    return false;
  }
}

test('with nvcc but without a GPU driver it is a one-line usage error naming the driver', { timeout: 300_000 }, async (t) => {
  if ('missing' in findNvcc()) return t.skip('no nvcc here');
  if (await gpuPresent()) t.skip('a CUDA GPU is present');
});

test('`tilesweep tune fp8-gemm --backend cuda` without a GPU exits 2 with one line', { timeout: 300_000 }, async (t) => {
  if (!('missing' in findNvcc()) && (await gpuPresent())) return t.skip('a CUDA GPU is present');
  const cli = fileURLToPath(new URL('../../../bin/tilesweep.js', import.meta.url));
  const run = spawnSync(process.execPath, [cli, 'tune', 'fp8-gemm', '--backend', 'cuda'], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /^tilesweep: CUDA backend unavailable: [^\n]+\n$/);
  assert.equal(run.stdout, '');
});

test('a runner started under a wrapper (TILESWEEP_CUDA_RUNNER_WRAP) opens as it would alone; a wrapper that cannot start is one line', { timeout: 300_000 }, async (t) => {
  if ('missing' in findNvcc()) return t.skip('no nvcc here');
  const saved = process.env[RUNNER_WRAP_VARIABLE];
  try {
    // `env BINARY` runs the runner unchanged: where no GPU is, it fails as it does alone, naming the driver.
    process.env[RUNNER_WRAP_VARIABLE] = 'env';
    const opened = await gpuPresent();
    process.env[RUNNER_WRAP_VARIABLE] = '/nonexistent/sanitizer --tool racecheck';
    await assert.rejects(openCuda(), (e: unknown) => oneLine(e) && /CUDA backend unavailable/.test((e as Error).message));
    if (opened) t.diagnostic('a GPU is present: the wrapped runner opened');
  } finally {
    if (saved === undefined) delete process.env[RUNNER_WRAP_VARIABLE];
    else process.env[RUNNER_WRAP_VARIABLE] = saved;
  }
});
