// The decision rule for one measured pair. A pair is "slower" only when two things hold: the
// Mann-Whitney U test finds the current samples differ (p < alpha), AND the median ratio is past
// the threshold (default 5%). The test alone would flag real but tiny differences once there are
// many samples; the threshold alone would flag noise when there are few. When the ratio is past the
// threshold but the test cannot confirm it, the pair is "ambiguous" (worth a --rerun); when the
// ratio is within the threshold the pair is "same", whatever p says: a real 1% change is not what
// a gate is for. Faster mirrors slower with 1 / (1 + threshold).
//
// With 3% noise and 10 samples a side this gives <= 1% false alarms on A/A pairs and catches a 10%
// regression >= 95% of the time: test/reports/gate/simulation.test.ts checks both.
import { mannWhitneyU } from '../../core/stats/mann-whitney.ts';
import { median } from './samples.ts';
import type { PairLabel, PairStatistics } from './types.ts';

export interface DecisionRule {
  thresholdPct: number;
  alpha: number;
  minSamples: number;
}

export interface Decision {
  label: PairLabel;
  reason: string;
  statistics: PairStatistics;
}

const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;

/** Decides from what is compared on each side: raw ms, or multiples of the run's reference. */
export function decide(baseline: readonly number[], current: readonly number[], rule: DecisionRule): Decision {
  const ratio = median(current) / median(baseline);
  const upper = 1 + rule.thresholdPct / 100;
  const lower = 1 / upper;
  const beyond = ratio > upper || ratio < lower;
  const direction = ratio > 1 ? 'slower' : 'faster';
  if (baseline.length < rule.minSamples || current.length < rule.minSamples) {
    return {
      label: 'ambiguous',
      reason: `${pct(ratio)} from ${baseline.length} vs ${current.length} samples; the test needs ${rule.minSamples} a side`,
      statistics: { ratio },
    };
  }
  const test = mannWhitneyU(baseline, current);
  const statistics: PairStatistics = { ratio, pValue: test.pValue, method: test.method, u: test.u };
  const significant = test.pValue < rule.alpha;
  const p = `p=${formatP(test.pValue)}`;
  if (!beyond) {
    const why = significant ? 'a real difference, but' : 'no significant difference,';
    return { label: 'same', reason: `${why} ${pct(ratio)} is within ${rule.thresholdPct}% (${p})`, statistics };
  }
  if (!significant) {
    return {
      label: 'ambiguous',
      reason: `${pct(ratio)} is past ${rule.thresholdPct}% but not significant (${p} >= ${rule.alpha})`,
      statistics,
    };
  }
  return { label: direction, reason: `${pct(ratio)}, past ${rule.thresholdPct}% (${p})`, statistics };
}

export function formatP(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}
