// --rerun: ambiguous pairs (past the threshold, not yet significant) are re-measured with the
// current backend before the verdict, and the new samples join the current side. Normalized pairs
// re-measure their reference in the same process too, before and after the candidate: a reference
// median from another process is exactly the drift normalization exists to cancel.
//
// How a config is measured is injected (a `Measurer`), so this logic is tested without a device and
// the CLI plugs in the WebGPU backend (rerun-backend.ts).
import type { Config, Problem } from '../../core/results.ts';
import { finish, rejudge } from './compare.ts';
import { median } from './samples.ts';
import type { GatePair, GateReport } from './types.ts';

export interface MeasureRequest {
  kernel: string;
  problem: Problem;
  config: Config;
}

/** Timing samples in ms for one config; throws when the config cannot be measured. */
export type Measurer = (request: MeasureRequest) => Promise<number[]>;

export interface RerunOptions {
  /** How many times a pair that stays ambiguous is re-measured. */
  rounds: number;
  onPair?: (pair: GatePair, round: number) => void;
}

export async function rerunAmbiguous(report: GateReport, measure: Measurer, options: RerunOptions): Promise<GateReport> {
  const pairs: GatePair[] = [];
  for (const pair of report.pairs) {
    let current = pair;
    // More current samples cannot help a baseline too small to test: it stays ambiguous as it is.
    const testable = (pair.baseline?.samplesMs.length ?? 0) >= report.options.minSamples;
    for (let round = 1; testable && round <= options.rounds && current.label === 'ambiguous'; round++) {
      const outcome = await remeasure(current, measure, report);
      current = outcome.pair;
      options.onPair?.(current, round);
      if (!outcome.measured) break; // a config that failed to measure once will not do better
    }
    pairs.push(current);
  }
  return finish(report.baseline, report.current, report.sameDevice, report.options, pairs);
}

async function remeasure(pair: GatePair, measure: Measurer, report: GateReport): Promise<{ pair: GatePair; measured: boolean }> {
  const side = pair.current;
  if (side === undefined) return { pair, measured: false };
  const reruns = (pair.reruns ?? 0) + 1;
  try {
    // The reference brackets the candidate (before and after) so that load which changes while
    // the candidate runs moves the reference too: its geometric mean is what samples are divided by.
    const reference = side.reference;
    const before = reference === undefined ? undefined : median(await measure(reference));
    const samples = await measure({ kernel: pair.kernel, problem: pair.problem, config: side.config });
    const after = reference === undefined ? undefined : median(await measure(reference));
    const referenceMs = before === undefined || after === undefined ? undefined : Math.sqrt(before * after);
    const current = { ...side, samplesMs: [...side.samplesMs, ...samples] };
    current.medianMs = median(current.samplesMs);
    if (referenceMs !== undefined) current.normalized = [...(side.normalized ?? []), ...samples.map((s) => s / referenceMs)];
    return { pair: { ...rejudge({ ...pair, current }, report.options), reruns }, measured: true };
  } catch (error) {
    const why = (error as Error).message.split('\n')[0];
    return { pair: { ...pair, reruns, reason: `${pair.reason}; re-measuring failed: ${why}` }, measured: false };
  }
}
