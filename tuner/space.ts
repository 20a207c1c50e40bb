// Enumerating a config space: the cartesian product of the parameter values (in declaration
// order, so results are stable), each config checked against the named constraints, and
// narrowing by --param overrides.
import { message, UsageError } from '../core/errors.ts';
import type { Space } from '../kernels/types.ts';

export interface SearchSpace<C extends object> {
  readonly space: Space<C>;
  /** Every config of the product, valid or not. */
  readonly all: readonly C[];
  /** Names of the constraints a config breaks (empty when valid). */
  violations(config: C): string[];
}

export function product<C extends object>(params: Space<C>['params']): C[] {
  let configs: Record<string, unknown>[] = [{}];
  for (const [name, values] of Object.entries(params) as [string, readonly unknown[]][]) {
    configs = configs.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })));
  }
  return configs as C[];
}

export function searchSpace<C extends object>(space: Space<C>): SearchSpace<C> {
  return {
    space,
    all: space.configs ?? product(space.params),
    violations: (config) => space.constraints.filter((c) => !c.ok(config)).map((c) => c.name),
  };
}

/** The why of each broken constraint, for the error text of an invalid row. */
export function explainViolations<C extends object>(space: Space<C>, config: C): string {
  return space.constraints
    .filter((c) => !c.ok(config))
    .map((c) => `${c.name}: ${c.why}`)
    .join('; ');
}

/** Parses `NAME=v1,v2` entries into per-parameter value lists. */
export function parseParamOverrides(entries: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of entries) {
    const match = /^(\w+)=(.+)$/.exec(entry);
    if (!match) throw new UsageError(message.badParam(entry));
    out[match[1]] = match[2].split(',').map((v) => v.trim());
  }
  return out;
}

/** Restricts each named parameter to the given values, each of which must be in the space. */
export function narrow<C extends object>(kernel: string, space: Space<C>, overrides: Readonly<Record<string, readonly string[]>>): Space<C> {
  const params = { ...space.params } as Record<string, readonly unknown[]>;
  if (space.configs) {
    // A listed space: the configs whose named fields take one of the given values.
    for (const [name, values] of Object.entries(overrides)) {
      if (!params[name]) throw new UsageError(message.unknownParam(kernel, name, Object.keys(params)));
      for (const text of values) if (!params[name].some((v) => String(v) === text)) throw new UsageError(message.badParamValue(name, text, params[name]));
    }
    const configs = space.configs.filter((c) => Object.entries(overrides).every(([name, values]) => values.includes(String((c as Record<string, unknown>)[name]))));
    return { params: space.params, constraints: space.constraints, configs };
  }
  for (const [name, values] of Object.entries(overrides)) {
    const allowed = params[name];
    if (!allowed) throw new UsageError(message.unknownParam(kernel, name, Object.keys(params)));
    params[name] = values.map((text) => {
      const found = allowed.find((v) => String(v) === text);
      if (found === undefined) throw new UsageError(message.badParamValue(name, text, allowed));
      return found;
    });
  }
  return { params: params as Space<C>['params'], constraints: space.constraints };
}

/** A complete config from `NAME=value,...` text: every parameter named once, each value in the space. */
export function configFromText<C extends object>(kernel: string, space: Space<C>, text: string): C {
  const entries = parseParamOverrides(text.split(',').map((e) => e.trim()).filter(Boolean).map((e) => e));
  if (space.configs) {
    // A listed space: the one config that the named values pick out.
    const matches = narrow(kernel, space, entries).configs ?? [];
    if (matches.length !== 1) throw new UsageError(message.incompleteConfig(Object.keys(space.params).filter((n) => !(n in entries)).join(', '), text));
    return matches[0];
  }
  const chosen = narrow(kernel, space, entries).params as Record<string, readonly unknown[]>;
  const config: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(chosen)) {
    if (!(name in entries) || values.length !== 1) throw new UsageError(message.incompleteConfig(name, text));
    config[name] = values[0];
  }
  return config as C;
}
