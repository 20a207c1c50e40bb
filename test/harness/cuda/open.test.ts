// `--backend cuda` where CUDA cannot run must end in a UsageError (exit code 2) with one line that
// says why: no nvcc, or no driver / GPU.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../core/errors.ts';
import { openCuda } from '../../../harness/cuda/backend.ts';
import { findNvcc } from '../../../harness/cuda/toolchain.ts';

test('without nvcc the CUDA backend is a one-line usage error naming nvcc', async () => {
  const saved = { PATH: process.env.PATH, NVCC: process.env.NVCC, CUDA_HOME: process.env.CUDA_HOME };
  process.env.PATH = '/nonexistent';
  process.env.NVCC = '/nonexistent/nvcc';
  delete process.env.CUDA_HOME;
  try {
    const nvcc = findNvcc();
    if (!('missing' in nvcc)) return; // /usr/local/cuda/bin/nvcc exists here: covered by the next test
    await assert.rejects(openCuda(), (e: unknown) => e instanceof UsageError && /nvcc/.test(e.message) && !e.message.includes('\n'));
  } finally {
    Object.assign(process.env, saved);
    if (saved.CUDA_HOME === undefined) delete process.env.CUDA_HOME;
  }
});

test('with nvcc but without a GPU driver it is a one-line usage error naming the driver', { timeout: 300_000 }, async (t) => {
  if ('missing' in findNvcc()) return t.skip('no nvcc');
  try {
    const backend = await openCuda();
    await backend.dispose();
    t.skip('a CUDA GPU is present');
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    assert.match(error.message, /^CUDA backend unavailable: .*(libcuda|cuInit|CUDA device)/);
    assert.ok(!error.message.includes('\n'));
  }
});
