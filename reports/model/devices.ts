// The devices found in the results, each with its datasheet row (if the name matches one) and the
// ceilings measured on it: the best copy bandwidth (rows of kernel "copy") and the best matmul rate.
// CPU adapters have no datasheet row; their ceilings are only the measured ones.
import type { DeviceInfo, ResultRow } from '../../core/results.ts';
import { datasheet, isCpuAdapter, matchDatasheet, type DatasheetDevice } from '../devices/peaks.ts';
import { isMeasuredOk, type LoadedResults } from './load.ts';
import { isMatmulKernel } from './precision.ts';
import { achievedBandwidth, achievedFlops } from './roofline.ts';

export const copyKernel = 'copy';

export interface MeasuredCeiling {
  value: number;
  /** The row it was measured on. */
  row: ResultRow;
}

export interface ReportDevice {
  /** Stable key: the fingerprint, else backend + name. */
  key: string;
  info: DeviceInfo;
  isCpu: boolean;
  datasheet?: DatasheetDevice;
  /** Best measured copy bandwidth, bytes/s (read + write). */
  copy?: MeasuredCeiling;
  /** Best measured matmul rate, FLOP/s. */
  matmul?: MeasuredCeiling;
  files: string[];
  rows: ResultRow[];
}

export function deviceKey(info: DeviceInfo): string {
  return info.fingerprint ? `${info.backend}:${info.fingerprint}` : `${info.backend}:${info.name}`;
}

function best(rows: readonly ResultRow[], rate: (row: ResultRow & { medianMs: number }) => number): MeasuredCeiling | undefined {
  let top: MeasuredCeiling | undefined;
  for (const row of rows) {
    if (!isMeasuredOk(row)) continue;
    const value = rate(row);
    if (!top || value > top.value) top = { value, row };
  }
  return top;
}

/** Groups results by device; files of one device (same fingerprint) are merged. */
export function collectDevices(loaded: readonly LoadedResults[]): ReportDevice[] {
  const byKey = new Map<string, ReportDevice>();
  for (const { path, file } of loaded) {
    const key = deviceKey(file.device);
    let device = byKey.get(key);
    if (!device) {
      const cpu = isCpuAdapter(file.device.name);
      device = { key, info: file.device, isCpu: cpu, datasheet: cpu ? undefined : matchDatasheet(file.device.name), files: [], rows: [] };
      byKey.set(key, device);
    }
    device.files.push(path);
    // One push per row: a spread of a whole file's rows into one call overflows the stack past ~125k.
    for (const row of file.runs) device.rows.push(row);
  }
  for (const device of byKey.values()) {
    device.copy = best(device.rows.filter((r) => r.kernel === copyKernel), (r) => achievedBandwidth(r.bytes, r.medianMs));
    device.matmul = best(device.rows.filter((r) => isMatmulKernel(r.kernel)), (r) => achievedFlops(r.flops, r.medianMs));
  }
  return [...byKey.values()];
}

/** Datasheet rows shown in the device table: the three reference GPUs, always. */
export const referenceDevices: readonly DatasheetDevice[] = datasheet;
