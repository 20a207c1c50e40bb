// Ours against another kernel's tuned baseline measured in the same call (bench --baselines: MHA at the
// same model size beside MLA, its row `comparedWith: 'mla-decode'`): the baseline's time over ours, from
// rows of one call only (same-call.ts). The baseline solved another problem (MHA's), paired with ours by
// the decode shape (mla-versus-mha.ts); our side is the fastest verified candidate of that call.
import type { Problem } from '../../core/results.ts';
import { isMeasuredOk } from './load.ts';
import { isMhaOf } from './mla-versus-mha.ts';
import { problemKey, type CallRow } from './same-call.ts';

export interface BaselineSpeedup {
  call: string;
  kernel: string;
  problem: Problem;
  /** The baseline's kernel (mha-decode) and problem. */
  baseline: string;
  baselineProblem: Problem;
  oursMs: number;
  baselineMs: number;
  /** Baseline time over ours: how many times faster ours is. */
  ratio: number;
}

type MeasuredRow = CallRow & { medianMs: number };

/** Baselines are paired by what the bench measured them for; only MHA beside MLA is such a pair today. */
const pairs = (ours: MeasuredRow, baseline: MeasuredRow): boolean =>
  ours.kernel === 'mla-decode' && baseline.kernel === 'mha-decode' && isMhaOf(ours.problem, baseline.problem);

export function baselineSpeedups(rows: readonly CallRow[]): BaselineSpeedup[] {
  const ok = rows.filter((r): r is MeasuredRow => isMeasuredOk(r));
  const baselines = ok.filter((r) => r.role === 'baseline' && typeof r.comparedWith === 'string' && r.config.library === undefined && r.config.implementation === undefined);
  const out = new Map<string, BaselineSpeedup>();
  for (const baseline of baselines) {
    const ours = ok
      .filter((r) => r.role === 'candidate' && r.call === baseline.call && r.kernel === baseline.comparedWith && pairs(r, baseline))
      .sort((a, b) => a.medianMs - b.medianMs)[0];
    if (!ours) continue;
    const key = `${baseline.call}\u0000${problemKey(ours.kernel, ours.problem)}\u0000${baseline.kernel}`;
    const known = out.get(key);
    // The baseline at its fastest in the call, as a peer is.
    if (known && known.baselineMs <= baseline.medianMs) continue;
    out.set(key, {
      call: baseline.call, kernel: ours.kernel, problem: ours.problem, baseline: baseline.kernel, baselineProblem: baseline.problem,
      oursMs: ours.medianMs, baselineMs: baseline.medianMs, ratio: baseline.medianMs / ours.medianMs,
    });
  }
  return [...out.values()];
}
