// Which datasheet compute peak a kernel is judged against. WGSL has no FP8 or tensor-core type, so
// WebGPU and gpu.js kernels decode to f32 and run on the FP32 pipes; CUDA GEMMs run FP8 tensor-core
// MMAs and the decode kernels BF16 (FlashMLA's precision, shared/reference/deepseek-v3.md).
import type { ResultRow } from '../../core/results.ts';
import type { DatasheetDevice } from '../devices/peaks.ts';

export type Precision = 'fp8' | 'bf16' | 'fp32';

const gemmKernels = new Set(['fp8-gemm', 'grouped-gemm']);

export function isMatmulKernel(kernel: string): boolean {
  return gemmKernels.has(kernel);
}

export function computePrecision(row: ResultRow, backend: string): Precision {
  const declared = row.precision;
  if (declared === 'fp8' || declared === 'bf16' || declared === 'fp32') return declared;
  // A peer that names BF16 operands (cuBLAS through torch.matmul) runs on the BF16 tensor-core pipes.
  if (row.config.dtype === 'bf16') return 'bf16';
  if (backend !== 'cuda') return 'fp32';
  return isMatmulKernel(row.kernel) ? 'fp8' : 'bf16';
}

export function datasheetPeak(device: DatasheetDevice, precision: Precision): number {
  return device[precision].value;
}
