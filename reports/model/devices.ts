// The devices found in the results, each with its datasheet row (if the name matches one), the calls
// that measured on it, and the ceilings measured on it: the best copy bandwidth (rows of kernel
// "copy", or a copy roof beside a decode kernel) and the best matmul rate (or cuBLAS's roof). CPU
// adapters have no datasheet row; their ceilings are only the measured ones. Every row's bytes are
// recounted from its problem and element types (row-bytes.ts).
import type { DeviceInfo, ResultRow } from '../../core/results.ts';
import { roofOf } from '../../kernels/roofs/roof.ts';
import { displayName, knownAdapter } from '../devices/adapters.ts';
import { datasheet, datasheetById, isCpuAdapter, matchDatasheet, type DatasheetDevice } from '../devices/peaks.ts';
import { callIdOf, callsOfFile, type ReportCall } from './calls.ts';
import { legacyComparisons } from './legacy-comparisons.ts';
import { isMeasuredOk, type LoadedResults } from './load.ts';
import { isMatmulKernel } from './precision.ts';
import { recountBytes } from './row-bytes.ts';
import { achievedBandwidth, achievedFlops } from './roofline.ts';
import { comparisonsFromRows, type CallRow, type SameCallComparison } from './same-call.ts';

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
  /** The name tables show (devices/adapters.ts): the driver string only where nothing better is known. */
  name: string;
  isCpu: boolean;
  datasheet?: DatasheetDevice;
  /** Best measured copy bandwidth, bytes/s (read + write). */
  copy?: MeasuredCeiling;
  /** Best measured matmul rate, FLOP/s. */
  matmul?: MeasuredCeiling;
  files: string[];
  /** Every row, bytes recounted, with the call that measured it. */
  rows: CallRow[];
  calls: Map<string, ReportCall>;
  /** Ours against each peer within one call: from the rows, and from older files' own comparisons. */
  comparisons: SameCallComparison[];
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

function newDevice(key: string, info: DeviceInfo): ReportDevice {
  const cpu = isCpuAdapter(info.name);
  const known = knownAdapter(info);
  return {
    key,
    info,
    name: displayName(info),
    isCpu: cpu,
    datasheet: cpu ? undefined : known ? datasheetById(known.datasheet) : matchDatasheet(info.name),
    files: [],
    rows: [],
    calls: new Map(),
    comparisons: [],
  };
}

/** Groups results by device; files of one device (same fingerprint) are merged, their calls kept apart. */
export function collectDevices(loaded: readonly LoadedResults[]): ReportDevice[] {
  const byKey = new Map<string, ReportDevice>();
  const legacy = new Map<ReportDevice, SameCallComparison[]>();
  for (const { path, file } of loaded) {
    const key = deviceKey(file.device);
    const device = byKey.get(key) ?? newDevice(key, file.device);
    byKey.set(key, device);
    device.files.push(path);
    for (const call of callsOfFile(path, file)) {
      const known = device.calls.get(call.id);
      device.calls.set(call.id, known ? { ...known, files: [...known.files, path] } : call);
    }
    // One push per row: a spread of a whole file's rows into one call overflows the stack past ~125k.
    for (const row of file.runs) device.rows.push({ ...row, bytes: recountBytes(row), storedBytes: row.bytes, call: callIdOf(row, path) });
    const kept = legacy.get(device) ?? [];
    for (const c of legacyComparisons(file, `file:${path}`)) kept.push(c);
    legacy.set(device, kept);
  }
  for (const device of byKey.values()) {
    // The roofs measured beside a decode kernel (kernels/roofs/) are ceilings too: a copy and a GEMM.
    device.copy = best(device.rows.filter((r) => r.kernel === copyKernel || roofOf(r.config) === 'memory'), (r) => achievedBandwidth(r.bytes, r.medianMs));
    device.matmul = best(device.rows.filter((r) => isMatmulKernel(r.kernel) || roofOf(r.config) === 'compute'), (r) => achievedFlops(r.flops, r.medianMs));
    device.comparisons = legacy.get(device) ?? [];
    for (const c of comparisonsFromRows(device.rows)) device.comparisons.push(c);
  }
  // GPUs first, CPU adapters after them: a page reads the hardware that matters first.
  // Within each, the device with the most rows first (the CUDA H200 before its WebGPU sibling).
  return [...byKey.values()].sort((a, b) => Number(a.isCpu) - Number(b.isCpu) || b.rows.length - a.rows.length);
}

/** Datasheet rows shown in the device table: the three reference GPUs, always. */
export const referenceDevices: readonly DatasheetDevice[] = datasheet;
