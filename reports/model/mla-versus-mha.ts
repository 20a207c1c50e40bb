// MLA against MHA per decode shape, as data: for each MLA problem measured on a GPU, its best row per
// cache (bf16, FP8) and the best tuned MHA row of the same batch, heads, lengths and query tokens
// (H_kv = H; a candidate of an mha-decode sweep or bench --baselines' MHA row), each with its time,
// KV bytes per token, KV-cache bytes/s and FLOP/s against the roofs measured in its own call (the
// copy and cuBLAS BF16 rows of kernels/roofs/), or the datasheet's peaks where the call measured
// none, labelled so, and the dollar cost per million tokens (decode.ts).
import type { Problem } from '../../core/results.ts';
import { kvBytesPerToken, kvCacheBytes } from '../../kernels/attention/shape.ts';
import { rowElementTypes, type CacheStorage } from '../../kernels/element-types.ts';
import { mhaShape, type MhaProblem } from '../../kernels/mha-decode/problem.ts';
import { mlaShape, type LengthPattern, type MlaProblem } from '../../kernels/mla-decode/problem.ts';
import { roofOf, type RoofKind } from '../../kernels/roofs/roof.ts';
import { decodeEconomics, decodeShape, defaultDollarsPerGpuHour, h800Economics, type DecodeEconomics, type DecodeRow } from './decode.ts';
import type { ReportDevice } from './devices.ts';
import { isMeasuredOk } from './load.ts';
import { computePrecision, datasheetPeak } from './precision.ts';
import { roofRate } from './roof-shares.ts';
import { achievedFlops } from './roofline.ts';
import { peerName, problemKey, type CallRow } from './same-call.ts';
import { compareProblems, shortShape, problemLabel } from './sweeps.ts';

type MeasuredRow = CallRow & { medianMs: number };

export type RoofBasis = 'same call' | 'datasheet';

export interface DecodeRoof {
  /** bytes/s (memory) or FLOP/s (compute). */
  value: number;
  basis: RoofBasis;
  /** What it is: "copy, read + write" or "H200 HBM, datasheet". */
  label: string;
}

export interface DecodeSide {
  attention: 'MLA' | 'MHA';
  kernel: string;
  cache: CacheStorage;
  row: MeasuredRow;
  layerMs: number;
  kvBytesPerToken: number;
  /** KV-cache bytes the step read, and per second. */
  kvBytes: number;
  kvBandwidth: number;
  flopRate: number;
  memoryRoof?: DecodeRoof;
  computeRoof?: DecodeRoof;
  /** kvBandwidth over the memory roof; flopRate over the compute roof. */
  memoryShare?: number;
  computeShare?: number;
  economics: DecodeEconomics;
  /** The same step on an H800 (measured there, or projected by the roofline), as the decode table has it. */
  h800?: DecodeRow['h800'];
}

export interface MlaVersusMha {
  device: ReportDevice;
  /** The MLA problem as its rows state it. */
  problem: Problem;
  label: string;
  /** One side per cache MLA was measured with, bf16 first. */
  mla: DecodeSide[];
  mha?: DecodeSide;
  /** MHA's time over MLA's, per MLA cache; `sameCall` when both rows come from one call. */
  speedups: { cache: CacheStorage; ratio: number; sameCall: boolean }[];
}

const pattern = (problem: Problem): LengthPattern =>
  problem.lengths === 'varied' || problem.lengths === 'edges' ? problem.lengths : 'fixed';

/** The MLA problem a row's problem states (older files name fewer fields: fixed lengths, bf16 assumed). */
export function mlaOf(problem: Problem): MlaProblem | undefined {
  const s = decodeShape(problem);
  if (!s) return undefined;
  return { B: s.batch, sq: s.queries, H: s.heads, L: s.context, lengths: pattern(problem), dtype: problem.dtype === 'f32' ? 'f32' : 'f16' };
}

export function mhaOf(problem: Problem): MhaProblem | undefined {
  const mla = mlaOf(problem);
  if (!mla) return undefined;
  const kv = typeof problem.Hkv === 'number' ? problem.Hkv : typeof problem.kvHeads === 'number' ? problem.kvHeads : mla.H;
  return { ...mla, Hkv: kv };
}

/** The shape MLA and MHA are paired on: batch, query tokens, heads, lengths and storage. */
const pairKey = (p: MlaProblem): string => `${p.B} ${p.sq} ${p.H} ${p.L} ${p.lengths} ${p.dtype}`;

/** True when an MHA problem (one KV head per query head) is MLA's at the same model size (kernels/mla-decode/compare.ts). */
export function isMhaOf(mlaProblem: Problem, mhaProblem: Problem): boolean {
  const mla = mlaOf(mlaProblem);
  const mha = mhaOf(mhaProblem);
  return mla !== undefined && mha !== undefined && mha.Hkv === mha.H && pairKey(mla) === pairKey(mha);
}

/** Our tuned rows: candidates, and bench --baselines' MHA rows (a baseline naming no library). */
const isTuned = (row: CallRow): boolean =>
  row.role === 'candidate' || (row.role === 'baseline' && row.config.library === undefined && row.config.implementation === undefined);

const fastest = (rows: readonly MeasuredRow[]): MeasuredRow | undefined => [...rows].sort((a, b) => a.medianMs - b.medianMs)[0];

/** The roof of this kind measured in the row's call (its own problem's first), at its highest rate. */
function callRoof(device: ReportDevice, row: MeasuredRow, kind: RoofKind): DecodeRoof | undefined {
  const inCall = device.rows.filter((r): r is MeasuredRow => r.call === row.call && roofOf(r.config) === kind && isMeasuredOk(r));
  const ownProblem = inCall.filter((r) => problemKey(r.kernel, r.problem) === problemKey(row.kernel, row.problem));
  const best = (ownProblem.length ? ownProblem : inCall).sort((a, b) => roofRate(b, kind) - roofRate(a, kind))[0];
  if (!best) return undefined;
  return { value: roofRate(best, kind), basis: 'same call', label: kind === 'memory' ? `${peerName(best)}, read + write` : `${peerName(best)} ${best.config.M ?? ''}${best.config.M ? '³' : ''}`.trim() };
}

function roofs(device: ReportDevice, row: MeasuredRow): { memoryRoof?: DecodeRoof; computeRoof?: DecodeRoof } {
  const sheet = device.datasheet;
  const precision = computePrecision(row, device.info.backend);
  const memoryRoof = callRoof(device, row, 'memory') ?? (sheet && { value: sheet.hbm.value, basis: 'datasheet', label: `${sheet.id} HBM, datasheet` });
  const computeRoof = callRoof(device, row, 'compute') ?? (sheet && { value: datasheetPeak(sheet, precision), basis: 'datasheet', label: `${sheet.id} dense ${precision.toUpperCase()}, datasheet` });
  return { ...(memoryRoof ? { memoryRoof } : {}), ...(computeRoof ? { computeRoof } : {}) };
}

function side(device: ReportDevice, row: MeasuredRow, dollarsPerGpuHour: number): DecodeSide | undefined {
  const mla = row.kernel === 'mla-decode';
  const problem = mla ? mlaOf(row.problem) : mhaOf(row.problem);
  const shape = decodeShape(row.problem);
  if (!problem || !shape) return undefined;
  const cache = (mla && rowElementTypes(row.config).cache) || 'bf16';
  const attention = mla ? mlaShape(problem as MlaProblem) : mhaShape(problem as MhaProblem);
  const kvBytes = kvCacheBytes(attention, cache);
  const flopRate = achievedFlops(row.flops, row.medianMs);
  const kvBandwidth = kvBytes / (row.medianMs / 1e3);
  const { memoryRoof, computeRoof } = roofs(device, row);
  return {
    attention: mla ? 'MLA' : 'MHA', kernel: row.kernel, cache, row, layerMs: row.medianMs,
    kvBytesPerToken: kvBytesPerToken(attention, cache), kvBytes, kvBandwidth, flopRate,
    ...(memoryRoof ? { memoryRoof, memoryShare: kvBandwidth / memoryRoof.value } : {}),
    ...(computeRoof ? { computeRoof, computeShare: flopRate / computeRoof.value } : {}),
    economics: decodeEconomics(row.medianMs, shape, { dollarsPerGpuHour }),
    h800: h800Economics(row, device, shape, dollarsPerGpuHour),
  };
}

/** MLA against MHA per shape, on every GPU (CPU adapters are not rented by the GPU-hour). */
export function collectMlaVersusMha(devices: readonly ReportDevice[], dollarsPerGpuHour = defaultDollarsPerGpuHour): MlaVersusMha[] {
  const out: MlaVersusMha[] = [];
  for (const device of devices.filter((d) => !d.isCpu)) {
    const mine: MlaVersusMha[] = [];
    const tuned = device.rows.filter((r): r is MeasuredRow => isTuned(r) && isMeasuredOk(r));
    const mhaByShape = new Map<string, MeasuredRow[]>();
    for (const row of tuned.filter((r) => r.kernel === 'mha-decode')) {
      const p = mhaOf(row.problem);
      if (!p || p.Hkv !== p.H) continue;
      const list = mhaByShape.get(pairKey(p)) ?? [];
      list.push(row);
      mhaByShape.set(pairKey(p), list);
    }
    const mlaByProblem = new Map<string, MeasuredRow[]>();
    for (const row of tuned.filter((r) => r.kernel === 'mla-decode')) {
      const key = problemKey(row.kernel, row.problem);
      const list = mlaByProblem.get(key) ?? [];
      list.push(row);
      mlaByProblem.set(key, list);
    }
    for (const rows of mlaByProblem.values()) {
      const problem = mlaOf(rows[0].problem);
      if (!problem) continue;
      const caches = (['bf16', 'fp8'] as const).flatMap((cache) => {
        const best = fastest(rows.filter((r) => (rowElementTypes(r.config).cache ?? 'bf16') === cache));
        return best ? [side(device, best, dollarsPerGpuHour)].filter((s): s is DecodeSide => s !== undefined) : [];
      });
      if (caches.length === 0) continue;
      // MHA from the call of MLA's best row where that call measured it (a same-call ratio), else its best anywhere.
      const mhaRows = mhaByShape.get(pairKey(problem)) ?? [];
      const lead = fastest(caches.map((c) => c.row))!;
      const mhaRow = fastest(mhaRows.filter((r) => r.call === lead.call)) ?? fastest(mhaRows);
      const mha = mhaRow ? side(device, mhaRow, dollarsPerGpuHour) : undefined;
      mine.push({
        device, problem: rows[0].problem, label: shortShape(problemLabel(rows[0].problem), rows[0].problem), mla: caches,
        ...(mha ? { mha } : {}),
        speedups: mha ? caches.map((c) => ({ cache: c.cache, ratio: mha.layerMs / c.layerMs, sameCall: mha.row.call === c.row.call })) : [],
      });
    }
    out.push(...mine.sort((a, b) => compareProblems(a.problem, b.problem)));
  }
  return out;
}
