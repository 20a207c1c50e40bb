// Reading and writing results files: written atomically (temp then rename) so an interrupted sweep
// never leaves a half file; read with schema validation, failing with a one-line UsageError. A file
// named *.br is read brotli-compressed (how results/ keeps old runs small).
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { writeFileAtomic } from './atomic-file.ts';
import { message, UsageError } from './errors.ts';
import { resultsErrors } from './results-schema.ts';
import type { ResultsFile } from './results.ts';

export function writeResults(path: string, file: ResultsFile): void {
  writeFileAtomic(path, `${JSON.stringify(file, null, 1)}\n`);
}

export function readResults(path: string): ResultsFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(message.badResultsFile(path, (error as NodeJS.ErrnoException).code ?? 'unreadable'));
  }
  let text: string;
  try {
    text = (path.endsWith('.br') ? brotliDecompressSync(bytes) : bytes).toString('utf8');
  } catch {
    throw new UsageError(message.badResultsFile(path, 'not brotli-compressed'));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(message.badResultsFile(path, 'not valid JSON'));
  }
  const errors = resultsErrors(value);
  if (errors) throw new UsageError(message.badResultsFile(path, errors));
  return value as ResultsFile;
}
