// The FP8 GEMM problem: C[M,N] = A[M,K] * B[N,K]^T with DeepSeek-V3's fine-grained scales
// (../shared/reference/deepseek-v3.md): A per row per 128-wide K block (1x128), B per 128x128 block.
import { message, UsageError } from '../../core/errors.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { elementBytes, type RowElementTypes } from '../element-types.ts';
import { scaleBlocks } from '../fp8/quantize.ts';
import { checkKLength } from '../fp8/k-length.ts';

export type GemmProblem = {
  readonly M: number;
  readonly N: number;
  readonly K: number;
};

export const DIMENSIONS = ['M', 'N', 'K'] as const;

export function gemmProblem(shape: Readonly<Record<string, number>>): GemmProblem {
  for (const name of Object.keys(shape)) {
    if (!(DIMENSIONS as readonly string[]).includes(name)) throw new UsageError(message.unknownDimension('fp8-gemm', name, DIMENSIONS));
  }
  for (const name of DIMENSIONS) {
    const value = shape[name];
    if (value === undefined) throw new UsageError(message.missingDimension('fp8-gemm', name));
    if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError(message.notPositive(name, value));
  }
  checkKLength(shape.K);
  return { M: shape.M, N: shape.N, K: shape.K };
}

/** 128-wide K blocks, one scale each: the last one partial when K is not a multiple of 128. */
export const kBlocks = (p: GemmProblem): number => scaleBlocks(p.K);
export const nBlocks = (p: GemmProblem): number => scaleBlocks(p.N);

/**
 * Buffer sizes in bytes, by binding name, in the row's element types: e4m3 operands with their f32
 * block scales unless the operands are named otherwise (a BF16 GEMM has no scales), f32 output unless
 * named (the WGSL kernels write f32, the CUDA ones and the peers name theirs in the config's `out`).
 */
export function bufferBytes(p: GemmProblem, types: RowElementTypes = {}): Record<'a' | 'b' | 'scaleA' | 'scaleB' | 'c', number> {
  const operands = types.operands ?? 'e4m3';
  const scaled = operands === 'e4m3';
  return {
    a: elementBytes(operands) * p.M * p.K,
    b: elementBytes(operands) * p.N * p.K,
    scaleA: scaled ? 4 * p.M * kBlocks(p) : 0,
    scaleB: scaled ? 4 * nBlocks(p) * kBlocks(p) : 0,
    c: elementBytes(types.output ?? 'f32') * p.M * p.N,
  };
}

export const gemmFlops = (p: GemmProblem): number => 2 * p.M * p.N * p.K;

/** Compulsory traffic: operands and scales read once, the output written once, in the row's types. */
export const gemmBytes = (p: GemmProblem, types?: RowElementTypes): number =>
  Object.values(bufferBytes(p, types)).reduce((sum, b) => sum + b, 0);

export function checkGemmProblem(p: GemmProblem, caps: Capabilities): void {
  gemmProblem(p);
  for (const [name, bytes] of Object.entries(bufferBytes(p))) {
    const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
    if (bytes > limit) throw new UsageError(message.tooLargeForDevice(`buffer ${name} of M=${p.M},N=${p.N},K=${p.K}`, bytes, limit));
  }
}
