// The cost model: kernel times measured on one GPU, projected to an H800 by the roofline (compute-bound
// parts at the compute-peak ratio, memory-bound parts at the bandwidth ratio), and the DeepSeek-V3
// pre-training budget (technical report, Table 1; shared/reference/deepseek-v3.md) next to what the
// measured GEMM rates would give. Every figure is labelled "measured" or "projected".
import { datasheetById, type DatasheetDevice } from '../devices/peaks.ts';
import type { Precision } from './precision.ts';
import { datasheetPeak } from './precision.ts';
import { boundBy, intensity, type Bound } from './roofline.ts';

export type Basis = 'measured' | 'projected';

export interface Projection {
  basis: Basis;
  bound: Bound;
  /** Time on the target GPU, ms. */
  targetMs: number;
  /** target time / source time. */
  factor: number;
}

/**
 * Projects a kernel time from `source` to `target`. The bound is decided on the source's datasheet roof
 * at the kernel's intensity; a row measured on the target itself is returned as measured.
 */
export function projectTime(options: {
  ms: number;
  flops: number;
  bytes: number;
  precision: Precision;
  source: DatasheetDevice;
  target: DatasheetDevice;
}): Projection {
  const { ms, flops, bytes, precision, source, target } = options;
  const sourceRoof = { peakFlops: datasheetPeak(source, precision), bandwidth: source.hbm.value };
  const bound = boundBy(sourceRoof, intensity(flops, bytes));
  if (source.id === target.id) return { basis: 'measured', bound, targetMs: ms, factor: 1 };
  const factor =
    bound === 'compute' ? sourceRoof.peakFlops / datasheetPeak(target, precision) : source.hbm.value / target.hbm.value;
  return { basis: 'projected', bound, targetMs: ms * factor, factor };
}

/** DeepSeek-V3 technical report, Table 1 (H800 GPU-hours) and sec. 4 (14.8T tokens); $2/GPU-hour. */
export const deepseekV3Training = {
  pretrainGpuHours: 2_664_000,
  contextExtensionGpuHours: 119_000,
  postTrainGpuHours: 5_000,
  totalGpuHours: 2_788_000,
  tokens: 14.8e12,
  dollarsPerGpuHour: 2,
  /** 37B parameters active per token. */
  activeParams: 37e9,
  /** Secondary articles quote "278.8k GPU-hours": the report's 2,788K divided by ten. */
  misquotedGpuHours: 278_800,
} as const;

export function dollars(gpuHours: number, dollarsPerGpuHour: number): number {
  return gpuHours * dollarsPerGpuHour;
}

/**
 * Training FLOPs by the 6·N·D rule (forward 2N + backward 4N per token, N = active parameters): the
 * dense-matmul work; attention scores and the MTP module are left out, so it is a lower bound.
 */
export function trainingFlops(activeParams: number, tokens: number): number {
  return 6 * activeParams * tokens;
}

/** GPU-hours to run `flops` at a sustained rate (FLOP/s per GPU). */
export function gpuHoursAt(flops: number, flopsPerSecond: number): number {
  return flops / flopsPerSecond / 3600;
}

/** Model-FLOP utilization implied by a GPU-hour budget against a peak rate. */
export function impliedUtilization(flops: number, gpuHours: number, peakFlops: number): number {
  return flops / (gpuHours * 3600 * peakFlops);
}

export const h800 = (): DatasheetDevice => datasheetById('H800');
