// The page's dispatch table: per kernel, the fastest verified candidate of each problem; rows that
// failed, did not verify, or are references and peers never win.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceInfo, ResultRow } from '../../core/results.ts';
import { dispatchTables } from '../../web/dispatch.ts';

const device: DeviceInfo = { backend: 'webgpu', name: 'google swiftshader', vendor: 'google', driver: 'Chromium 156 WebGPU', fingerprint: 'f1' };
const verified = { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 };
const row = (kernel: string, problem: ResultRow['problem'], tile: number, medianMs: number, extra: Partial<ResultRow> = {}): ResultRow => ({
  kernel, problem, config: { tile }, role: 'candidate', status: 'ok', flops: 1, bytes: 1, medianMs, timer: 'gpu-timestamp', verified, ...extra,
});

test('the fastest verified candidate per problem, kernels by name, problems by their dimensions', () => {
  const big = { M: 128, N: 64, K: 256 };
  const small = { M: 32, N: 64, K: 256 };
  const tables = dispatchTables(device, [
    row('fp8-gemm', big, 1, 5),
    row('fp8-gemm', big, 2, 3),
    row('fp8-gemm', big, 3, 1, { status: 'mismatch', verified: { ...verified, ok: false } }),
    row('fp8-gemm', big, 4, 0.5, { role: 'peer' }),
    row('fp8-gemm', big, 5, 0.4, { reference: true }),
    row('fp8-gemm', small, 6, 2),
    row('copy', { words: 1024 }, 7, 9),
    row('copy', { words: 2048 }, 8, 9, { status: 'runtime-error', medianMs: undefined, verified: undefined }),
  ]);
  assert.deepEqual(tables.map((t) => t.kernel), ['copy', 'fp8-gemm']);
  const gemm = tables[1];
  assert.equal(gemm.schema, 'tilesweep.dispatch/1');
  assert.deepEqual(gemm.device, { backend: 'webgpu', name: 'google swiftshader', fingerprint: 'f1' });
  assert.deepEqual(gemm.dimensions, ['M', 'N', 'K']);
  assert.deepEqual(gemm.entries.map((e) => [e.dims, e.config.tile, e.medianMs, e.stable]), [[[32, 64, 256], 6, 2, false], [[128, 64, 256], 2, 3, false]]);
  assert.deepEqual(tables[0].entries.map((e) => e.dims), [[1024]]);
});

test('no verified row, no table', () => {
  assert.deepEqual(dispatchTables(device, [row('copy', { words: 8 }, 1, 1, { status: 'mismatch', verified: { ...verified, ok: false } })]), []);
});
