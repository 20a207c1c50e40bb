// Strategies by name: the one list the CLI and the sweep look them up in.
import { message, UsageError } from '../../core/errors.ts';
import { anneal } from './anneal.ts';
import { exhaustive } from './exhaustive.ts';
import { local } from './local.ts';
import { model } from './model.ts';
import { random } from './random.ts';
import type { Strategy } from './types.ts';

export const strategies: Readonly<Record<string, Strategy>> = {
  [exhaustive.name]: exhaustive,
  [random.name]: random,
  [local.name]: local,
  [anneal.name]: anneal,
  [model.name]: model,
};

export function strategyByName(name: string): Strategy {
  const strategy = strategies[name];
  if (!strategy) throw new UsageError(message.unknownStrategy(name, Object.keys(strategies)));
  return strategy;
}
