// Measured decode attention: from the best config of each mla-decode / mha-decode problem, the time of
// one decode step over all layers, the tokens per second one GPU sustains and the dollar cost per
// million tokens. It is the attention kernel alone (the GEMMs, MoE and communication of a step are not
// in it), so it compares MLA with MHA, not a whole serving stack.
import type { Problem, ResultRow } from '../../core/results.ts';
import { h800, projectTime, type Basis } from './cost.ts';
import { deepseekV3, type AttentionKind } from './kv-cache.ts';
import { computePrecision } from './precision.ts';
import type { Bound } from './roofline.ts';
import type { ReportDevice } from './devices.ts';
import type { Sweep } from './sweeps.ts';

export const decodeKernels = ['mla-decode', 'mha-decode'] as const;

/** $2 per H800 GPU-hour: the DeepSeek-V3 technical report's rental rate (Table 1). */
export const defaultDollarsPerGpuHour = 2;

const aliases = {
  batch: ['B', 'batch', 'b'],
  queries: ['s_q', 'sq', 'sQ', 'queries'],
  heads: ['H', 'heads', 'h_q', 'hq', 'numHeads'],
  context: ['S', 'len', 'seqLen', 'seq_len', 'context', 'kvLen', 'L'],
} as const;

function field(problem: Problem, names: readonly string[]): number | undefined {
  for (const name of names) {
    const v = problem[name];
    if (typeof v === 'number') return v;
  }
  return undefined;
}

export interface DecodeShape {
  batch: number;
  /** Query tokens per sequence per step (2 with multi-token prediction). */
  queries: number;
  heads: number;
  context: number;
}

export function decodeShape(problem: Problem): DecodeShape | undefined {
  const batch = field(problem, aliases.batch);
  const heads = field(problem, aliases.heads);
  const context = field(problem, aliases.context);
  if (batch === undefined || heads === undefined || context === undefined) return undefined;
  return { batch, heads, context, queries: field(problem, aliases.queries) ?? 1 };
}

export interface DecodeEconomics {
  /** One decode step of attention over all layers, all heads, in ms of one GPU. */
  stepMs: number;
  tokensPerSecondPerGpu: number;
  dollarsPerMillionTokens: number;
}

/**
 * A kernel over `heads` of the model's heads is that share of each layer's attention, so a step takes
 * layers x (modelHeads / heads) such launches of GPU time, and yields batch x queries tokens.
 */
export function decodeEconomics(
  layerMs: number,
  shape: DecodeShape,
  options: { layers?: number; modelHeads?: number; dollarsPerGpuHour?: number } = {},
): DecodeEconomics {
  const layers = options.layers ?? deepseekV3.layers;
  const modelHeads = options.modelHeads ?? deepseekV3.heads;
  const rate = options.dollarsPerGpuHour ?? defaultDollarsPerGpuHour;
  const stepMs = layerMs * layers * (modelHeads / shape.heads);
  const tokensPerSecondPerGpu = (shape.batch * shape.queries) / (stepMs / 1e3);
  const dollarsPerMillionTokens = (rate / 3600 / tokensPerSecondPerGpu) * 1e6;
  return { stepMs, tokensPerSecondPerGpu, dollarsPerMillionTokens };
}

export interface DecodeRow {
  sweep: Sweep;
  shape: DecodeShape;
  /** What the kernel computed: mha-decode runs MHA, GQA or MQA by its KV heads. */
  attention: { kind: AttentionKind; detail: string };
  layerMs: number;
  economics: DecodeEconomics;
  /** The same step on an H800: measured there, or projected by the roofline from a datasheet GPU. */
  h800?: DecodeEconomics & { basis: Basis; bound: Bound };
}

/** The attention a decode problem computes: MLA, or by its KV heads (Hkv) MHA (Hkv = H), MQA (1) or GQA. */
export function attentionOf(kernel: string, problem: Problem): { kind: AttentionKind; detail: string } {
  if (kernel === 'mla-decode') return { kind: 'MLA', detail: 'latent KV shared by every head' };
  const heads = field(problem, aliases.heads);
  const kv = typeof problem.Hkv === 'number' ? problem.Hkv : heads;
  if (heads === undefined || kv === undefined || kv === heads) return { kind: 'MHA', detail: 'one KV head per query head' };
  if (kv === 1) return { kind: 'MQA', detail: `${heads} query heads on one KV head` };
  return { kind: 'GQA', detail: `${heads / kv} query heads per KV head (${kv} KV heads)` };
}

/**
 * The same step on an H800 from a row measured on `device`: measured there, or projected by the roofline
 * at the row's recounted intensity; undefined on a device without a datasheet row.
 */
export function h800Economics(row: ResultRow & { medianMs: number }, device: ReportDevice, shape: DecodeShape, dollarsPerGpuHour: number): DecodeRow['h800'] {
  const source = device.datasheet;
  if (!source) return undefined;
  const precision = computePrecision(row, device.info.backend);
  const p = projectTime({ ms: row.medianMs, flops: row.flops, bytes: row.bytes, precision, source, target: h800() });
  return { ...decodeEconomics(p.targetMs, shape, { dollarsPerGpuHour }), basis: p.basis, bound: p.bound };
}

export function collectDecode(sweeps: readonly Sweep[], dollarsPerGpuHour = defaultDollarsPerGpuHour): DecodeRow[] {
  const rows: DecodeRow[] = [];
  for (const sweep of sweeps) {
    if (!(decodeKernels as readonly string[]).includes(sweep.kernel)) continue;
    const best = sweep.measured[0];
    const shape = decodeShape(sweep.problem);
    if (!best || !shape) continue;
    const layerMs = best.row.medianMs;
    const h800 = h800Economics(best.row, sweep.device, shape, dollarsPerGpuHour);
    rows.push({ sweep, shape, attention: attentionOf(sweep.kernel, sweep.problem), layerMs, economics: decodeEconomics(layerMs, shape, { dollarsPerGpuHour }), h800 });
  }
  return rows;
}
