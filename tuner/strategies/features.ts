// Configs as points for the strategies that need a distance: every parameter of the space becomes
// coordinates in [0, 1], so that "one step" means the same for every parameter. An ordered (numeric)
// parameter is its rank among the space's values scaled to [0, 1] (BK 32, 64, 128 -> 0, 0.5, 1: tile
// sizes act on a log scale, and the values are already powers of two); any other value (strings,
// booleans, a parameter a config leaves out) is one-hot, each coordinate 1/sqrt(2), so that two
// different categories are exactly 1 apart, as the ends of an ordered range are.
import { stableStringify } from '../../core/hash.ts';
import type { SearchSpace } from '../space.ts';

export type Encode = (config: object) => number[];

const ABSENT = '(absent)';

export function encoder<C extends object>(space: SearchSpace<C>): Encode {
  const params = Object.entries(space.space.params as Record<string, readonly unknown[]>);
  const parts = params.map(([name, values]) => {
    const ordered = values.length > 1 && values.every((v) => typeof v === 'number');
    const optional = space.all.some((c) => !(name in c));
    if (ordered && !optional) {
      const sorted = [...(values as number[])].sort((a, b) => a - b);
      return { width: 1, put: (out: number[], at: number, v: unknown) => void (out[at] = sorted.indexOf(v as number) / (sorted.length - 1)) };
    }
    const categories = [...values.map((v) => stableStringify(v)), ...(optional ? [ABSENT] : [])];
    return {
      width: categories.length,
      put: (out: number[], at: number, v: unknown) => {
        const i = categories.indexOf(v === undefined ? ABSENT : stableStringify(v));
        if (i >= 0) out[at + i] = Math.SQRT1_2;
      },
    };
  });
  const width = parts.reduce((sum, p) => sum + p.width, 0);
  return (config) => {
    const out = new Array<number>(width).fill(0);
    let at = 0;
    params.forEach(([name], i) => {
      parts[i].put(out, at, (config as Record<string, unknown>)[name]);
      at += parts[i].width;
    });
    return out;
  };
}

/**
 * Valid configs that differ from each other in exactly one parameter, whatever its value: the moves
 * of annealing. In a product space these are the configs one parameter away; in a list space (a
 * recording) the ones the list holds.
 */
export function oneParameterMoves<C extends object>(valid: readonly C[]): (config: C) => C[] {
  const groups = new Map<string, C[]>();
  const keysOf = (config: C): string[] => {
    const entries = Object.entries(config);
    return entries.map(([name]) => `${name}|${stableStringify({ ...config, [name]: undefined })}`);
  };
  for (const config of valid) {
    for (const key of keysOf(config)) groups.set(key, [...(groups.get(key) ?? []), config]);
  }
  return (config) => {
    const seen = new Set<C>([config]);
    const out: C[] = [];
    for (const key of keysOf(config)) {
      for (const other of groups.get(key) ?? []) {
        if (!seen.has(other)) {
          seen.add(other);
          out.push(other);
        }
      }
    }
    return out;
  };
}
