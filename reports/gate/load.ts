// Reading the two results files a gate compares, through the project's one reader (core/results-file:
// JSON Schema of the contract). Anything else is bad input: a UsageError naming the file and the
// fault (exit 2, one line). The gate adds one check of its own: it divides by medians, so every
// sample must be a positive number.
import { message, UsageError } from '../../core/errors.ts';
import { readResults } from '../../core/results-file.ts';
import type { ResultsFile } from '../../core/results.ts';

export function loadResults(path: string): ResultsFile {
  const results = readResults(path);
  for (const [index, run] of results.runs.entries()) {
    if (run.samplesMs !== undefined && !run.samplesMs.every((s) => Number.isFinite(s) && s > 0)) {
      throw new UsageError(message.badResultsFile(path, `runs[${index}].samplesMs holds a sample that is not a positive number`));
    }
  }
  return results;
}
