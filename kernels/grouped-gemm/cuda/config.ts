// The CUDA grouped GEMM's config: the FP8 GEMM's sm_90a tile, pipeline and main loop (fp8-gemm/cuda/
// config.ts) with the options its grouped walk supports, and a converter to the FP8 GEMM's config, whose
// template generates the kernel. What it leaves out and why:
// - epilogue: threads only. A TMA store writes whole boxes, clipped only at the tensor's edge, so it
//   would write a tile's padding rows (contiguous) or the rows past masked_m, which must stay zero;
//   the threads epilogue bounds every row by the group's last one;
// - cluster 1: a pair of CTAs sharing a multicast tile must both be in one group; the compact tile list
//   does not pair them;
// - grid 'full': the split tail deals K blocks of the last wave's tiles, whose group would then be per
//   piece; the compact list over (group, tile) already keeps the SMs busy under skewed routing;
// - scales from the ring: the scale warp and the TMA thread read activation scales through the dense
//   M; the ring reads them per row, bounded by the group's rows;
// - A and B never swapped (the groups' rows are the M side).
import type { HopperGemmConfig, InTurn, OneSet, TwoSets } from '../../fp8-gemm/cuda/config.ts';

/** Broken variants (tests only): verification must catch them. */
export type GroupedFault =
  /** The last 128-wide K block is left out of every tile (the fp8-gemm fault). */
  | 'skip-last-k-block'
  /** Every tile stores all its rows: padding rows and rows past masked_m get values. */
  | 'store-padding';

export type GroupedCudaConfig = {
  readonly blockM: number;
  readonly blockN: number;
  readonly mathWarpgroups: 1 | 2;
  readonly stages: number;
  readonly raster: 'along-m' | 'along-n';
  readonly rasterGroup?: number;
  readonly out: 'bf16' | 'f32';
  readonly fault?: GroupedFault;
} & (TwoSets | OneSet | InTurn);

/** The FP8 GEMM config whose template the grouped kernel is built from (its walk replaced). */
export function denseConfig(config: GroupedCudaConfig): HopperGemmConfig {
  const { fault, ...rest } = config;
  return {
    ...rest,
    cluster: 1,
    grid: 'full',
    epilogue: 'threads',
    ...(fault === 'skip-last-k-block' ? { fault } : {}),
  } as HopperGemmConfig;
}
