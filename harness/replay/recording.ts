// A recorded results file indexed for replay: the candidate rows of each (kernel, problem) by config,
// of one call (`runId`) or of all of them. A curated file holds several calls (results/README.md), and
// times compare only within a call, so a sweep replays one call where it can; over all calls, a config
// recorded twice is served by its first row in file order. Either way the same (problem, config)
// always gives the same row and samples, whatever was asked before it.
import { stableStringify } from '../../core/hash.ts';
import type { Config, Problem, ResultRow, ResultsFile } from '../../core/results.ts';

export interface Recording {
  readonly file: ResultsFile;
  /** The call replayed (every call when undefined). */
  readonly call?: string;
  /** The problems with candidate rows of this kernel, in order of first appearance. */
  problems(kernel: string): Problem[];
  /** The configs recorded for this kernel and problem, each once, in order of first appearance. */
  configs(kernel: string, problem: object): Config[];
  /** The recorded row of this config, or undefined when the recording never ran it. */
  row(kernel: string, problem: object, config: object): ResultRow | undefined;
}

const sweepKey = (kernel: string, problem: object): string => `${kernel} ${stableStringify(problem)}`;

/** Rows that stand for a config of the sweep: candidates, not the same-run reference, baselines or peers. */
const isCandidate = (row: ResultRow): boolean => row.role === 'candidate' && row.reference !== true;

/** The calls whose candidate rows a file holds, in order of first appearance (rows without a runId: none). */
export const recordedCalls = (file: ResultsFile): string[] =>
  [...new Set(file.runs.filter(isCandidate).map((r) => r.runId).filter((id): id is string => typeof id === 'string'))];

export function indexRecording(file: ResultsFile, call?: string): Recording {
  const sweeps = new Map<string, { problem: Problem; kernel: string; rows: Map<string, ResultRow> }>();
  for (const row of file.runs.filter((r) => isCandidate(r) && (call === undefined || r.runId === call))) {
    const key = sweepKey(row.kernel, row.problem);
    let sweep = sweeps.get(key);
    if (!sweep) sweeps.set(key, (sweep = { problem: row.problem, kernel: row.kernel, rows: new Map() }));
    const configKey = stableStringify(row.config);
    if (!sweep.rows.has(configKey)) sweep.rows.set(configKey, row);
  }
  return {
    file,
    call,
    problems: (kernel) => [...sweeps.values()].filter((s) => s.kernel === kernel).map((s) => s.problem),
    configs: (kernel, problem) => [...(sweeps.get(sweepKey(kernel, problem))?.rows.values() ?? [])].map((r) => r.config),
    row: (kernel, problem, config) => sweeps.get(sweepKey(kernel, problem))?.rows.get(stableStringify(config)),
  };
}
