// The element types a result row moves through DRAM, so that its compulsory bytes (and so its
// intensity) follow what the row really read and wrote: our CUDA fp8-gemm writes BF16 C (2 bytes),
// the WGSL one f32 (4 bytes), and a peer's row names its own types. One reading of a config for
// every row kind (candidate, baseline, peer), so the same problem with the same types is counted the
// same way whoever measured it.
import type { Config } from '../core/results.ts';

export type ElementType = 'e4m3' | 'bf16' | 'f16' | 'f32';

export interface RowElementTypes {
  /** The operands' storage; a family's own (FP8 with block scales for the GEMMs) when absent. */
  operands?: ElementType;
  /** The output's storage; f32 when absent (what the WGSL kernels write). */
  output?: ElementType;
  /**
   * A decode kernel's KV cache: in the problem's element type ('bf16', the default), or MLA's FP8
   * latent rows (512 e4m3 values, a f32 scale per 128 of them, the 64 RoPE values in bf16: 656 bytes
   * a token against bf16's 1152). The CUDA decode configs' `cache` option.
   */
  cache?: CacheStorage;
}

export type CacheStorage = 'bf16' | 'fp8';

const sizes: Readonly<Record<ElementType, number>> = { e4m3: 1, bf16: 2, f16: 2, f32: 4 };

export const elementBytes = (type: ElementType): number => sizes[type];

const isElementType = (v: unknown): v is ElementType => typeof v === 'string' && v in sizes;

const isCacheStorage = (v: unknown): v is CacheStorage => v === 'bf16' || v === 'fp8';

/**
 * A row's types as its config states them: `out` is the output type (our CUDA configs and every
 * peer's), `dtype` the operands' (a BF16 peer such as cuBLAS through torch.matmul), `cache` a decode
 * kernel's KV-cache storage (ours and the decode peers'). A value that is not one of the types is
 * left out, so the family's default applies.
 */
export function rowElementTypes(config: Config): RowElementTypes {
  return {
    ...(isElementType(config.dtype) ? { operands: config.dtype } : {}),
    ...(isElementType(config.out) ? { output: config.out } : {}),
    ...(isCacheStorage(config.cache) ? { cache: config.cache } : {}),
  };
}
