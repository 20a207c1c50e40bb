// Comparisons of ours against a peer (or a baseline) measured in one call: the only pairs a ratio is
// taken between, since two calls differ in power state, clocks and load (results/h200/NOTES.md). With
// interleaved rounds (`rounds` on both rows, or an older file's `comparisons[].interleaved`) the ratio
// is of the rounds' medians and its spread is the range of the per-round ratios; without, it is of the
// call's medians (the peer at its fastest where the call measured it more than once).
import type { Config, Problem, ResultRow } from '../../core/results.ts';
import { families } from '../../kernels/registry.ts';
import { roofOf } from '../../kernels/roofs/roof.ts';
import { isMeasuredOk } from './load.ts';
import { median } from './stats.ts';

export type ComparisonBasis = 'interleaved' | 'medians';

export interface SameCallComparison {
  kernel: string;
  problem: Problem;
  /** The call both sides were measured in (ReportCall.id). */
  call: string;
  peer: string;
  oursMs: number;
  peerMs: number;
  /** Peer time over ours: above 1 ours is faster. */
  ratio: number;
  basis: ComparisonBasis;
  /** Interleaved rounds behind the ratio; 0 when it is of one median each. */
  rounds: number;
  /** Lowest and highest per-round ratio (interleaved), or the peer's slowest over fastest median taken as a range. */
  spread?: { min: number; max: number };
  flops: number;
  oursConfig?: Config;
  /** The route the peer was called through, where known. */
  via?: string;
}

/** A row measured in a call, as the report keeps it: bytes recounted, call named. */
export type CallRow = ResultRow & { call: string };

/**
 * How a peer or baseline is named in tables and legends: its library and its operand type when not
 * FP8 (cuBLAS BF16). The route it was called through (our runner, torch) is provenance, kept in `via`.
 */
export function peerName(row: ResultRow): string {
  const c = row.config;
  const lib = String(c.library ?? c.implementation ?? row.kernel);
  if (row.role === 'baseline') return `${lib} (baseline)`;
  const dtype = typeof c.dtype === 'string' && c.dtype !== 'e4m3' ? ` ${c.dtype.toUpperCase()}` : '';
  return `${lib}${dtype}`;
}

/** The route a peer was called through, as its row says (`tilesweep runner (cublasLtMatmul)`, `torch._scaled_mm`). */
export const peerVia = (row: ResultRow): string | undefined => (typeof row.config.via === 'string' ? row.config.via : undefined);

export const problemKey = (kernel: string, problem: Problem): string => `${kernel}\u0000${JSON.stringify(Object.entries(problem).sort(([a], [b]) => a.localeCompare(b)))}`;

const flopsOf = (kernel: string, problem: Problem, fallback: number): number => {
  try {
    return families[kernel]?.flops(problem) ?? fallback;
  } catch {
    return fallback;
  }
};

/** Per-round ratios of two interleaved series, paired by round. */
export function roundRatios(oursMs: readonly number[], peerMs: readonly number[]): number[] {
  const n = Math.min(oursMs.length, peerMs.length);
  return Array.from({ length: n }, (_, i) => peerMs[i] / oursMs[i]);
}

export function interleavedComparison(base: Omit<SameCallComparison, 'oursMs' | 'peerMs' | 'ratio' | 'basis' | 'rounds' | 'spread'>, oursRounds: readonly number[], peerRounds: readonly number[]): SameCallComparison {
  const oursMs = median(oursRounds);
  const peerMs = median(peerRounds);
  const perRound = roundRatios(oursRounds, peerRounds);
  return {
    ...base,
    oursMs,
    peerMs,
    ratio: peerMs / oursMs,
    basis: 'interleaved',
    rounds: perRound.length,
    spread: { min: perRound.reduce((a, b) => Math.min(a, b)), max: perRound.reduce((a, b) => Math.max(a, b)) },
  };
}

const hasRounds = (row: ResultRow): row is ResultRow & { rounds: number[] } => Array.isArray(row.rounds) && row.rounds.length > 0;

/** The comparisons the rows of one call and problem hold: ours (its best) against every peer and baseline. */
function fromRows(rows: readonly CallRow[]): SameCallComparison[] {
  const ok = rows.filter((r): r is CallRow & { medianMs: number } => isMeasuredOk(r));
  const candidates = ok.filter((r) => r.role === 'candidate');
  if (candidates.length === 0) return [];
  const interleavedOurs = candidates.filter(hasRounds).sort((a, b) => median(a.rounds!) - median(b.rounds!))[0];
  const best = [...candidates].sort((a, b) => a.medianMs - b.medianMs)[0];
  const byPeer = new Map<string, (ResultRow & { medianMs: number })[]>();
  for (const row of ok) {
    // A baseline that is another kernel's tuned config (MHA beside MLA) names no library: not a peer.
    // A roof (a copy, a fixed GEMM) did other work: its rate is compared (roof-shares.ts), never its time.
    if (row.role === 'candidate' || (row.config.library === undefined && row.config.implementation === undefined) || roofOf(row.config)) continue;
    const name = `${peerName(row)}\u0000${peerVia(row) ?? ''}`;
    const list = byPeer.get(name) ?? [];
    list.push(row);
    byPeer.set(name, list);
  }
  const out: SameCallComparison[] = [];
  for (const peerRows of byPeer.values()) {
    const via = peerVia(peerRows[0]);
    const base = { kernel: best.kernel, problem: best.problem, call: rows[0].call, peer: peerName(peerRows[0]), flops: flopsOf(best.kernel, best.problem, best.flops), ...(via ? { via } : {}) };
    const peerInterleaved = peerRows.find(hasRounds);
    if (interleavedOurs && peerInterleaved) {
      out.push(interleavedComparison({ ...base, oursConfig: interleavedOurs.config }, interleavedOurs.rounds!, peerInterleaved.rounds!));
      continue;
    }
    const times = peerRows.map((r) => r.medianMs).sort((a, b) => a - b);
    const peerMs = times[0];
    out.push({
      ...base,
      oursConfig: best.config,
      oursMs: best.medianMs,
      peerMs,
      ratio: peerMs / best.medianMs,
      basis: 'medians',
      rounds: 0,
      ...(times.length > 1 ? { spread: { min: peerMs / best.medianMs, max: times.at(-1)! / best.medianMs } } : {}),
    });
  }
  return out;
}

/** The rows of each call, kernel and problem together: what one same-call comparison reads. */
export function byCallAndProblem(rows: readonly CallRow[]): CallRow[][] {
  const groups = new Map<string, CallRow[]>();
  for (const row of rows) {
    const key = `${row.call}\u0000${problemKey(row.kernel, row.problem)}`;
    // push, not a spread copy per row: a call of a few hundred thousand rows stays linear.
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  return [...groups.values()];
}

/** Every same-call comparison in rows, grouped by call, kernel and problem. */
export function comparisonsFromRows(rows: readonly CallRow[]): SameCallComparison[] {
  return byCallAndProblem(rows).flatMap(fromRows);
}
