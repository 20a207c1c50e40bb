// Ratios of our kernels to the peers measured in the same call, from the rows alone, for the gate and
// the CLI: the report's same-call comparisons (reports/model/same-call.ts) keyed by call. A row's call
// is its runId; a file whose rows carry none is one call (`fileRunId`).
import type { Problem, ResultRow } from '../../core/results.ts';
import { comparisonsFromRows, type SameCallComparison } from '../model/same-call.ts';

export interface PeerRatio {
  runId?: string;
  kernel: string;
  problem: Problem;
  /** The peer as tables name it: its library, and its operand type when not FP8 (`cuBLAS BF16`). */
  peer: string;
  oursMs: number;
  peerMs: number;
  /** Peer time over ours: above 1 ours is faster. */
  ratio: number;
  /** Per-round ratios' range where both sides were timed in alternating rounds. */
  spread?: SameCallComparison['spread'];
  rounds: number;
}

/** Every (call, kernel, problem, peer) with a verified row of ours and of the peer. */
export function peerRatios(rows: readonly ResultRow[], fileRunId?: string): PeerRatio[] {
  const called = rows.map((row) => ({ ...row, call: row.runId ?? fileRunId ?? '' }));
  return comparisonsFromRows(called)
    .filter((c) => !c.peer.endsWith('(baseline)'))
    .map((c) => ({
      ...(c.call ? { runId: c.call } : {}),
      kernel: c.kernel, problem: c.problem, peer: c.peer, oursMs: c.oursMs, peerMs: c.peerMs, ratio: c.ratio, rounds: c.rounds,
      ...(c.spread ? { spread: c.spread } : {}),
    }));
}

export const geomean = (xs: readonly number[]): number | undefined => (xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length) : undefined);
