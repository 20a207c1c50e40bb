// A seeded random sample of the valid configs, `budget` of them.
import { createRng, shuffled } from '../../core/rng.ts';
import type { Strategy } from './types.ts';

export const random: Strategy = {
  name: 'random',
  description: 'a seeded random sample of the valid configs (--budget of them)',
  async tune(space, evaluate, { budget, seed }) {
    const valid = space.all.filter((config) => space.violations(config).length === 0);
    for (const config of shuffled(valid, createRng(seed)).slice(0, budget)) await evaluate(config);
  },
};
