// cuBLAS's BF16 GEMM as a peer: what a user gets without FP8, on the same problem. The operands are
// ours dequantized (code x scale) and rounded to BF16 on the host (untimed), so its C approximates
// the same product; the runner times it as a library launch on the same stream and timing as our
// kernels (harness/cuda/runner/library.h, cublasLtMatmul with BF16 layouts and FP32 compute).
import type { CudaKernelSource } from '../../cuda-source.ts';
import { E4M3_TABLE } from '../../fp8/e4m3.ts';
import { SCALE_BLOCK } from '../../fp8/quantize.ts';
import type { BindingSpec, Workload } from '../../types.ts';
import { libraryLaunch } from './cublaslt.ts';
import { kBlocks, type GemmProblem } from '../problem.ts';
import type { GemmTolerance } from '../verify.ts';

export const CUBLAS_BF16_PEER = { library: 'cuBLAS', via: 'tilesweep runner (cublasLtMatmul, BF16 in, FP32 compute)', dtype: 'bf16', out: 'bf16' } as const;

/**
 * BF16 operands carry 8 significant bits: each product errs by up to 2^-8 of |a*b| and the FP32 sum
 * adds little; the BF16 output rounds by 2^-9 of |value| (2^-8 with margin).
 */
export const BF16_TOLERANCE: GemmTolerance = { ofAbsSum: 2 ** -7, ofValue: 2 ** -8 };

/** Round-to-nearest-even f32 to bf16 bits. */
function bf16Bits(value: number, scratch: Float32Array, bits: Uint32Array): number {
  scratch[0] = value;
  const x = bits[0];
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * `rows` x K e4m3 codes (packed four per u32) times their scales, as BF16 packed two per u32.
 * `scaleOf(row, kBlock)` is the scale that applies.
 */
function dequantizeBf16(codes: Uint32Array, rows: number, K: number, scaleOf: (row: number, kBlock: number) => number): Uint32Array {
  const bytes = new Uint8Array(codes.buffer, codes.byteOffset, rows * K);
  const out = new Uint16Array(rows * K + (rows * K) % 2);
  const scratch = new Float32Array(1);
  const bits = new Uint32Array(scratch.buffer);
  for (let r = 0; r < rows; r++) {
    // The last block is partial when K is not a multiple of 128.
    for (let kb = 0; kb * SCALE_BLOCK < K; kb++) {
      const scale = scaleOf(r, kb);
      const base = r * K + kb * SCALE_BLOCK;
      const width = Math.min(SCALE_BLOCK, K - kb * SCALE_BLOCK);
      for (let i = 0; i < width; i++) out[base + i] = bf16Bits(E4M3_TABLE[bytes[base + i]] * scale, scratch, bits);
    }
  }
  return new Uint32Array(out.buffer);
}

/** The FP8 workload plus `a16` and `b16`: its operands dequantized to BF16. */
export function withBf16Operands(problem: GemmProblem, workload: Workload): Workload {
  const { M, N, K } = problem;
  const kb = kBlocks(problem);
  const scaleA = workload.buffers.scaleA.data as Float32Array;
  const scaleB = workload.buffers.scaleB.data as Float32Array;
  const a16 = dequantizeBf16(workload.buffers.a.data as Uint32Array, M, K, (r, k) => scaleA[r * kb + k]);
  const b16 = dequantizeBf16(workload.buffers.b.data as Uint32Array, N, K, (r, k) => scaleB[Math.floor(r / SCALE_BLOCK) * kb + k]);
  return {
    ...workload,
    buffers: {
      ...workload.buffers,
      a16: { role: 'input', bytes: a16.byteLength, data: a16 },
      b16: { role: 'input', bytes: b16.byteLength, data: b16 },
    },
  };
}

const BF16_BINDINGS: readonly BindingSpec[] = [
  { binding: 0, buffer: 'a16', access: 'read' },
  { binding: 1, buffer: 'b16', access: 'read' },
  { binding: 2, buffer: 'c', access: 'read-write' },
];

export const gemmCublasBf16 = (problem: GemmProblem): CudaKernelSource =>
  libraryLaunch(problem, CUBLAS_BF16_PEER, 'cublaslt-bf16', BF16_BINDINGS, [
    ...BF16_BINDINGS.map(({ buffer }) => ({ kind: 'pointer', buffer }) as const),
    ...(['M', 'N', 'K'] as const).map((d) => ({ kind: 'i32', value: problem[d] }) as const),
  ]);
