// Reading the two results files a gate compares. Anything that is not a tilesweep results file is
// bad input: a UsageError naming the file and the first thing wrong with it (exit 2, one line).
import { readFileSync } from 'node:fs';
import { message, UsageError } from '../../core/errors.ts';
import { RESULTS_SCHEMA, type ResultRow, type ResultsFile } from '../../core/results.ts';

export function loadResults(path: string): ResultsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(message.gateUnreadable(path, (error as NodeJS.ErrnoException).code ?? String(error)));
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(message.badResultsFile(path, `not JSON (${(error as Error).message})`));
  }
  const problem = resultsProblem(data);
  if (problem !== undefined) throw new UsageError(message.badResultsFile(path, problem));
  return data as ResultsFile;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first way `data` breaks the results contract, or undefined when it keeps it. */
export function resultsProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'the top level is not an object';
  if (data.schema !== RESULTS_SCHEMA) return `schema is ${JSON.stringify(data.schema)}, expected "${RESULTS_SCHEMA}"`;
  const device = data.device;
  if (!isObject(device)) return 'device is missing';
  if (typeof device.fingerprint !== 'string' || device.fingerprint === '') return 'device.fingerprint is missing';
  if (typeof device.backend !== 'string') return 'device.backend is missing';
  if (!Array.isArray(data.runs)) return 'runs is not an array';
  for (const [index, run] of data.runs.entries()) {
    const problem = rowProblem(run);
    if (problem !== undefined) return `runs[${index}]: ${problem}`;
  }
  return undefined;
}

function rowProblem(run: unknown): string | undefined {
  if (!isObject(run)) return 'not an object';
  if (typeof run.kernel !== 'string') return 'kernel is missing';
  if (!isObject(run.problem)) return 'problem is missing';
  if (!isObject(run.config)) return 'config is missing';
  if (typeof run.status !== 'string') return 'status is missing';
  const samples = (run as ResultRow).samplesMs;
  if (samples !== undefined) {
    if (!Array.isArray(samples)) return 'samplesMs is not an array';
    if (!samples.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0)) {
      return 'samplesMs holds a value that is not a positive number';
    }
  }
  return undefined;
}
