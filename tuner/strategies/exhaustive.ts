// Every config of the space in order; invalid ones become rows too, measured ones count to the budget.
import type { Strategy } from './types.ts';

export const exhaustive: Strategy = {
  name: 'exhaustive',
  description: 'every config of the space, in order (invalid ones recorded as such)',
  async tune(space, evaluate, { budget }) {
    let measured = 0;
    for (const config of space.all) {
      if (measured >= budget) return;
      const row = await evaluate(config);
      if (row.status !== 'invalid') measured++;
    }
  },
};
