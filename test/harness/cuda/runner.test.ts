// The runner without a GPU (CI): it builds with nvcc, speaks JSON lines, refuses bad requests with a
// reply rather than a crash, and says which library is missing. Where a GPU exists the no-driver
// expectation is skipped (test/gpu covers that machine).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunner } from '../../../harness/cuda/runner-build.ts';
import { RunnerProcess } from '../../../harness/cuda/runner-process.ts';
import { findNvcc } from '../../../harness/cuda/toolchain.ts';

const nvcc = findNvcc();
const skip = 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false;

test('the runner answers every line, including bad ones, and names a missing driver', { skip, timeout: 300_000 }, async () => {
  if ('missing' in nvcc) return;
  // Greeted with `version`, which needs no device, so the protocol is exercised before `hello`.
  const runner = new RunnerProcess(await buildRunner(nvcc, mkdtempSync(join(tmpdir(), 'tilesweep-runner-'))), { op: 'version' });
  try {
    const early = await runner.request({ op: 'load', cubin: '/nonexistent' }, 10_000);
    assert.deepEqual([early.ok, early.status], [false, 'bad-request']);
    const unknown = await runner.request({ op: 'frobnicate' }, 10_000);
    assert.equal(unknown.ok, false);
    const hello = await runner.request({ op: 'hello' }, 60_000);
    if (!hello.ok) {
      assert.equal(hello.status, 'unavailable');
      assert.match(String(hello.error), /libcuda|CUDA device|cuInit/);
      assert.doesNotMatch(String(hello.error), /\n/);
    }
  } finally {
    runner.kill();
  }
});
