// Named spaces (ARCHITECTURE.md): `default` (every valid config of the target), `candidates` (the
// short list the target generates from the problem and the device), `full` (past what CI compiles),
// or a JSON file of configs (read by tuner/space-file.ts). Each resolves to the SearchSpace that
// strategies walk, so every strategy, the cache and --param work on each of them alike.
import type { Capabilities } from '../core/capabilities.ts';
import { message, UsageError } from '../core/errors.ts';
import { stableStringify } from '../core/hash.ts';
import type { AnyKernelFamily, AnyTarget, Space, TargetLanguage } from '../kernels/types.ts';
import { narrow, searchSpace, type SearchSpace } from './space.ts';

export const SPACE_NAMES = ['default', 'candidates', 'full'] as const;
export type SpaceName = (typeof SPACE_NAMES)[number];

/** A named space, or the configs of a file (read and parsed before any device opens). */
export type SpaceChoice = { kind: 'named'; name: SpaceName } | { kind: 'file'; path: string; configs: readonly Record<string, unknown>[] };

/** The family's target in the language a backend runs; a UsageError when it has none. */
export function targetOf(family: AnyKernelFamily, language: TargetLanguage): AnyTarget {
  const target = family.targets[language];
  if (!target) throw new UsageError(message.noTarget(family.name, language, Object.keys(family.targets)));
  return target;
}

/**
 * A space over a fixed list: the list is `all`, the target's constraints judge each entry, and the
 * params are the values the list takes (for strategies that step between neighbouring values; a
 * neighbour outside the list does not exist).
 */
export function listSpace<C extends object>(configs: readonly C[], constraints: Space<C>['constraints']): SearchSpace<C> {
  const unique = [...new Map(configs.map((c) => [stableStringify(c), c])).values()];
  const params: Record<string, unknown[]> = {};
  for (const config of unique) {
    for (const [name, value] of Object.entries(config)) {
      const values = (params[name] ??= []);
      if (!values.some((v) => stableStringify(v) === stableStringify(value))) values.push(value);
    }
  }
  const space: Space<C> = { params: params as Space<C>['params'], constraints };
  return { space, all: unique, violations: (config) => constraints.filter((c) => !c.ok(config)).map((c) => c.name) };
}

/** Keeps the listed configs whose named parameters take one of the given values (--param on a list). */
function narrowList<C extends object>(kernel: string, configs: readonly C[], overrides: Readonly<Record<string, readonly string[]>>): C[] {
  return configs.filter((config) =>
    Object.entries(overrides).every(([name, values]) => {
      if (!configs.some((c) => name in c)) throw new UsageError(message.unknownParam(kernel, name, [...new Set(configs.flatMap((c) => Object.keys(c)))]));
      return values.includes(String((config as Record<string, unknown>)[name]));
    }));
}

export interface ResolveOptions {
  family: AnyKernelFamily;
  target: AnyTarget;
  problem: object;
  caps: Capabilities;
  choice?: SpaceChoice;
  params?: Readonly<Record<string, readonly string[]>>;
}

/** What can be checked of a space choice before a device opens: the target exists and has the list asked for. */
export function checkSpaceChoice(family: AnyKernelFamily, language: TargetLanguage | undefined, choice: SpaceChoice): void {
  if (language === undefined) return;
  const target = targetOf(family, language);
  if (choice.kind === 'named' && choice.name === 'candidates' && !target.candidates) throw new UsageError(message.noCandidates(family.name, language));
}

/** The SearchSpace a sweep walks for the chosen space. */
export function resolveSpace({ family, target, problem, caps, choice = { kind: 'named', name: 'default' }, params = {} }: ResolveOptions): SearchSpace<object> {
  const base: Space<object> = target.space(problem, caps);
  if (choice.kind === 'file') {
    const configs = choice.configs.map((c) => (target.parseConfig ? target.parseConfig(c) : c));
    return listSpace(narrowList(family.name, configs, params), base.constraints);
  }
  if (choice.name === 'candidates') {
    if (!target.candidates) throw new UsageError(message.noCandidates(family.name, Object.entries(family.targets).find(([, t]) => t === target)?.[0] ?? 'this backend'));
    return listSpace(narrowList(family.name, target.candidates(problem, caps), params), base.constraints);
  }
  const space = choice.name === 'full' && target.full ? target.full(problem, caps) : base;
  return searchSpace(narrow(family.name, space, params));
}
