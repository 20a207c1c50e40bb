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
import { collectHeadline, type HeadlineTable } from './headline.ts';
import { collectMlaVersusMha, type MlaVersusMha } from './mla-versus-mha.ts';
import { sweepModelFit, type ModelFit } from './model-fit.ts';
import { collectPeerPoints, type PeerPoint } from './peers.ts';
import { sensitivity, type ParamSensitivity } from './sensitivity.ts';
import { collectPoints, type RooflinePoint } from './points.ts';
import { collectSweeps, type Sweep } from './sweeps.ts';
import { projectGemms, trainingReference, type GemmProjection, type TrainingReference } from './training.ts';

export interface ReportOptions {
  dollarsPerGpuHour: number;
  /** Context length (tokens per sequence) for the batch-that-fits table. */
  context: number;
  /** Extra GPU memory sizes (bytes) for the batch-that-fits table, beside the datasheet GPUs. */
  gpuMemoryBytes?: readonly number[];
  topK: number;
}

export const defaultReportOptions: ReportOptions = { dollarsPerGpuHour: defaultDollarsPerGpuHour, context: 4096, topK: 10 };

export interface KvFit {
  /** Datasheet id ("H200") or the memory size asked for ("96 GB"). */
  gpu: string;
  memoryBytes: number;
  gpus: number;
  budgetBytes: number;
  batch: number;
}

export interface KvRow {
  shape: AttentionShape;
  bytesPerTokenPerLayer: number;
  bytesPerToken: number;
  /** Per datasheet GPU: the instance size and largest batch per GPU at the report's context. */
  fits: KvFit[];
}

export interface ReportModel {
  options: ReportOptions;
  inputs: string[];
  devices: ReportDevice[];
  sweeps: Sweep[];
  points: RooflinePoint[];
  headline: HeadlineTable[];
  peers: PeerPoint[];
  /** Per device and kernel (`${device.key} ${kernel}`): how much each tile parameter matters. */
  sensitivity: Map<string, ParamSensitivity[]>;
  /** Per sweep with an analytic model: how well it ranked the measured configs. */
  modelFit: Map<Sweep, ModelFit>;
  kv: KvRow[];
  decode: DecodeRow[];
  /** Per GPU and MLA shape: MLA (each cache) against tuned MHA, against the roofs of their calls. */
  mlaVersusMha: MlaVersusMha[];
  gemms: GemmProjection[];
  training: TrainingReference;
}

export function kvTable(context: number, extraMemoryBytes: readonly number[] = []): KvRow[] {
  const gpus: { gpu: string; memoryBytes: number }[] = [
    ...datasheet.map((d: DatasheetDevice) => ({ gpu: d.id, memoryBytes: d.memory.value })),
    ...extraMemoryBytes.map((bytes) => ({ gpu: `${bytes / 1e9} GB`, memoryBytes: bytes })),
  ];
  return deepseekV3Variants().map((shape) => {
    const perToken = kvBytesPerToken(shape, deepseekV3.layers, bf16Bytes);
    return {
      shape,
      bytesPerTokenPerLayer: kvBytesPerTokenPerLayer(shape, bf16Bytes),
      bytesPerToken: perToken,
      fits: gpus.map(({ gpu, memoryBytes }) => {
        const count = instanceSize(memoryBytes, deepseekV3.weightBytes);
        const budgetBytes = kvBudgetPerGpu({ gpuMemoryBytes: memoryBytes, gpus: count, weightBytes: deepseekV3.weightBytes });
        return { gpu, memoryBytes, gpus: count, budgetBytes, batch: maxBatch(budgetBytes, perToken, context) };
      }),
    };
  });
}

export const sensitivityKey = (deviceKey: string, kernel: string): string => `${deviceKey} ${kernel}`;

export function buildReportModel(loaded: readonly LoadedResults[], options: ReportOptions = defaultReportOptions): ReportModel {
  const devices = collectDevices(loaded);
  const sweeps = collectSweeps(devices);
  const headline = collectHeadline(devices);
  const groups = new Map<string, Sweep[]>();
  for (const s of sweeps) {
    const list = groups.get(sensitivityKey(s.device.key, s.kernel)) ?? [];
    list.push(s);
    groups.set(sensitivityKey(s.device.key, s.kernel), list);
  }
  return {
    options,
    inputs: loaded.map((l) => l.path),
    devices,
    sweeps,
    points: collectPoints(sweeps, options.topK),
    headline,
    peers: collectPeerPoints(headline),
    sensitivity: new Map([...groups].map(([key, list]) => [key, sensitivity(list)])),
    modelFit: new Map(sweeps.flatMap((s) => {
      const fit = sweepModelFit(s);
      return fit ? [[s, fit] as const] : [];
    })),
    kv: kvTable(options.context, options.gpuMemoryBytes),
    decode: collectDecode(sweeps, options.dollarsPerGpuHour),
    mlaVersusMha: collectMlaVersusMha(devices, options.dollarsPerGpuHour),
    gemms: projectGemms(sweeps),
    training: trainingReference(options.dollarsPerGpuHour),
  };
}
