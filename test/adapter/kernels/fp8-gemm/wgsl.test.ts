// Needs a WebGPU adapter (lavapipe on CI). Every value of every parameter runs and verifies, and
// the deliberately broken variant is caught as a mismatch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Backend } from '../../../../harness/backend.ts';
import { openWebGpu } from '../../../../harness/webgpu/dawn.ts';
import { fp8Gemm } from '../../../../kernels/fp8-gemm/index.ts';
import type { GemmConfig } from '../../../../kernels/fp8-gemm/space.ts';
import { runSweep } from '../../../../tuner/sweep.ts';

let backend: Backend;
before(async () => (backend = await openWebGpu()));
after(async () => backend.dispose());

const quick = { warmupIterations: 0, timeMs: 1, minSamples: 2, maxSamples: 2 };
const base: GemmConfig = { BM: 32, BN: 32, TM: 2, TN: 2, BK: 64, vec: 1, stage: 'workgroup', decode: 'bits', arith: 'f32' };

test('configs covering every parameter value verify on a ragged problem (M, N not tile multiples, N past one weight block)', async () => {
  const configs: GemmConfig[] = [
    base,
    { ...base, stage: 'none', BK: 128 },
    { ...base, decode: 'table' },
    { ...base, vec: 4, BK: 32 },
    { ...base, BM: 16, BN: 64, TM: 1, TN: 8 },
    { ...base, BM: 64, BN: 16, TM: 4, TN: 1, BK: 128, stage: 'none', decode: 'table', vec: 4 },
    { ...base, BM: 64, BN: 128, TM: 4, TN: 8 },
    ...(backend.caps.shaderF16 ? [{ ...base, arith: 'f16' as const }, { ...base, arith: 'f16' as const, vec: 4, stage: 'none' as const, BK: 128 }] : []),
  ];
  const problem = { M: 37, N: 150, K: 384 };
  const rows = await runSweep({ family: fp8Gemm, problem, backend, configs, timing: quick });
  for (const row of rows) {
    assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error}`);
    assert.equal(row.verified?.ok, true);
    assert.equal(row.verified?.checked, problem.M * problem.N);
    assert.equal(row.timer, backend.caps.timestampQuery ? 'gpu-timestamp' : 'wall-clock');
    assert.ok(row.samplesMs!.length >= 2 && row.medianMs! > 0);
  }
});

test('a deliberately wrong kernel (last K block dropped) is reported as mismatch, unmeasured', async () => {
  const rows = await runSweep({
    family: fp8Gemm, problem: fp8Gemm.presets.tiny, backend, timing: quick,
    configs: [base, { ...base, fault: 'skip-last-k-block' }],
  });
  assert.deepEqual(rows.map((r) => r.status), ['ok', 'mismatch']);
  assert.equal(rows[1].verified?.ok, false);
  assert.equal(rows[1].samplesMs, undefined);
  assert.match(rows[1].error ?? '', /differs from the CPU reference/);
});

test('a config that breaks a constraint becomes an invalid row and the sweep goes on', async () => {
  const rows = await runSweep({
    family: fp8Gemm, problem: fp8Gemm.presets.tiny, backend, timing: quick,
    configs: [{ ...base, BM: 128, BN: 128, TM: 1, TN: 1 }, base],
  });
  assert.deepEqual(rows.map((r) => r.status), ['invalid', 'ok']);
  assert.match(rows[0].error ?? '', /invocations-within-limit/);
});

test('a problem too large for a whole CPU check is verified on a seeded sample of rows, columns and elements', async () => {
  const problem = { M: 512, N: 640, K: 1024 }; // 2^28.3 multiply-adds, past the whole-check limit
  const good = { ...base, BM: 64, BN: 64, TM: 4, TN: 4, stage: 'workgroup' as const, BK: 128, vec: 4 };
  const rows = await runSweep({ family: fp8Gemm, problem, backend, timing: quick, configs: [good, { ...good, fault: 'skip-last-k-block' as const }] });
  assert.equal(rows[0].status, 'ok', rows[0].error);
  const { checked, total } = rows[0].verified!;
  assert.ok(checked! < total! && checked! >= 4 * problem.N + 4 * problem.M - 16, `${checked} of ${total}`);
  assert.equal(rows[1].status, 'mismatch');
});
