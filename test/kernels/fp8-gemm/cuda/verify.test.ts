// The CUDA verification on simulated outputs: the reference itself with bf16
// rounding passes; dropping one K block's contribution or scaling one block by 1.5 fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fp8GemmCudaTarget } from '../../../../kernels/fp8-gemm/cuda/index.ts';
import type { CudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/space.ts';

const verifyGemm = (problem: { M: number; N: number; K: number }, workload: Workload, outputs: Outputs, config: unknown) =>
  fp8GemmCudaTarget.verify(problem, workload, outputs, config as CudaGemmConfig);
import { fastGemmWorkload } from '../../../../kernels/fp8-gemm/cuda/workload.ts';
import { gemmReference, type GemmOperands } from '../../../../kernels/fp8-gemm/reference.ts';
import type { Outputs, Workload } from '../../../../kernels/types.ts';

const problem = { M: 70, N: 200, K: 512 };
const workload = fastGemmWorkload(problem, 3);
const operands = Object.fromEntries(['a', 'b', 'scaleA', 'scaleB'].map((n) => [n, workload.buffers[n].data])) as unknown as GemmOperands;
const all = Array.from({ length: problem.M * problem.N }, (_, i) => i);
const exact = gemmReference(problem, operands, all).value;
const bf16 = (x: number): number => {
  const bits = new Uint32Array(new Float32Array([x]).buffer)[0];
  const rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000;
  return new Float32Array(new Uint32Array([rounded]).buffer)[0];
};
const config = { out: 'bf16' } as const;

test('bf16-rounded reference values pass', () => {
  const c = Float32Array.from(exact, bf16);
  const v = verifyGemm(problem, workload, { c }, config);
  assert.ok(v.ok, JSON.stringify(v));
  assert.equal(v.checked, problem.M * problem.N);
});

test('f32 output must not carry bf16-sized rounding errors of the totals', () => {
  const wrong = Float32Array.from(exact, (x) => x * (1 + 2 ** -7));
  assert.equal(verifyGemm(problem, workload, { c: wrong }, { out: 'f32' }).ok, false);
});

test('a dropped K block and a wrong scale on one K block are caught', () => {
  const lastBlock = { ...problem, K: 128 };
  // The last K block's contribution: the reference of a K=128 problem made from the last 128 columns.
  const slice = (packed: Uint32Array, rows: number): Uint32Array => {
    const bytes = new Uint8Array(packed.buffer);
    const out = new Uint8Array(rows * 128);
    for (let r = 0; r < rows; r++) out.set(bytes.subarray(r * 512 + 384, r * 512 + 512), r * 128);
    return new Uint32Array(out.buffer);
  };
  const last = gemmReference(lastBlock, {
    a: slice(operands.a, problem.M),
    b: slice(operands.b, problem.N),
    scaleA: Float32Array.from({ length: problem.M }, (_, m) => operands.scaleA[m * 4 + 3]),
    scaleB: Float32Array.from({ length: 2 }, (_, n) => operands.scaleB[n * 4 + 3]),
  }, all).value;
  const dropped = Float32Array.from(exact, (x, i) => bf16(x - last[i]));
  assert.equal(verifyGemm(problem, workload, { c: dropped }, config).ok, false);
  const swapped = Float32Array.from(exact, (x, i) => bf16(x + last[i] * 0.5));
  assert.equal(verifyGemm(problem, workload, { c: swapped }, config).ok, false);
});
