// The CUDA target's peers: the libraries it is compared with and the memory roof a small-M GEMM is
// held to (a device-to-device copy of as many bytes as the weights' e4m3 codes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCudaSource } from '../../../../kernels/cuda-source.ts';
import { fp8Gemm } from '../../../../kernels/fp8-gemm/index.ts';
import { FP8_GEMM_PEERS } from '../../../../kernels/fp8-gemm/cuda/index.ts';
import { H200_CAPS } from './caps.ts';

test('peers: the libraries and the copy roof, whose bytes are read plus write of the weights', () => {
  assert.deepEqual(FP8_GEMM_PEERS.map((p) => p.name), ['cublaslt', 'cublas-bf16', 'torch', 'deepgemm', 'deepgemm-newest', 'copy']);
  const copy = FP8_GEMM_PEERS.find((p) => p.name === 'copy')!;
  const problem = { M: 1, N: 576, K: 7168 };
  assert.equal(copy.bytes!(problem), 2 * 576 * 7168);
  assert.equal(copy.flops!(problem), 0);
  const source = copy.via.kind === 'launch' ? copy.via.source(problem, H200_CAPS) : undefined;
  assert.ok(source && isCudaSource(source));
  assert.equal(source.launches[0].library, 'memcpy-d2d');
  // The family's weight bytes: B's codes and its 128x128 block scales (5 x 56 of them).
  assert.equal(fp8Gemm.weightBytes!(problem), 576 * 7168 + 4 * 5 * 56);
});
