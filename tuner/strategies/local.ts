// First-improvement hill climbing with random restarts: from a random valid config, try neighbours
// (one parameter moved to an adjacent value) in random order and move to the first that is faster;
// at a local optimum, restart from a random unseen config. Tile parameters are ordered and their
// effect is mostly smooth, so this finds near-best configs in a fraction of an exhaustive sweep.
import { stableStringify } from '../../core/hash.ts';
import { createRng, shuffled } from '../../core/rng.ts';
import type { Strategy } from './types.ts';

export const local: Strategy = {
  name: 'local',
  description: 'hill climbing over neighbouring configs with random restarts (--budget measurements)',
  async tune(space, evaluate, { budget, seed }) {
    type C = (typeof space.all)[number];
    const rng = createRng(seed);
    const params = space.space.params as Record<string, readonly unknown[]>;
    const valid = new Map(space.all.filter((c) => space.violations(c).length === 0).map((c) => [stableStringify(c), c]));
    const times = new Map<string, number>();
    const measure = async (config: C): Promise<number> => {
      const key = stableStringify(config);
      if (!times.has(key)) {
        const row = await evaluate(config);
        times.set(key, row.status === 'ok' && row.medianMs !== undefined ? row.medianMs : Infinity);
      }
      return times.get(key)!;
    };
    const neighbours = (config: C): C[] =>
      Object.entries(params).flatMap(([name, values]) => {
        const at = values.indexOf((config as Record<string, unknown>)[name]);
        return [at - 1, at + 1]
          .filter((i) => i >= 0 && i < values.length)
          .map((i) => valid.get(stableStringify({ ...config, [name]: values[i] })))
          .filter((c): c is C => c !== undefined);
      });
    const restarts = shuffled([...valid.values()], rng);
    while (times.size < Math.min(budget, valid.size)) {
      let current = restarts.find((c) => !times.has(stableStringify(c)));
      if (!current) return;
      let best = await measure(current);
      let improved = true;
      while (improved && times.size < budget) {
        improved = false;
        for (const next of shuffled(neighbours(current), rng)) {
          if (times.size >= budget) break;
          if (times.has(stableStringify(next))) continue;
          const t = await measure(next);
          if (t < best) {
            [current, best, improved] = [next, t, true];
            break;
          }
        }
      }
    }
  },
};
