// Simulated annealing over one-parameter moves: from the analytic model's best config (a random valid
// one when the family's target has no model), try a random unmeasured config one parameter away; a
// faster one is always taken, a slower one with probability exp(-ln(t_new / t_now) / T), where the
// temperature T falls geometrically from `initialTemperature` to `finalTemperature` over the budget.
// Early on it crosses the ridges (a slower tile shape on the way to a better one) that stop local
// search; at the end it only climbs. With every neighbour measured it jumps to a random unmeasured
// config. Times are compared as log ratios, so T means the same on a 1 us kernel as on a 10 ms one
// (T = 0.1: a 10% slower move is taken with probability 1/e).
import { stableStringify } from '../../core/hash.ts';
import { createRng, shuffled } from '../../core/rng.ts';
import { oneParameterMoves } from './features.ts';
import type { Strategy } from './types.ts';

export interface AnnealOptions {
  initialTemperature: number;
  finalTemperature: number;
}

export const ANNEAL_OPTIONS: { readonly [K in keyof AnnealOptions]: { description: string; default: AnnealOptions[K] } } = {
  initialTemperature: { description: 'log-time slowdown taken with probability 1/e at the start', default: 0.2 },
  finalTemperature: { description: 'the same at the end of the budget', default: 0.01 },
};

const defaults: AnnealOptions = { initialTemperature: ANNEAL_OPTIONS.initialTemperature.default, finalTemperature: ANNEAL_OPTIONS.finalTemperature.default };

/** The strategy with other options (tests and the replay benchmark compare schedules). */
export function annealWith(options: Partial<AnnealOptions> = {}): Strategy {
  const { initialTemperature, finalTemperature } = { ...defaults, ...options };
  return {
    name: 'anneal',
    description: 'simulated annealing over one-parameter moves, geometric cooling over the budget (--budget measurements)',
    async tune(space, evaluate, { budget, seed, prior }) {
      type C = (typeof space.all)[number];
      const rng = createRng(seed);
      const valid = space.all.filter((c) => space.violations(c).length === 0);
      const limit = Math.min(budget, valid.length);
      const moves = oneParameterMoves(valid);
      const times = new Map<string, number>();
      const measure = async (config: C): Promise<number> => {
        const row = await evaluate(config);
        const t = row.status === 'ok' && row.medianMs !== undefined && row.medianMs > 0 ? row.medianMs : Infinity;
        times.set(stableStringify(config), t);
        return t;
      };
      const unmeasured = (configs: readonly C[]) => configs.filter((c) => !times.has(stableStringify(c)));
      const pick = (configs: readonly C[]) => configs[rng.int(configs.length)];
      if (limit === 0) return;
      // The walk starts where the analytic model (when the family has one) expects the fastest config, else anywhere.
      const start = shuffled(valid, rng);
      let current = prior ? start.reduce((a, b) => (prior(b) < prior(a) ? b : a)) : start[0];
      let now = await measure(current);
      while (times.size < limit) {
        const temperature = initialTemperature * (finalTemperature / initialTemperature) ** (times.size / limit);
        const near = unmeasured(moves(current));
        const next = near.length > 0 ? pick(near) : pick(unmeasured(valid));
        const t = await measure(next);
        const slowdown = Math.log(t / now);
        // A jump (no neighbour left) is always taken: the walk goes on from new ground.
        if (near.length === 0 || !Number.isFinite(now) || slowdown <= 0 || (Number.isFinite(t) && rng.next() < Math.exp(-slowdown / temperature))) {
          [current, now] = [next, t];
        }
      }
    },
  };
}

export const anneal: Strategy = annealWith();
