// The content-keyed result cache: one append-only JSON-lines file per device fingerprint, every
// line carrying its own checksum. A sweep killed mid-write leaves at most one torn line, which
// loading skips; rows already appended survive any kill, so a re-run measures only what is missing.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../core/hash.ts';
import type { ResultRow, RunStatus } from '../core/results.ts';

/** Statuses that say something about the code, not the moment: those are kept. */
const DURABLE: ReadonlySet<RunStatus> = new Set(['ok', 'mismatch', 'compile-error']);

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tilesweep');
}

const checksum = (json: string): string => sha256(json).slice(0, 16);

export class ResultCache {
  private readonly rows = new Map<string, ResultRow>();
  readonly path: string;
  /** Lines skipped on load because they were torn or corrupted. */
  readonly skipped: number = 0;

  constructor(dir: string, fingerprint: string) {
    this.path = join(dir, `results-${fingerprint}.jsonl`);
    if (!existsSync(this.path)) return;
    let skipped = 0;
    const text = readFileSync(this.path, 'utf8');
    // A kill mid-append leaves a line without its newline; end it, so the next append starts clean.
    if (text !== '' && !text.endsWith('\n')) appendFileSync(this.path, '\n');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const space = line.indexOf(' ');
      const json = line.slice(space + 1);
      if (space !== 16 || checksum(json) !== line.slice(0, 16)) {
        skipped++;
        continue;
      }
      const entry = JSON.parse(json) as { key: string; row: ResultRow };
      this.rows.set(entry.key, entry.row);
    }
    this.skipped = skipped;
  }

  get size(): number {
    return this.rows.size;
  }

  get(key: string): ResultRow | undefined {
    return this.rows.get(key);
  }

  /** Appends the row if its status is durable; transient failures (timeouts, lost devices) are retried next time. */
  put(key: string, row: ResultRow): void {
    if (!DURABLE.has(row.status)) return;
    this.rows.set(key, row);
    const json = JSON.stringify({ key, row });
    mkdirSync(join(this.path, '..'), { recursive: true });
    appendFileSync(this.path, `${checksum(json)} ${json}\n`);
  }
}
