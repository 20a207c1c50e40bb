// Ratios of our kernels to the peers measured in the same call, from the rows alone: per call and
// problem, our verified row timed beside the peers (else our fastest) against each verified peer, as
// the peer's time over ours (above 1: ours is faster). Where both sides carry interleaved `rounds`, the ratio is of the rounds' medians
// and the per-round ratios give its spread. Rows of different calls are never divided.
import { stableStringify } from '../../core/hash.ts';
import type { Problem, ResultRow } from '../../core/results.ts';

export interface PeerRatio {
  runId?: string;
  kernel: string;
  problem: Problem;
  /** The peer's library name (its config.library). */
  peer: string;
  oursMs: number;
  peerMs: number;
  /** Peer time over ours. */
  ratio: number;
  /** Per-round ratios where both sides were timed in alternating rounds. */
  roundRatios?: number[];
  ours: ResultRow;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const timeOf = (row: ResultRow): number => (row.rounds?.length ? median(row.rounds) : row.medianMs!);
const measuredOk = (row: ResultRow): boolean => row.status === 'ok' && row.verified?.ok === true && row.medianMs !== undefined && row.medianMs > 0;

/** Every (call, kernel, problem, peer) with a verified row of ours and of the peer. */
export function peerRatios(rows: readonly ResultRow[], fileRunId?: string): PeerRatio[] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    if (!measuredOk(row)) continue;
    const key = stableStringify([row.runId ?? fileRunId ?? '', row.kernel, row.problem]);
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  const out: PeerRatio[] = [];
  for (const group of groups.values()) {
    // Ours: the row timed in rounds beside the peers where there is one (the call's comparison), else
    // the fastest of the call (a sweep's other rows were not timed alternately with the peers).
    const mine = group.filter((r) => r.role === 'candidate' && !r.cached);
    const alternated = mine.filter((r) => r.rounds?.length);
    const ours = (alternated.length ? alternated : mine).sort((a, b) => timeOf(a) - timeOf(b))[0];
    if (!ours) continue;
    for (const peer of group.filter((r) => r.role === 'peer')) {
      const roundRatios = ours.rounds?.length && peer.rounds?.length === ours.rounds.length ? peer.rounds.map((p, i) => p / ours.rounds![i]) : undefined;
      out.push({
        ...(ours.runId ?? fileRunId ? { runId: ours.runId ?? fileRunId } : {}),
        kernel: ours.kernel, problem: ours.problem, peer: String(peer.config.library ?? peer.peer ?? 'peer'),
        oursMs: timeOf(ours), peerMs: timeOf(peer), ratio: timeOf(peer) / timeOf(ours),
        ...(roundRatios ? { roundRatios } : {}), ours,
      });
    }
  }
  return out;
}

export const geomean = (xs: readonly number[]): number | undefined => (xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length) : undefined);
