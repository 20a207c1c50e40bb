// Builds the gate report from two results files: refuse a baseline from other hardware, pair the
// rows, normalize by same-run references, decide each pair, and say whether the gate passes.
import { message, UsageError } from '../../core/errors.ts';
import type { ResultRow, ResultsFile } from '../../core/results.ts';
import { decide } from './decide.ts';
import { pairRows, type RowPair } from './pairing.ts';
import { adjacentReference, isMeasured, isReferenceRow, ReferenceIndex, sameAdjacentReference, sameReference, type Reference } from './reference.ts';
import { median } from './samples.ts';
import {
  GATE_SCHEMA, PAIR_LABELS,
  type GateOptions, type GatePair, type GateReport, type PairLabel, type PairSide, type RunSummary,
} from './types.ts';

export interface GateInput {
  path: string;
  results: ResultsFile;
}

export function compareRuns(baseline: GateInput, current: GateInput, options: GateOptions): GateReport {
  const sameDevice = baseline.results.device.fingerprint === current.results.device.fingerprint;
  if (!sameDevice && !options.allowOtherDevice) {
    throw new UsageError(message.gateOtherDevice(baseline.path, describe(baseline), current.path, describe(current)));
  }
  const candidates = (input: GateInput) =>
    input.results.runs.filter((row) => !isReferenceRow(row, options.referenceConfig));
  const baselineRows = candidates(baseline);
  if (!baselineRows.some(isMeasured)) throw new UsageError(message.gateNothingMeasured(baseline.path));

  const baselineRefs = new ReferenceIndex(baseline.results.runs, options.referenceConfig);
  const currentRefs = new ReferenceIndex(current.results.runs, options.referenceConfig);
  const rowPairs = pairRows(baselineRows, candidates(current), current.results.device.backend, options.pairing);
  const pairs = rowPairs.map((pair) => judgePair(pair, options, baselineRefs, currentRefs));
  return finish(summary(baseline, baselineRefs), summary(current, currentRefs), sameDevice, options, pairs);
}

/** Counts, failures and exit code from decided pairs (also used again after --rerun). */
export function finish(
  baseline: RunSummary,
  current: RunSummary,
  sameDevice: boolean,
  options: GateOptions,
  pairs: GatePair[],
): GateReport {
  const counts = Object.fromEntries(PAIR_LABELS.map((label) => [label, 0])) as Record<PairLabel, number>;
  for (const pair of pairs) counts[pair.label]++;
  const failures: string[] = [];
  if (counts.slower > 0) failures.push(`${counts.slower} confirmed slower`);
  if (counts.broken > 0) failures.push(`${counts.broken} failing now that passed in the baseline`);
  if (counts.missing > 0 && !options.allowMissing) failures.push(`${counts.missing} missing from the current run`);
  if (counts.ambiguous > 0 && options.failOnAmbiguous) failures.push(`${counts.ambiguous} ambiguous`);
  return {
    schema: GATE_SCHEMA, baseline, current, sameDevice, options, pairs, counts,
    verdict: failures.length === 0 ? 'pass' : 'fail',
    failures,
    exitCode: failures.length === 0 ? 0 : 1,
  };
}

function judgePair(pair: RowPair, options: GateOptions, baselineRefs: ReferenceIndex, currentRefs: ReferenceIndex): GatePair {
  const thresholdPct = options.kernelThresholdPct[pair.kernel] ?? options.thresholdPct;
  const head = { kernel: pair.kernel, problem: pair.problem, backend: pair.backend, pairing: pair.pairing, thresholdPct };
  const baseRef = baselineRefs.find(pair.kernel, pair.problemKey);
  const curRef = currentRefs.find(pair.kernel, pair.problemKey);
  // A reference timed right before each row (tune --reference) beats the run's single reference:
  // it cancels load that changed between configs.
  const adjacent = options.normalize && sameAdjacentReference(pair.baseline, pair.current);
  const normalized = adjacent || (options.normalize && baseRef !== undefined && curRef !== undefined && sameReference(baseRef, curRef));
  const baseline = pair.baseline && side(pair.baseline, adjacent ? adjacentReference(pair.baseline) : normalized ? baseRef : undefined);
  const current = pair.current && side(pair.current, adjacent ? adjacentReference(pair.current) : normalized ? curRef : undefined);
  const labelled = (label: PairLabel, reason: string): GatePair => ({ ...head, baseline, current, normalized, label, reason });

  const baseOk = pair.baseline !== undefined && isMeasured(pair.baseline);
  const curOk = pair.current !== undefined && isMeasured(pair.current);
  if (pair.current === undefined) {
    return labelled(baseOk ? 'missing' : 'unmeasured', baseOk ? 'no row in the current run' : 'not measured in either run');
  }
  if (pair.baseline === undefined) return labelled('new', 'not in the baseline');
  if (baseOk && !curOk) return labelled('broken', `now ${pair.current.status}${errorText(pair.current)}`);
  if (!baseOk && curOk) return labelled('fixed', `was ${pair.baseline.status}, now ok`);
  if (!baseOk || !curOk) return labelled('unmeasured', 'not measured in either run');
  return rejudge({ ...head, baseline, current, normalized, label: 'same', reason: '' }, options);
}

/** Decides a pair from the samples its sides hold now (after --rerun added some, too). */
export function rejudge(pair: GatePair, options: GateOptions): GatePair {
  if (pair.baseline === undefined || pair.current === undefined) return pair;
  const compared = (s: PairSide) => (pair.normalized ? s.normalized ?? [] : s.samplesMs);
  const decision = decide(compared(pair.baseline), compared(pair.current), {
    thresholdPct: pair.thresholdPct,
    alpha: options.alpha,
    minSamples: options.minSamples,
  });
  return { ...pair, label: decision.label, reason: decision.reason, statistics: decision.statistics };
}

function side(row: ResultRow, reference: Reference | undefined): PairSide {
  const samplesMs = [...(row.samplesMs ?? [])];
  const out: PairSide = { config: row.config, status: row.status, samplesMs };
  if (row.error !== undefined) out.error = row.error;
  if (samplesMs.length > 0) out.medianMs = median(samplesMs);
  if (reference !== undefined) {
    const { kernel, problem, config } = reference.row;
    out.reference = { kernel, problem, config, medianMs: reference.medianMs };
    out.normalized = samplesMs.map((s) => s / reference.medianMs);
  }
  return out;
}

const errorText = (row: ResultRow) => (row.error ? `: ${row.error.split('\n')[0].slice(0, 120)}` : '');

function describe(input: GateInput): string {
  const d = input.results.device;
  return `${d.name} / ${d.driver} (${d.fingerprint})`;
}

function summary(input: GateInput, refs: ReferenceIndex): RunSummary {
  return { path: input.path, device: input.results.device, createdAt: input.results.createdAt, references: refs.count };
}
