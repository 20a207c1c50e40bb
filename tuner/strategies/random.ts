// A seeded random sample of the valid configs, `budget` of them.
import { createRng, shuffled } from '../../core/rng.ts';
import type { SearchSpace } from '../space.ts';
import type { Strategy, StrategyOptions } from './types.ts';

function plan<C extends object>(space: SearchSpace<C>, { budget, seed }: StrategyOptions): C[] {
  const valid = space.all.filter((config) => space.violations(config).length === 0);
  return shuffled(valid, createRng(seed)).slice(0, budget);
}

export const random: Strategy = {
  name: 'random',
  description: 'a seeded random sample of the valid configs (--budget of them)',
  plan,
  async tune(space, evaluate, options) {
    for (const config of plan(space, options)) await evaluate(config);
  },
};
