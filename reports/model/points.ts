// The top configs of every sweep as roofline points (the page summarizes: the best of each sweep and
// the runners-up of its top-k table, not every config measured), with the roofs each is judged
// against: the datasheet roof of its device (compute peak of its precision, HBM bandwidth) when the
// device has a datasheet row, and the roof measured on the device (best matmul rate; copy bandwidth
// where a copy was measured, else the datasheet's bandwidth, said so, else no memory side).
import type { Problem, ResultRow } from '../../core/results.ts';
import type { ReportDevice } from './devices.ts';
import { computePrecision, datasheetPeak, type Precision } from './precision.ts';
import { achievedFlops, boundBy, fractionOfRoof, intensity, type Bound, type Roof } from './roofline.ts';
import { configLabel, type Sweep } from './sweeps.ts';

export interface RoofVerdict {
  roof: Roof;
  bound: Bound;
  /** Achieved / attainable under the binding roof. */
  fraction: number;
}

export interface RooflinePoint {
  deviceKey: string;
  kernel: string;
  problem: Problem;
  problemLabel: string;
  configLabel: string;
  precision: Precision;
  /** FLOP per byte. */
  intensity: number;
  /** FLOP/s. */
  achieved: number;
  medianMs: number;
  /** The call that measured it (ReportCall.id). */
  call?: string;
  /** The best config of its kernel and problem. */
  best: boolean;
  datasheet?: RoofVerdict;
  /** Against the measured roof; memory side only when a copy bandwidth was measured. */
  measured?: RoofVerdict;
}

export function datasheetRoof(device: ReportDevice, precision: Precision): Roof | undefined {
  if (!device.datasheet) return undefined;
  return { peakFlops: datasheetPeak(device.datasheet, precision), bandwidth: device.datasheet.hbm.value };
}

export type MemorySide = 'measured' | 'datasheet' | 'absent';

/** Where the measured roof's memory side comes from: a copy measured on the device, the datasheet, or nowhere. */
export function measuredMemorySide(device: ReportDevice): MemorySide {
  return device.copy ? 'measured' : device.datasheet ? 'datasheet' : 'absent';
}

/**
 * The measured compute roof with the best memory side known: a measured copy, else the datasheet's HBM
 * bandwidth (so a memory-bound shape is not read as compute-bound for want of a copy run), else none.
 */
export function measuredRoof(device: ReportDevice): Roof | undefined {
  if (!device.matmul) return undefined;
  return { peakFlops: device.matmul.value, bandwidth: device.copy?.value ?? device.datasheet?.hbm.value ?? Number.POSITIVE_INFINITY };
}

function verdict(roof: Roof | undefined, flopPerByte: number, achieved: number): RoofVerdict | undefined {
  if (!roof) return undefined;
  return { roof, bound: boundBy(roof, flopPerByte), fraction: fractionOfRoof(roof, flopPerByte, achieved) };
}

export function pointOf(sweep: Sweep, row: ResultRow & { medianMs: number }, best: boolean): RooflinePoint {
  const device = sweep.device;
  const precision = computePrecision(row, device.info.backend);
  const flopPerByte = intensity(row.flops, row.bytes);
  const achieved = achievedFlops(row.flops, row.medianMs);
  return {
    deviceKey: device.key,
    kernel: row.kernel,
    problem: row.problem,
    problemLabel: sweep.problemLabel,
    configLabel: configLabel(row.config),
    precision,
    intensity: flopPerByte,
    achieved,
    medianMs: row.medianMs,
    ...(typeof row.call === 'string' ? { call: row.call } : {}),
    best,
    datasheet: verdict(datasheetRoof(device, precision), flopPerByte, achieved),
    measured: verdict(measuredRoof(device), flopPerByte, achieved),
  };
}

/** Points of the top `topK` configs of every sweep; the first of each sweep is its best. */
export function collectPoints(sweeps: readonly Sweep[], topK = 10): RooflinePoint[] {
  return sweeps.flatMap((sweep) => sweep.measured.slice(0, topK).map((ranked, i) => pointOf(sweep, ranked.row, i === 0)));
}
