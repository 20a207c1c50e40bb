// The content-keyed result cache: one append-only JSON-lines file per device fingerprint, every
// line carrying its own checksum. A sweep killed mid-write leaves at most one torn line, which
// loading skips; rows already appended survive any kill, so a re-run measures only what is missing.
// Sweeps running at once on one cache append to the same file; a miss reads what others appended
// since, so each sees the rows the others finished.
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { message, UsageError } from '../core/errors.ts';
import { sha256 } from '../core/hash.ts';
import { ioReason } from '../core/io-reason.ts';
import type { ResultRow, RunStatus } from '../core/results.ts';

/** Statuses that say something about the code, not the moment: those are kept. */
const DURABLE: ReadonlySet<RunStatus> = new Set(['ok', 'mismatch', 'compile-error']);

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tilesweep');
}

const checksum = (json: string): string => sha256(json).slice(0, 16);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The entry of one line, or undefined for a line to skip: torn, corrupted (checksum), or written
 * with a valid checksum but not an entry (another version's format, a hand edit).
 */
function parseLine(line: string): { key: string; row: ResultRow } | undefined {
  const space = line.indexOf(' ');
  const json = line.slice(space + 1);
  if (space !== 16 || checksum(json) !== line.slice(0, 16)) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(entry) || typeof entry.key !== 'string' || !isRecord(entry.row)) return undefined;
  const row = entry.row;
  if (typeof row.kernel !== 'string' || typeof row.status !== 'string' || !isRecord(row.config) || !isRecord(row.problem)) return undefined;
  return { key: entry.key, row: row as unknown as ResultRow };
}

export class ResultCache {
  private readonly rows = new Map<string, ResultRow>();
  readonly path: string;
  /** Lines skipped on load because they were torn, corrupted or malformed. */
  skipped = 0;
  /** Bytes of the file read so far, up to the end of its last whole line: what lies past it was appended since. */
  private readUpTo = 0;

  constructor(dir: string, fingerprint: string) {
    this.path = join(dir, `results-${fingerprint}.jsonl`);
    // A kill mid-append leaves a line without its newline; end it, so the next append starts clean
    // (the ended line fails its checksum and is skipped).
    if (this.readNew()) {
      this.append('\n');
      this.readNew();
    }
  }

  get size(): number {
    return this.rows.size;
  }

  get(key: string): ResultRow | undefined {
    const row = this.rows.get(key);
    if (row !== undefined) return row;
    this.readNew();
    return this.rows.get(key);
  }

  /** Appends the row if its status is durable; transient failures (timeouts, lost devices) are retried next time. */
  put(key: string, row: ResultRow): void {
    if (!DURABLE.has(row.status)) return;
    this.rows.set(key, row);
    const json = JSON.stringify({ key, row });
    this.append(`${checksum(json)} ${json}\n`);
  }

  private append(text: string): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, text);
    } catch (error) {
      throw new UsageError(message.cannotWrite('--cache', this.path, ioReason(error)));
    }
  }

  /**
   * Reads the whole lines appended since the last read; true when the file ends inside a line (a
   * line another sweep is appending now, or one a kill tore), which is read again next time.
   */
  private readNew(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new UsageError(message.unreadable(this.path, ioReason(error)));
    }
    let bytes: Buffer;
    try {
      const size = fstatSync(fd).size;
      if (size <= this.readUpTo) return false;
      bytes = Buffer.alloc(size - this.readUpTo);
      bytes = bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, this.readUpTo));
    } catch (error) {
      throw new UsageError(message.unreadable(this.path, ioReason(error)));
    } finally {
      closeSync(fd);
    }
    const whole = bytes.lastIndexOf(0x0a) + 1;
    this.readUpTo += whole;
    for (const line of bytes.subarray(0, whole).toString('utf8').split('\n')) {
      if (line === '') continue;
      const entry = parseLine(line);
      if (entry) this.rows.set(entry.key, entry.row);
      else this.skipped++;
    }
    return whole < bytes.length;
  }
}
