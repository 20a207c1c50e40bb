// Reads results files for a report through the project's validated reader (core/results-file.ts): a
// results file is input, so its shape is checked there and every string in it is escaped by the HTML
// and markdown layers.
import { readResults } from '../../core/results-file.ts';
import type { ResultRow, ResultsFile } from '../../core/results.ts';

export interface LoadedResults {
  /** Path as given on the command line; shown in the report. */
  path: string;
  file: ResultsFile;
}

/** Throws UsageError naming the first file that is missing or not a results file. */
export function loadResults(paths: readonly string[]): LoadedResults[] {
  return paths.map((path) => ({ path, file: readResults(path) }));
}

/** A row that was measured and not found wrong: the rows rates come from. */
export function isMeasuredOk(row: ResultRow): row is ResultRow & { medianMs: number } {
  return row.status === 'ok' && typeof row.medianMs === 'number' && row.medianMs > 0 && row.verified?.ok !== false;
}
