// A strategy decides which configs to evaluate and in what order; it never knows how a config is
// compiled or run (STYLE.md, habit 2). Options are typed, described and defaulted.
import type { ResultRow } from '../../core/results.ts';
import type { SearchSpace } from '../space.ts';

export interface StrategyOptions {
  /** Most configs to measure (invalid configs cost nothing and do not count). */
  budget: number;
  /** Seed of any random choice. */
  seed: number;
  /**
   * An analytic estimate of a config's time (model units; lower is faster) made before any
   * measurement, where the family has a model for this target: model-guided strategies start from it.
   */
  prior?: (config: object) => number;
}

export const STRATEGY_OPTIONS: { readonly [K in keyof StrategyOptions]: { description: string; default: StrategyOptions[K] } } = {
  budget: { description: 'most configs to measure', default: Infinity },
  seed: { description: 'seed of random choices', default: 1 },
  prior: { description: 'analytic time estimate per config (from the family model)', default: undefined },
};

export type Evaluate<C> = (config: C) => Promise<ResultRow>;

export interface Strategy {
  name: string;
  description: string;
  tune<C extends object>(space: SearchSpace<C>, evaluate: Evaluate<C>, options: StrategyOptions): Promise<void>;
  /**
   * The configs tune() asks for, in order, when they do not depend on what is measured (exhaustive,
   * random): a sharded sweep splits this list (tuner/shard.ts) so the shards' rows merge into exactly
   * the unsharded sweep's.
   */
  plan?<C extends object>(space: SearchSpace<C>, options: StrategyOptions): C[];
}
