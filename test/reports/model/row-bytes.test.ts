// The report recounts every row's bytes from its problem and element types: an older file's CUDA row
// that counted its BF16 output as f32 lands at the same intensity as the peers of its problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { collectDevices } from '../../../reports/model/devices.ts';
import { recountBytes } from '../../../reports/model/row-bytes.ts';

const problem = { M: 4096, N: 32768, K: 512 };
const row = (role: ResultRow['role'], config: ResultRow['config'], bytes: number): ResultRow => ({
  kernel: 'fp8-gemm', problem, config, role, status: 'ok', flops: 137_438_953_472, bytes, medianMs: 0.141696,
});

test('a stale f32-counted CUDA row and a runner peer are recounted; a DeepGEMM row already right stays', () => {
  const stale = 555_814_912; // C counted as 4-byte floats
  assert.equal(recountBytes(row('candidate', { blockM: 256, out: 'bf16' }, stale)), 287_379_456);
  assert.equal(recountBytes(row('peer', { library: 'cuBLASLt', out: 'bf16' }, stale)), 287_379_456);
  assert.equal(recountBytes(row('peer', { library: 'DeepGEMM', out: 'bf16' }, 287_379_456)), 287_379_456);
  // A WGSL row (no `out`) writes f32: its count does not change.
  assert.equal(recountBytes(row('candidate', { BM: 64 }, stale)), stale);
});

test('a kernel the report does not know keeps the bytes its row states', () => {
  assert.equal(recountBytes({ ...row('candidate', {}, 123), kernel: 'someone-elses-kernel' }), 123);
});

test('devices hold recounted rows, with the stored figure kept beside it', () => {
  const [device] = collectDevices([{ path: 'old.json', file: {
    schema: 'tilesweep.results/1', tool: { name: 'tilesweep', version: '0' }, createdAt: '2026-11-30T00:00:00Z',
    device: { backend: 'cuda', name: 'NVIDIA H200', vendor: 'NVIDIA', driver: 'CUDA 13.0', fingerprint: 'h200' },
    runs: [row('candidate', { out: 'bf16' }, 555_814_912)],
  } }]);
  assert.equal(device.rows[0].bytes, 287_379_456);
  assert.equal(device.rows[0].storedBytes, 555_814_912);
  assert.equal(Math.round(device.rows[0].flops / device.rows[0].bytes), 478);
});
