// What a CUDA template hands the CUDA backend beyond the common KernelSource: the kernel's
// parameter list in order (TMA tensor maps are built by the runner on the host, from the device
// pointer of a buffer, and passed by value as __grid_constant__ parameters), cluster dimensions,
// and the element type of outputs that are not f32 (the backend widens them on read-back).
import type { KernelSource, Launch } from './types.ts';

/**
 * A 2D row-major tensor moved by TMA in boxRows x boxCols boxes, 128B-swizzled: e4m3 operands (1-byte
 * elements, the default) or an output written back in bf16 (2) or f32 (4) elements.
 */
export interface TensorMapParam {
  kind: 'tensor-map';
  buffer: string;
  rows: number;
  cols: number;
  boxRows: number;
  boxCols: number;
  elementBytes?: 1 | 2 | 4;
  /** 'none': not swizzled (f32 scale vectors); absent: 128B. */
  swizzle?: 'none';
  /**
   * The map is over a copy the runner makes before the launches (untimed, as it makes cuBLASLt's
   * activation scales) of the rows x cols f32 matrix whose transpose the buffer holds ([cols][rows]),
   * rows padded to 16 bytes as TMA wants.
   */
  copy?: 'transpose';
  /** Bytes into the buffer where the tensor starts (16-byte aligned; default 0): a group's rows of a grouped product. */
  offsetBytes?: number;
}

export type CudaParam =
  | TensorMapParam
  | { kind: 'pointer'; buffer: string; offsetBytes?: number }
  | { kind: 'i32'; value: number }
  /** Device memory the kernel works in, zeroed before each request's launches, which must leave it zeroed. */
  | { kind: 'scratch'; bytes: number };

export interface CudaLaunch extends Launch {
  params: readonly CudaParam[];
  /**
   * A library call instead of the kernel named by entryPoint: 'cublaslt-fp8-blockscaled' takes the
   * params a, b, scaleA, scaleB, c (pointers) and M, N, K (kernels/fp8-gemm/cuda/cublaslt.ts);
   * 'memcpy-d2d' takes src, dst (pointers) and copies the whole of src with the driver's
   * device-to-device copy (the memory roof: kernels/roofs/copy.ts).
   */
  library?: 'cublaslt-fp8-blockscaled' | 'cublaslt-bf16' | 'memcpy-d2d';
  /**
   * The order in which the library reads the activation scales: 'rows-fastest' (the default, a copy
   * the runner makes, as torch._scaled_mm passes them) or 'as-is' ([M][K/128], K blocks fastest).
   */
  scaleAOrder?: 'rows-fastest' | 'as-is';
  /** Thread-block cluster dimensions (omitted: no cluster). */
  cluster?: readonly [number, number, number];
}

export type OutputType = 'f32' | 'bf16';

export interface CudaKernelSource extends KernelSource {
  language: 'cuda';
  launches: readonly CudaLaunch[];
  outputTypes?: Readonly<Record<string, OutputType>>;
  /**
   * An edit of the compiled machine code (harness/cuda/sass.ts; the source is then compiled to a bare
   * cubin, so its flags must name one real target): every ffmaYieldEvery-th FFMA gets the yield hint.
   */
  sassPatch?: { ffmaYieldEvery: number };
}

export function isCudaSource(source: KernelSource): source is CudaKernelSource {
  return source.language === 'cuda' && source.launches.every((l) => Array.isArray((l as CudaLaunch).params));
}

/**
 * The part of a source that decides the binary: everything after the header comment line, which
 * names the problem (provenance, not code), so one cubin serves every problem of a config.
 */
export function compiledText(code: string): string {
  return code.startsWith('//') ? code.slice(code.indexOf('\n') + 1) : code;
}
