// What identifies a measurement in the result cache, apart from the cache's file (tuner/cache.ts), so
// the sweep loop names its rows the same way where no file system exists (a browser).
import { contentKey, sha256 } from '../core/hash.ts';

export interface CacheKeyParts {
  fingerprint: string;
  kernel: string;
  language: string;
  code: string;
  flags: readonly string[];
  problem: object;
  config: object;
  /** Seed of the workload the row was verified on. */
  seed: number;
}

/** What identifies a measurement: device, source text, flags, problem, config and input seed. */
export const cacheKey = (parts: CacheKeyParts): string => contentKey({ ...parts, code: sha256(parts.code) }, 32);
