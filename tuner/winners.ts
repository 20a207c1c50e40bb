// Stable winners: the top few configs of a sweep are measured again, back to back, and the winner is
// chosen on those samples. Configs whose re-measured samples a two-sided Mann-Whitney U test cannot
// tell apart from the fastest one's are tied with it; among the tied, the one with the smallest
// spread wins, so that two tunings of one problem pick the same kernel instead of whichever config
// a noisy sample favoured (the fastest median among ties is a coin toss; the steadiest is not).
import type { Config, ResultRow } from '../core/results.ts';
import { mannWhitneyU } from '../core/stats/mann-whitney.ts';

export interface StableOptions {
  /** How many of the fastest configs are measured again (1 or fewer: no re-measurement). */
  top: number;
  /** Significance level below which a config is slower than the fastest, not tied with it. */
  alpha: number;
}

export const STABLE_OPTIONS: { readonly [K in keyof StableOptions]: { description: string; default: StableOptions[K] } } = {
  top: { description: 'fastest configs measured again to choose among', default: 3 },
  alpha: { description: 'Mann-Whitney U significance level of a difference from the fastest', default: 0.05 },
};

/** One re-measured config, judged against the fastest re-measured one. */
export interface Contender {
  config: Config;
  medianMs: number;
  /** (p90 - p10) / median of the re-measured samples. */
  spread: number;
  /** Two-sided p-value against the fastest contender's samples (1 for the fastest itself). */
  pValue: number;
  tiedWithBest: boolean;
  chosen: boolean;
}

const quantile = (sorted: readonly number[], q: number): number => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
};

export function spreadOf(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  return median > 0 ? (quantile(sorted, 0.9) - quantile(sorted, 0.1)) / median : Infinity;
}

/**
 * Judges re-measured rows (ok, with samples; others are dropped): the fastest median is the best,
 * ties are marked, and the tied row of least spread is chosen (then the faster, then the first).
 */
export function judgeContenders(rows: readonly ResultRow[], alpha: number): Contender[] {
  const measured = rows.filter((r) => r.status === 'ok' && (r.samplesMs?.length ?? 0) > 0 && r.medianMs !== undefined);
  if (measured.length === 0) return [];
  const best = measured.reduce((a, b) => (b.medianMs! < a.medianMs! ? b : a));
  const contenders = measured.map((row): Contender => {
    const pValue = row === best ? 1 : mannWhitneyU(best.samplesMs!, row.samplesMs!).pValue;
    return { config: row.config, medianMs: row.medianMs!, spread: spreadOf(row.samplesMs!), pValue, tiedWithBest: pValue >= alpha, chosen: false };
  });
  const steadiest = contenders
    .filter((c) => c.tiedWithBest)
    .reduce((a, b) => (b.spread < a.spread || (b.spread === a.spread && b.medianMs < a.medianMs) ? b : a));
  steadiest.chosen = true;
  return contenders;
}
