// cuBLASLt's block-scaled FP8 as a source of the CUDA backend (device-free): one library launch with
// the operands in the runner's order, an empty module to load, bf16 output, provenance in the header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CUBLASLT_PEER, gemmCublasLt } from '../../../../kernels/fp8-gemm/cuda/cublaslt.ts';

test('the cuBLASLt peer is one library launch over a, b, scaleA, scaleB, c, M, N, K', () => {
  const source = gemmCublasLt({ M: 4096, N: 2112, K: 7168 });
  assert.equal(source.launches.length, 1);
  const [launch] = source.launches;
  assert.equal(launch.library, 'cublaslt-fp8-blockscaled');
  assert.deepEqual(launch.params, [
    { kind: 'pointer', buffer: 'a' },
    { kind: 'pointer', buffer: 'b' },
    { kind: 'pointer', buffer: 'scaleA' },
    { kind: 'pointer', buffer: 'scaleB' },
    { kind: 'pointer', buffer: 'c' },
    { kind: 'i32', value: 4096 },
    { kind: 'i32', value: 2112 },
    { kind: 'i32', value: 7168 },
  ]);
  assert.match(source.code, new RegExp(`__global__ void ${launch.entryPoint}\\(\\)`));
  assert.match(source.code.split('\n')[0], /^\/\/ .*fp8-gemm.*cuBLASLt/);
  assert.deepEqual(source.outputTypes, { c: 'bf16' });
  assert.equal(CUBLASLT_PEER.library, 'cuBLASLt');
});
