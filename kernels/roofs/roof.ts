// A roof measured beside a kernel in the same call: a peer whose work is not ours (a device-to-device
// copy, cuBLAS's BF16 GEMM at 8192 cubed) and whose rate, not time, is what ours is held to: bytes/s
// for a memory roof, FLOP/s for a compute roof. Its rows say which in their config (`roof`), carry
// their own flops and bytes (never recounted as the family's), and are never divided into our time.
import type { Config } from '../../core/results.ts';

export type RoofKind = 'memory' | 'compute';

/** The roof a row measured, as its config states it; undefined for every other row. */
export const roofOf = (config: Config): RoofKind | undefined =>
  config.roof === 'memory' || config.roof === 'compute' ? config.roof : undefined;
