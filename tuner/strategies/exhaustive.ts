// Every config of the space in order; invalid ones become rows too, valid ones count to the budget.
import type { Strategy, StrategyOptions } from './types.ts';
import type { SearchSpace } from '../space.ts';

function plan<C extends object>(space: SearchSpace<C>, { budget }: StrategyOptions): C[] {
  const out: C[] = [];
  let valid = 0;
  for (const config of space.all) {
    if (valid >= budget) break;
    out.push(config);
    if (space.violations(config).length === 0) valid++;
  }
  return out;
}

export const exhaustive: Strategy = {
  name: 'exhaustive',
  description: 'every config of the space, in order (invalid ones recorded as such)',
  plan,
  async tune(space, evaluate, options) {
    for (const config of plan(space, options)) await evaluate(config);
  },
};
