// Content keys: a stable JSON encoding (object keys sorted) hashed with SHA-256, so the same
// (device, source, flags, problem, config) always names the same cache entry.
import { sha256Hex } from './sha256.ts';

/**
 * Node's own SHA-256 where there is one (15x faster: cache files checksum every line on load), looked
 * up at run time so that a browser bundle imports nothing of Node; elsewhere core/sha256.ts, which
 * gives the same digest (test/core/sha256.test.ts).
 */
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:crypto') as
  | typeof import('node:crypto')
  | undefined;

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return nodeCrypto ? nodeCrypto.createHash('sha256').update(text).digest('hex') : sha256Hex(text);
}

/** A short content hash of any JSON-able value. */
export function contentKey(value: unknown, length = 24): string {
  return sha256(stableStringify(value)).slice(0, length);
}
