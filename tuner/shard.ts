// Sharded sweeps (`--shard i/n`): n processes (a CI matrix, a Slurm array, Kubernetes indexed jobs)
// each evaluate a disjoint part of what one sweep would, and `tilesweep merge` joins their files.
// A strategy that knows its configs before measuring any (exhaustive, random: a `plan`) is split by
// position in that plan, so the merged rows are exactly the unsharded sweep's. An adaptive strategy
// (local, anneal, model) chooses from what it measured, which no shard can know of another; it is
// split by the space instead: shard i searches the configs whose content hash falls in part i, with
// its share of the budget, so the shards never measure a config twice and together cover the space.
import { message, UsageError } from '../core/errors.ts';
import { contentKey } from '../core/hash.ts';
import type { SearchSpace } from './space.ts';

/** Shard `index` (1-based, as `--shard 1/2` and `2/2` read) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new UsageError(message.badShard(text));
  return { index, count };
}

/** The entries of a plan at positions index-1, index-1+count, ... */
export const planShard = <C>(plan: readonly C[], shard: Shard): C[] => plan.filter((_, i) => i % shard.count === shard.index - 1);

/** Which part of the space a config falls in: a content hash, so every shard computes the same split. */
const partOf = (config: object, count: number): number => parseInt(contentKey(config, 8), 16) % count;

/** The configs of part `index`; the others are out of this shard's space altogether. */
export function spaceShard<C extends object>(search: SearchSpace<C>, shard: Shard): SearchSpace<C> {
  return { ...search, all: search.all.filter((c) => partOf(c, shard.count) === shard.index - 1) };
}

/** An adaptive strategy's share of the budget: the shards' shares add up to the whole. */
export const budgetShare = (budget: number, shard: Shard): number =>
  Number.isFinite(budget) ? Math.floor(budget / shard.count) + (shard.index - 1 < budget % shard.count ? 1 : 0) : budget;
