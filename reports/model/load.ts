// Reads results files for a report. A results file is input: its shape is checked here and every
// string in it is treated as untrusted text by the HTML layer (html/escape.ts).
import { readFile } from 'node:fs/promises';
import { UsageError, message } from '../../core/errors.ts';
import { RESULTS_SCHEMA, type ResultRow, type ResultsFile } from '../../core/results.ts';

export interface LoadedResults {
  /** Path as given on the command line; shown in the report. */
  path: string;
  file: ResultsFile;
}

type Check = { ok: true } | { ok: false; detail: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkRow(row: unknown, index: number): Check {
  const where = `runs[${index}]`;
  if (!isObject(row)) return { ok: false, detail: `${where} is not an object` };
  if (typeof row.kernel !== 'string') return { ok: false, detail: `${where}.kernel is not a string` };
  if (!isObject(row.problem)) return { ok: false, detail: `${where}.problem is not an object` };
  if (!isObject(row.config)) return { ok: false, detail: `${where}.config is not an object` };
  if (typeof row.status !== 'string') return { ok: false, detail: `${where}.status is not a string` };
  for (const field of ['flops', 'bytes'] as const) {
    if (typeof row[field] !== 'number' || !Number.isFinite(row[field])) {
      return { ok: false, detail: `${where}.${field} is not a finite number` };
    }
  }
  if (row.medianMs !== undefined && typeof row.medianMs !== 'number') {
    return { ok: false, detail: `${where}.medianMs is not a number` };
  }
  if (row.samplesMs !== undefined && !(Array.isArray(row.samplesMs) && row.samplesMs.every((s) => typeof s === 'number'))) {
    return { ok: false, detail: `${where}.samplesMs is not an array of numbers` };
  }
  return { ok: true };
}

/** Checks the parts of the results contract that reports read; extra fields pass through. */
export function checkResults(value: unknown): Check {
  if (!isObject(value)) return { ok: false, detail: 'not a JSON object' };
  if (value.schema !== RESULTS_SCHEMA) return { ok: false, detail: `schema is not ${RESULTS_SCHEMA}` };
  const device = value.device;
  if (!isObject(device) || typeof device.name !== 'string' || typeof device.backend !== 'string') {
    return { ok: false, detail: 'device.name and device.backend must be strings' };
  }
  if (!Array.isArray(value.runs)) return { ok: false, detail: 'runs is not an array' };
  for (const [i, row] of value.runs.entries()) {
    const check = checkRow(row, i);
    if (!check.ok) return check;
  }
  return { ok: true };
}

export function parseResults(path: string, text: string): LoadedResults {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(message.badResultsFile(path, `invalid JSON (${(error as Error).message})`));
  }
  const check = checkResults(value);
  if (!check.ok) throw new UsageError(message.badResultsFile(path, check.detail));
  return { path, file: value as ResultsFile };
}

export async function loadResults(paths: readonly string[]): Promise<LoadedResults[]> {
  const loaded: LoadedResults[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(message.badResultsFile(path, (error as NodeJS.ErrnoException).code ?? 'unreadable'));
    }
    loaded.push(parseResults(path, text));
  }
  return loaded;
}

/** A row that was measured and verified (or had nothing to verify against): the rows rates come from. */
export function isMeasuredOk(row: ResultRow): row is ResultRow & { medianMs: number } {
  return row.status === 'ok' && typeof row.medianMs === 'number' && row.medianMs > 0 && row.verified?.ok !== false;
}
