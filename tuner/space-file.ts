// `--space` as typed: a space name, else a JSON file of configs read from disk before any device
// opens. Apart from tuner/spaces.ts so that resolving a space needs no file system (a browser).
import { readFileSync, statSync } from 'node:fs';
import { message, UsageError } from '../core/errors.ts';
import { SPACE_NAMES, type SpaceChoice, type SpaceName } from './spaces.ts';

/** `--space` text: a name, else a JSON file holding a list of configs (or `{ "configs": [...] }`). */
export function parseSpaceChoice(text: string): SpaceChoice {
  if ((SPACE_NAMES as readonly string[]).includes(text)) return { kind: 'named', name: text as SpaceName };
  let body: string;
  try {
    if (!statSync(text).isFile()) throw new UsageError(message.badSpaceFile(text, `not a file (expected ${SPACE_NAMES.join(', ')} or a JSON file of configs)`));
    body = readFileSync(text, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(message.badSpaceFile(text, code === 'ENOENT' ? `no such space or file (expected ${SPACE_NAMES.join(', ')} or a JSON file of configs)` : `unreadable (${code})`));
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new UsageError(message.badSpaceFile(text, 'not valid JSON'));
  }
  const list = Array.isArray(value) ? value : (value as { configs?: unknown })?.configs;
  if (!Array.isArray(list) || list.length === 0) throw new UsageError(message.badSpaceFile(text, 'expected a non-empty JSON list of configs, or { "configs": [...] }'));
  list.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UsageError(message.badSpaceFile(text, `entry ${i} is not a config object`));
  });
  return { kind: 'file', path: text, configs: list as Record<string, unknown>[] };
}
