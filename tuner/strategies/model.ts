// Model-guided search: Bayesian optimization with a small Gaussian process whose mean is the family's
// analytic model (kernels/<family>/model), fitted to what has been measured.
//
// Why a GP and not TPE or a cost model driving an evolutionary search: our spaces are finite and
// small (tens of recorded candidates to a few thousand valid configs), a measurement costs seconds of
// GPU time while a GP over a few hundred points costs milliseconds, and the acquisition can be
// computed exactly over every unmeasured config instead of being searched for. TPE needs a few dozen
// points before its densities say anything, and an evolutionary search spends its budget on
// populations; a GP uses the analytic prior from the first measurement on: with log time modelled as
// a + b * log(estimate) plus a GP residual, the first pick is the model's best config, and each
// measurement corrects the model where it is wrong (the residual) and how far it is trusted (a, b).
// Without a model for the target the mean is a constant and it is plain GP-EI.
import { stableStringify } from '../../core/hash.ts';
import { createRng, shuffled } from '../../core/rng.ts';
import { encoder } from './features.ts';
import { expectedImprovement, fitGp } from './gp.ts';
import type { Strategy } from './types.ts';

export interface ModelOptions {
  /**
   * Random configs measured after the prior's best before the GP chooses. None by default: the GP's
   * variance already sends it away from the prior's best where the prior is unsure, and on the
   * recorded sweeps (bench/replay-strategies.ts) 0 reached within 2% of the best sooner than 1 or 2.
   * Without a prior the search starts from one random config either way.
   */
  initialRandom: number;
  /** Length scales the GP picks from by marginal likelihood (a whole parameter range is 1). */
  lengthScales: readonly number[];
  /** Noise variance of a measurement on log time. */
  noise: number;
  /** Most unmeasured configs scored per step: the prior's best half, a seeded random half. */
  pool: number;
}

export const MODEL_OPTIONS: { readonly [K in keyof ModelOptions]: { description: string; default: ModelOptions[K] } } = {
  initialRandom: { description: 'random configs measured before the GP chooses', default: 0 },
  lengthScales: { description: 'GP length scales tried (a parameter range is 1)', default: [0.25, 0.5, 1] },
  noise: { description: 'measurement noise variance of log time (3% spread)', default: 0.03 ** 2 },
  pool: { description: 'unmeasured configs scored per step at most', default: 2000 },
};

const defaults = Object.fromEntries(Object.entries(MODEL_OPTIONS).map(([k, v]) => [k, v.default])) as unknown as ModelOptions;

/** Least squares y = a + b p; b held to [0.25, 2] (the prior is trusted to order configs, not blindly), 1 with under 3 points. */
function fitMean(ps: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const n = ys.length;
  const mp = ps.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  const sxx = ps.reduce((s, v) => s + (v - mp) ** 2, 0);
  const sxy = ps.reduce((s, v, i) => s + (v - mp) * (ys[i] - my), 0);
  const b = n >= 3 && sxx > 1e-12 ? Math.min(2, Math.max(0.25, sxy / sxx)) : 1;
  return { a: my - b * mp, b };
}

export function modelWith(options: Partial<ModelOptions> = {}): Strategy {
  const o = { ...defaults, ...options };
  return {
    name: 'model',
    description: 'Bayesian optimization: a GP over configs whose mean is the analytic model, expected improvement (--budget measurements)',
    async tune(space, evaluate, { budget, seed, prior }) {
      type C = (typeof space.all)[number];
      const rng = createRng(seed);
      const valid = space.all.filter((c) => space.violations(c).length === 0);
      const limit = Math.min(budget, valid.length);
      const encode = encoder(space);
      // Log of the prior's estimate; a config it cannot estimate (Infinity, NaN) ranks just behind its worst estimate.
      const estimates = valid.map((c) => (prior ? Math.log(prior(c)) : 0));
      const finiteEstimates = estimates.filter(Number.isFinite);
      const unknown = finiteEstimates.length > 0 ? Math.max(...finiteEstimates) + Math.LN2 : 0;
      const priorLog = new Map<C, number>(valid.map((c, i) => [c, Number.isFinite(estimates[i]) ? estimates[i] : unknown]));
      const seen = new Map<string, { config: C; x: number[]; y: number }>();
      const measure = async (config: C): Promise<void> => {
        const row = await evaluate(config);
        const ok = row.status === 'ok' && row.medianMs !== undefined && row.medianMs > 0;
        seen.set(stableStringify(config), { config, x: encode(config), y: ok ? Math.log(row.medianMs!) : NaN });
      };
      const unmeasured = (configs: readonly C[]) => configs.filter((c) => !seen.has(stableStringify(c)));
      const shuffledValid = shuffled(valid, rng);
      // The prior's order; configs it cannot tell apart (the CUDA model sees only the tile) in the seeded order.
      const byPrior = prior ? [...shuffledValid].sort((a, b) => priorLog.get(a)! - priorLog.get(b)!) : [];
      const start = [...(prior ? byPrior.slice(0, 1) : []), ...shuffledValid.slice(0, o.initialRandom + (prior ? 0 : 1))];
      for (const config of start) if (seen.size < limit && !seen.has(stableStringify(config))) await measure(config);
      while (seen.size < limit) {
        const points = [...seen.values()];
        const finite = points.filter((p) => Number.isFinite(p.y));
        // A failed config counts as twice the slowest measured one: the GP learns to stay away from it.
        const worst = finite.length > 0 ? Math.max(...finite.map((p) => p.y)) + Math.LN2 : 0;
        const ys = points.map((p) => (Number.isFinite(p.y) ? p.y : worst));
        const { a, b } = fitMean(points.map((p) => priorLog.get(p.config)!), ys);
        const meanOf = (c: C) => a + b * priorLog.get(c)!;
        const gp = fitGp(points.map((p) => p.x), ys.map((y, i) => y - meanOf(points[i].config)), { lengthScales: o.lengthScales, noise: o.noise });
        const incumbent = Math.min(...ys);
        const left = unmeasured(prior ? byPrior : shuffledValid);
        const pool = left.length <= o.pool ? left : [...left.slice(0, o.pool / 2), ...shuffled(left.slice(o.pool / 2), rng).slice(0, o.pool / 2)];
        let next = pool[0];
        let bestScore = -Infinity;
        for (const config of pool) {
          const { mean, sd } = gp.predict(encode(config));
          const score = expectedImprovement(meanOf(config) + mean, sd, incumbent);
          if (score > bestScore) [next, bestScore] = [config, score];
        }
        await measure(next);
      }
    },
  };
}

export const model: Strategy = modelWith();
