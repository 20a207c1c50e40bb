// What the measured GEMM rates say about DeepSeek-V3's pre-training budget: each GEMM problem's best
// rate, measured on an H800 or projected to one, turned into the H800 GPU-hours that the pre-training
// FLOPs would take at that rate, next to the report's 2,664K GPU-hours and the utilization it implies.
import type { Bound } from './roofline.ts';
import { achievedFlops } from './roofline.ts';
import { computePrecision, isMatmulKernel, type Precision } from './precision.ts';
import {
  deepseekV3Training as ref,
  dollars,
  gpuHoursAt,
  h800,
  impliedUtilization,
  projectTime,
  trainingFlops,
  type Basis,
} from './cost.ts';
import type { Sweep } from './sweeps.ts';

export interface GemmProjection {
  sweep: Sweep;
  precision: Precision;
  sourceRate: number;
  basis: Basis;
  bound: Bound;
  /** FLOP/s on an H800, measured or projected. */
  h800Rate: number;
  /** H800 GPU-hours of the pre-training FLOPs at that rate. */
  pretrainGpuHours: number;
}

export interface TrainingReference {
  flops: number;
  pretrainGpuHours: number;
  totalGpuHours: number;
  totalDollars: number;
  dollarsPerGpuHour: number;
  /** Against the H800's dense FP8 and BF16 peaks. */
  utilizationFp8: number;
  utilizationBf16: number;
  misquotedGpuHours: number;
  tokens: number;
}

export function trainingReference(dollarsPerGpuHour: number = ref.dollarsPerGpuHour): TrainingReference {
  const flops = trainingFlops(ref.activeParams, ref.tokens);
  const device = h800();
  return {
    flops,
    tokens: ref.tokens,
    pretrainGpuHours: ref.pretrainGpuHours,
    totalGpuHours: ref.totalGpuHours,
    totalDollars: dollars(ref.totalGpuHours, dollarsPerGpuHour),
    dollarsPerGpuHour,
    utilizationFp8: impliedUtilization(flops, ref.pretrainGpuHours, device.fp8.value),
    utilizationBf16: impliedUtilization(flops, ref.pretrainGpuHours, device.bf16.value),
    misquotedGpuHours: ref.misquotedGpuHours,
  };
}

/** GEMM sweeps on devices with a datasheet row; CPU adapters are not projected to a GPU. */
export function projectGemms(sweeps: readonly Sweep[]): GemmProjection[] {
  const flops = trainingFlops(ref.activeParams, ref.tokens);
  const target = h800();
  const out: GemmProjection[] = [];
  for (const sweep of sweeps) {
    const source = sweep.device.datasheet;
    const best = sweep.measured[0];
    if (!isMatmulKernel(sweep.kernel) || !source || !best) continue;
    const row = best.row;
    const precision = computePrecision(row, sweep.device.info.backend);
    const p = projectTime({ ms: row.medianMs, flops: row.flops, bytes: row.bytes, precision, source, target });
    const h800Rate = achievedFlops(row.flops, p.targetMs);
    out.push({
      sweep,
      precision,
      sourceRate: achievedFlops(row.flops, row.medianMs),
      basis: p.basis,
      bound: p.bound,
      h800Rate,
      pretrainGpuHours: gpuHoursAt(flops, h800Rate),
    });
  }
  return out;
}
