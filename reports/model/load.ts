// Reads results files for a report through the project's validated reader (core/results-file.ts): a
// results file is input, so its shape is checked there and every string in it is escaped by the HTML
// and markdown layers.
import { message, UsageError } from '../../core/errors.ts';
import { readResults } from '../../core/results-file.ts';
import type { ResultRow, ResultsFile } from '../../core/results.ts';

export interface LoadedResults {
  /** Path as given on the command line; shown in the report. */
  path: string;
  file: ResultsFile;
}

/**
 * Rows one report reads at most, over all its files: the model and the charts hold every row, so
 * memory grows with them (measured: 20k rows 0.6 GB and 4.6 s, 60k rows 1.5 GB and 11 s); past this
 * a report would take gigabytes. The largest recorded sweep holds ~900 rows.
 */
export const MAX_REPORT_ROWS = 50_000;

/** Throws UsageError naming the first file that is missing or not a results file, or the row limit. */
export function loadResults(paths: readonly string[]): LoadedResults[] {
  let rows = 0;
  return paths.map((path) => {
    const file = readResults(path);
    rows += file.runs.length;
    if (rows > MAX_REPORT_ROWS) throw new UsageError(message.reportTooManyRows(rows, MAX_REPORT_ROWS));
    return { path, file };
  });
}

/** A row that was measured and not found wrong: the rows rates come from. */
export function isMeasuredOk(row: ResultRow): row is ResultRow & { medianMs: number } {
  return row.status === 'ok' && typeof row.medianMs === 'number' && row.medianMs > 0 && row.verified?.ok !== false;
}
