// Our rates as shares of the roofs measured in the same call (kernels/roofs/): a memory roof (the
// device-to-device copy, read plus write bytes) holds our bytes/s, either every compulsory byte or
// the KV cache alone ('kv-bytes', what a decode kernel exists to stream) or a GEMM's weights alone
// ('weight-bytes', what a small-M GEMM exists to stream); a compute roof (cuBLAS BF16
// at 8192 cubed) holds our FLOP/s. A rate ratio, not a time ratio: the roof's work is not ours. Like
// every comparison here (same-call.ts), only rows of one call are divided into each other.
import type { Config, Problem, ResultRow } from '../../core/results.ts';
import { rowElementTypes } from '../../kernels/element-types.ts';
import { families } from '../../kernels/registry.ts';
import { roofOf, type RoofKind } from '../../kernels/roofs/roof.ts';
import { isMeasuredOk } from './load.ts';
import { median } from './stats.ts';
import { recountBytes } from './row-bytes.ts';
import { byCallAndProblem, peerName, type CallRow } from './same-call.ts';

export const ROOF_MEASURES = ['bytes', 'kv-bytes', 'weight-bytes', 'flops'] as const;
export type RoofMeasure = (typeof ROOF_MEASURES)[number];

/** The measures a roof of this kind can hold: bytes/s against a copy, FLOP/s against a GEMM. */
export const measuresOf = (kind: RoofKind): readonly RoofMeasure[] => (kind === 'memory' ? ['bytes', 'kv-bytes', 'weight-bytes'] : ['flops']);

export interface RoofShare {
  call: string;
  kernel: string;
  problem: Problem;
  /** The roof's `--peers` name (copy, cublas-bf16-8192). */
  roof: string;
  /** As tables name it (copy, cuBLAS BF16). */
  roofLabel: string;
  kind: RoofKind;
  measure: RoofMeasure;
  oursConfig: Config;
  oursMs: number;
  /** Ours by the measure: bytes/s or FLOP/s. */
  oursRate: number;
  /** The roof's own bytes/s (memory) or FLOP/s (compute), from its own work. */
  roofRate: number;
  /** oursRate / roofRate. */
  share: number;
  /** Interleaved rounds behind the share (0: one median each) and the range of the per-round shares. */
  rounds: number;
  spread?: { min: number; max: number };
}

const hasRounds = (row: ResultRow): row is ResultRow & { rounds: number[] } => Array.isArray(row.rounds) && row.rounds.length > 0;

/** The roof a row measured under its `--peers` name; the table name for an older row without one. */
const roofName = (row: ResultRow): string => (typeof row.peer === 'string' ? row.peer : peerName(row));

/** Our work the measure counts: compulsory bytes (recounted in the row's types), KV-cache or weight bytes, or FLOPs. */
export function oursWork(row: ResultRow, measure: RoofMeasure): number | undefined {
  if (measure === 'flops') return row.flops > 0 ? row.flops : undefined;
  if (measure === 'bytes') return recountBytes(row);
  const family = families[row.kernel];
  const part = measure === 'kv-bytes' ? family?.cacheBytes : family?.weightBytes;
  if (!part) return undefined;
  try {
    const bytes = part(row.problem, rowElementTypes(row.config));
    return bytes > 0 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** A roof row's own work: its bytes (memory) or FLOPs (compute), as the row states them (never recounted). */
export const roofWork = (row: ResultRow, kind: RoofKind): number => (kind === 'memory' ? row.bytes : row.flops);

/** The roof's rate in a measured row: its own work over its time. */
export const roofRate = (row: ResultRow & { medianMs: number }, kind: RoofKind): number => roofWork(row, kind) / (row.medianMs / 1e3);

function fromGroup(rows: readonly CallRow[]): RoofShare[] {
  const ok = rows.filter((r): r is CallRow & { medianMs: number } => isMeasuredOk(r));
  const candidates = ok.filter((r) => r.role === 'candidate');
  if (candidates.length === 0) return [];
  // Ours as same-call.ts takes it: the interleaved row where rounds were run, else the fastest.
  const interleaved = candidates.filter(hasRounds).sort((a, b) => median(a.rounds!) - median(b.rounds!))[0];
  const ours: CallRow & { medianMs: number } = interleaved ?? [...candidates].sort((a, b) => a.medianMs - b.medianMs)[0];
  const roofs = new Map<string, (CallRow & { medianMs: number })[]>();
  for (const row of ok) {
    if (row.role !== 'peer' || !roofOf(row.config)) continue;
    const list = roofs.get(roofName(row)) ?? [];
    list.push(row);
    roofs.set(roofName(row), list);
  }
  const out: RoofShare[] = [];
  for (const [roof, list] of roofs) {
    const kind = roofOf(list[0].config)!;
    // The roof at its fastest in the call: the highest rate it showed is the roof.
    const best = [...list].sort((a, b) => a.medianMs - b.medianMs)[0];
    const rate = roofRate(best, kind);
    for (const measure of measuresOf(kind)) {
      const work = oursWork(ours, measure);
      if (work === undefined) continue;
      const oursRate = work / (ours.medianMs / 1e3);
      const perRound = hasRounds(ours) && hasRounds(best)
        ? ours.rounds.slice(0, best.rounds.length).map((ms, i) => (work / ms) / (roofWork(best, kind) / best.rounds[i]))
        : [];
      out.push({
        call: rows[0].call, kernel: ours.kernel, problem: ours.problem, roof, roofLabel: peerName(best), kind, measure,
        oursConfig: ours.config, oursMs: ours.medianMs, oursRate, roofRate: rate, share: oursRate / rate,
        rounds: perRound.length,
        ...(perRound.length ? { spread: { min: perRound.reduce((a, b) => Math.min(a, b)), max: perRound.reduce((a, b) => Math.max(a, b)) } } : {}),
      });
    }
  }
  return out;
}

/** Every share the rows hold: per call, kernel and problem, ours against each roof measured beside it. */
export function roofShares(rows: readonly CallRow[]): RoofShare[] {
  return byCallAndProblem(rows).flatMap(fromGroup);
}
