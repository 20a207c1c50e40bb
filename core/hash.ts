// Content keys: a stable JSON encoding (object keys sorted) hashed with SHA-256, so the same
// (device, source, flags, problem, config) always names the same cache entry.
import { sha256Hex } from './sha256.ts';

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return sha256Hex(text);
}

/** A short content hash of any JSON-able value. */
export function contentKey(value: unknown, length = 24): string {
  return sha256(stableStringify(value)).slice(0, length);
}
