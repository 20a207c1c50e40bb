// Every measured row as a roofline point, with the roofs it is judged against: the datasheet roof of
// its device (compute peak of the kernel's precision, HBM bandwidth) when the device has a datasheet
// row, and the roof measured on the device (best matmul rate, copy bandwidth) when those exist.
import type { ResultRow } from '../../core/results.ts';
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
  problemLabel: string;
  configLabel: string;
  precision: Precision;
  /** FLOP per byte. */
  intensity: number;
  /** FLOP/s. */
  achieved: number;
  medianMs: number;
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

/** Without a measured copy bandwidth the memory roof is unknown and only the compute roof is drawn. */
export function measuredRoof(device: ReportDevice): Roof | undefined {
  if (!device.matmul) return undefined;
  return { peakFlops: device.matmul.value, bandwidth: device.copy?.value ?? Number.POSITIVE_INFINITY };
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
    problemLabel: sweep.problemLabel,
    configLabel: configLabel(row.config),
    precision,
    intensity: flopPerByte,
    achieved,
    medianMs: row.medianMs,
    best,
    datasheet: verdict(datasheetRoof(device, precision), flopPerByte, achieved),
    measured: verdict(measuredRoof(device), flopPerByte, achieved),
  };
}

/** Points of every measured config of every sweep; the first of each sweep is its best. */
export function collectPoints(sweeps: readonly Sweep[]): RooflinePoint[] {
  return sweeps.flatMap((sweep) =>
    sweep.measured.map((ranked, i) => pointOf(sweep, ranked.row, i === 0)),
  );
}
