// Everything a report shows, computed once from the loaded results; the HTML, markdown and JSON
// renderers only format this value.
import { datasheet, type DatasheetDevice } from '../devices/peaks.ts';
import { collectDecode, defaultDollarsPerGpuHour, type DecodeRow } from './decode.ts';
import { collectDevices, type ReportDevice } from './devices.ts';
import {
  bf16Bytes,
  deepseekV3,
  deepseekV3Variants,
  instanceSize,
  kvBudgetPerGpu,
  kvBytesPerToken,
  kvBytesPerTokenPerLayer,
  maxBatch,
  type AttentionShape,
} from './kv-cache.ts';
import type { LoadedResults } from './load.ts';
import { collectPeers, type PeerComparison } from './peers.ts';
import { collectPoints, type RooflinePoint } from './points.ts';
import { collectSweeps, type Sweep } from './sweeps.ts';
import { projectGemms, trainingReference, type GemmProjection, type TrainingReference } from './training.ts';

export interface ReportOptions {
  dollarsPerGpuHour: number;
  /** Context length (tokens per sequence) for the batch-that-fits table. */
  context: number;
  topK: number;
}

export const defaultReportOptions: ReportOptions = { dollarsPerGpuHour: defaultDollarsPerGpuHour, context: 4096, topK: 10 };

export interface KvRow {
  shape: AttentionShape;
  bytesPerTokenPerLayer: number;
  bytesPerToken: number;
  /** Per datasheet GPU: the instance size and largest batch per GPU at the report's context. */
  fits: { device: DatasheetDevice; gpus: number; budgetBytes: number; batch: number }[];
}

export interface ReportModel {
  options: ReportOptions;
  inputs: string[];
  devices: ReportDevice[];
  sweeps: Sweep[];
  points: RooflinePoint[];
  peers: PeerComparison[];
  kv: KvRow[];
  decode: DecodeRow[];
  gemms: GemmProjection[];
  training: TrainingReference;
}

export function kvTable(context: number): KvRow[] {
  return deepseekV3Variants().map((shape) => {
    const perToken = kvBytesPerToken(shape, deepseekV3.layers, bf16Bytes);
    return {
      shape,
      bytesPerTokenPerLayer: kvBytesPerTokenPerLayer(shape, bf16Bytes),
      bytesPerToken: perToken,
      fits: datasheet.map((device) => {
        const gpus = instanceSize(device.memory.value, deepseekV3.weightBytes);
        const budgetBytes = kvBudgetPerGpu({ gpuMemoryBytes: device.memory.value, gpus, weightBytes: deepseekV3.weightBytes });
        return { device, gpus, budgetBytes, batch: maxBatch(budgetBytes, perToken, context) };
      }),
    };
  });
}

export function buildReportModel(loaded: readonly LoadedResults[], options: ReportOptions = defaultReportOptions): ReportModel {
  const devices = collectDevices(loaded);
  const sweeps = collectSweeps(devices);
  return {
    options,
    inputs: loaded.map((l) => l.path),
    devices,
    sweeps,
    points: collectPoints(sweeps),
    peers: collectPeers(devices, sweeps),
    kv: kvTable(options.context),
    decode: collectDecode(sweeps, options.dollarsPerGpuHour),
    gemms: projectGemms(sweeps),
    training: trainingReference(options.dollarsPerGpuHour),
  };
}
