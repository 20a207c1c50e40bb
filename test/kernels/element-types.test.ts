// One count of compulsory bytes for every row kind: the row's element types decide it, so our CUDA
// GEMM (BF16 out), the WGSL one (f32 out) and the peers are counted alike for the same problem and
// types. The 4096x32768x512 figures are the ones the report got wrong before (247 against 478 FLOP/byte).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rowElementTypes } from '../../kernels/element-types.ts';
import { fp8Gemm } from '../../kernels/fp8-gemm/index.ts';
import { gemmBytes } from '../../kernels/fp8-gemm/problem.ts';
import { groupedGemm } from '../../kernels/grouped-gemm/index.ts';
import { groupedProblem } from '../../kernels/grouped-gemm/problem.ts';

const p = { M: 4096, N: 32768, K: 512 };

test('4096x32768x512 with a BF16 output: 287,379,456 bytes, 478 FLOP/byte', () => {
  // A 4096x512 + B 32768x512 e4m3, A scales 4096x4 f32, B scales 256x4 f32, C 4096x32768 BF16.
  const bytes = 2_097_152 + 16_777_216 + 65_536 + 4_096 + 268_435_456;
  assert.equal(gemmBytes(p, { output: 'bf16' }), bytes);
  assert.equal(bytes, 287_379_456);
  assert.equal(fp8Gemm.flops(p), 137_438_953_472);
  assert.equal(Math.round(fp8Gemm.flops(p) / fp8Gemm.bytes(p, { output: 'bf16' })), 478);
});

test('the same problem with an f32 output: 555,814,912 bytes, 247 FLOP/byte (the WGSL kernel, and the default)', () => {
  assert.equal(fp8Gemm.bytes(p, { output: 'f32' }), 555_814_912);
  assert.equal(fp8Gemm.bytes(p), 555_814_912);
  assert.equal(Math.round(fp8Gemm.flops(p) / fp8Gemm.bytes(p)), 247);
});

test('a row names its types in its config: ours, the FP8 peers and a BF16 peer', () => {
  const ours = { blockM: 128, blockN: 192, out: 'bf16' };
  const cublasLt = { library: 'cuBLASLt', via: 'tilesweep runner (cublasLtMatmul)', scaleA: '1x128', scaleB: '128x128', out: 'bf16' };
  const deepGemm = { library: 'DeepGEMM', via: 'deep_gemm.gemm_fp8_fp8_bf16_nt', out: 'bf16' };
  const cublasBf16 = { library: 'cuBLAS', via: 'torch.matmul', dtype: 'bf16', out: 'bf16' };
  const wgsl = { BM: 64, BN: 64, stage: 'workgroup' };
  const count = (config: Record<string, string | number>) => fp8Gemm.bytes(p, rowElementTypes(config));
  // Same problem, same types: the same bytes whoever measured it.
  assert.equal(count(ours), 287_379_456);
  assert.equal(count(cublasLt), 287_379_456);
  assert.equal(count(deepGemm), 287_379_456);
  assert.equal(count(wgsl), 555_814_912);
  // BF16 operands are 2 bytes each and carry no block scales.
  assert.equal(count(cublasBf16), 2 * 2_097_152 + 2 * 16_777_216 + 268_435_456);
  // A value that is not an element type leaves the family's default in place.
  assert.deepEqual(rowElementTypes({ out: 'fp64', dtype: 7 }), {});
});

test("grouped GEMM counts its output in the row's type too", () => {
  const g = groupedProblem({ G: 4, M: 256, N: 512, K: 256 });
  const f32 = groupedGemm.bytes(g);
  const bf16 = groupedGemm.bytes(g, { output: 'bf16' });
  // 4 experts x 256 valid rows x 512 columns, 2 bytes fewer per element.
  assert.equal(f32 - bf16, 4 * 256 * 512 * 2);
});
