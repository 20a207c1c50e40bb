// Reading and writing results files: written atomically (temp then rename) so an interrupted sweep
// never leaves a half file; read with schema validation, failing with a one-line UsageError. A file
// named *.br is read brotli-compressed (how results/ keeps old runs small).
import { readFileSync, statSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { writeFileAtomic } from './atomic-file.ts';
import { message, UsageError } from './errors.ts';
import { ioReason } from './io-reason.ts';
import { resultsErrors } from './results-schema.ts';
import type { ResultsFile } from './results.ts';

/**
 * JSON has no infinities: an error that is infinite (a NaN output, a copy that lost words) is written
 * as the largest finite double, so the row stays a number the schema accepts and the file stays
 * readable; NaN, which no field should hold, becomes null and fails the schema where it would.
 */
const finite = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) && !Number.isNaN(value) ? Math.sign(value) * Number.MAX_VALUE : value;

export function writeResults(path: string, file: ResultsFile): void {
  writeFileAtomic(path, `${JSON.stringify(file, finite, 1)}\n`);
}

/**
 * What one results file may hold. The largest recorded sweep is ~3 MB and ~900 rows; the limits sit
 * far above that and below where a file read whole (JSON.parse, the schema, the report's model)
 * takes gigabytes: a larger file is refused before it is read, naming the limit.
 */
export const MAX_RESULTS_BYTES = 64 * 2 ** 20;
export const MAX_RESULTS_ROWS = 100_000;

/** The file's bytes, refusing what is missing, a folder, unreadable or past the size limit. */
function readInput(path: string): Buffer {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(message.inputIsFolder(path));
    if (stat.size > MAX_RESULTS_BYTES) throw new UsageError(message.resultsTooLarge(path, MAX_RESULTS_BYTES / 2 ** 20));
    return readFileSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(message.noSuchFile(path));
    throw new UsageError(message.unreadable(path, ioReason(error)));
  }
}

export function readResults(path: string): ResultsFile {
  const bytes = readInput(path);
  let text: string;
  try {
    text = (path.endsWith('.br') ? brotliDecompressSync(bytes, { maxOutputLength: MAX_RESULTS_BYTES }) : bytes).toString('utf8');
  } catch (error) {
    // Past maxOutputLength brotli stops with a RangeError: the file unpacks to more than the limit.
    if (error instanceof RangeError) throw new UsageError(message.resultsTooLarge(path, MAX_RESULTS_BYTES / 2 ** 20));
    throw new UsageError(message.badResultsFile(path, 'not brotli-compressed'));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(message.badResultsFile(path, 'not valid JSON'));
  }
  const rows = (value as { runs?: unknown } | null)?.runs;
  if (Array.isArray(rows) && rows.length > MAX_RESULTS_ROWS) throw new UsageError(message.tooManyRows(path, rows.length, MAX_RESULTS_ROWS));
  const errors = resultsErrors(value);
  if (errors) throw new UsageError(message.badResultsFile(path, errors));
  return value as ResultsFile;
}
