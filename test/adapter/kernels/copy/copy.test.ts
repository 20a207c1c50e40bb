// Needs a WebGPU adapter: the copy kernel (the roofline's measured memory roof) copies exactly, and
// its broken variant is caught.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Backend } from '../../../../harness/backend.ts';
import { openWebGpu } from '../../../../harness/webgpu/dawn.ts';
import { copy } from '../../../../kernels/copy/index.ts';
import { runSweep } from '../../../../tuner/sweep.ts';

let backend: Backend;
before(async () => (backend = await openWebGpu()));
after(async () => backend.dispose());

test('every config copies exactly; skipping a vector per invocation is a mismatch', async () => {
  const quick = { warmupIterations: 0, timeMs: 1, minSamples: 2, maxSamples: 2 };
  const rows = await runSweep({ family: copy, problem: { words: 12_300 }, backend, strategy: 'exhaustive', timing: quick });
  assert.equal(rows.length, 27);
  assert.ok(rows.every((r) => r.status === 'ok' && r.verified?.ok && r.bytes === 2 * 4 * 12_300), JSON.stringify(rows.map((r) => r.error)));
  const [broken] = await runSweep({ family: copy, problem: { words: 12_300 }, backend, timing: quick, configs: [{ workgroup: 64, vec: 4, perInvocation: 4, fault: 'skip-last' }] });
  assert.equal(broken.status, 'mismatch');
});
