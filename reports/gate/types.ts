// The gate's report as data (STYLE.md, habit 9, after google/benchmark's tools/gbench/report.py):
// pairing, statistics and verdicts are computed into these records; the terminal table, the
// markdown comment and the github-action-benchmark JSON are renderings of them and decide nothing.
import type { BackendName, Config, DeviceInfo, Problem } from '../../core/results.ts';

export const GATE_SCHEMA = 'tilesweep.gate/1';

/**
 * faster/slower/same/ambiguous come from the samples; the rest from the rows' presence and status:
 * missing: the baseline measured it, the current run has no row for it (fails the gate);
 * broken: the baseline measured it ok, the current row failed (compile error, mismatch, ...) (fails);
 * new: only the current run has it; fixed: it failed in the baseline and is ok now;
 * unmeasured: neither side has samples to compare (both failed, or rows without samples).
 */
export type PairLabel =
  | 'faster' | 'slower' | 'same' | 'ambiguous'
  | 'missing' | 'broken' | 'new' | 'fixed' | 'unmeasured';

export const PAIR_LABELS: readonly PairLabel[] = [
  'slower', 'broken', 'missing', 'ambiguous', 'faster', 'same', 'fixed', 'new', 'unmeasured',
];

/** How a pair was formed: the same config on both sides, or the best ok row of each sweep. */
export type Pairing = 'config' | 'best';
export type PairingMode = Pairing | 'auto';

export interface GateOptions {
  /** Minimum slowdown that counts, in percent of the baseline (google/benchmark's threshold). */
  thresholdPct: number;
  /** Per-kernel thresholds, in percent, overriding thresholdPct. */
  kernelThresholdPct: Readonly<Record<string, number>>;
  /** Significance level of the two-sided Mann-Whitney U test. */
  alpha: number;
  /** Fewer samples than this on either side cannot confirm anything: the pair is ambiguous at best. */
  minSamples: number;
  pairing: PairingMode;
  /** Compare ratios to each run's reference kernel when both runs carry one. */
  normalize: boolean;
  /** Extra ways to spot a reference row, besides `reference: true` on the row (see README.md). */
  referenceConfig?: Config;
  allowOtherDevice: boolean;
  /** A missing pair fails the gate unless this is set (then it is only reported). */
  allowMissing: boolean;
  failOnAmbiguous: boolean;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = {
  thresholdPct: 5,
  kernelThresholdPct: {},
  alpha: 0.05,
  minSamples: 5,
  pairing: 'auto',
  normalize: true,
  allowOtherDevice: false,
  allowMissing: false,
  failOnAmbiguous: false,
};

/** One side of a pair, as compared: times in ms, or in units of the run's reference median. */
export interface PairSide {
  config: Config;
  status: string;
  error?: string;
  /** Raw samples, ms. */
  samplesMs: number[];
  medianMs?: number;
  /** Samples divided by the reference median, when the pair is normalized. */
  normalized?: number[];
  /** The reference kernel measured in the same run, when the pair is normalized. */
  reference?: ReferenceUsed;
}

export interface ReferenceUsed {
  kernel: string;
  problem: Problem;
  config: Config;
  medianMs: number;
}

export interface PairStatistics {
  /** current / baseline median of what is compared (normalized ratios when normalized). */
  ratio: number;
  /** Two-sided p-value of Mann-Whitney U; absent when a side has fewer than minSamples. */
  pValue?: number;
  method?: 'exact' | 'normal';
  u?: number;
}

export interface GatePair {
  kernel: string;
  problem: Problem;
  backend: BackendName;
  pairing: Pairing;
  baseline?: PairSide;
  current?: PairSide;
  normalized: boolean;
  thresholdPct: number;
  statistics?: PairStatistics;
  label: PairLabel;
  /** Why this label, in a few words. */
  reason: string;
  /** How many times --rerun re-measured this pair. */
  reruns?: number;
}

export interface RunSummary {
  path: string;
  device: DeviceInfo;
  createdAt: string;
  /** The reference rows found, as kernel + config, for the record. */
  references: number;
}

export type GateVerdict = 'pass' | 'fail';

export interface GateReport {
  schema: typeof GATE_SCHEMA;
  baseline: RunSummary;
  current: RunSummary;
  sameDevice: boolean;
  options: GateOptions;
  pairs: GatePair[];
  counts: Record<PairLabel, number>;
  verdict: GateVerdict;
  /** One line per reason the gate failed. */
  failures: string[];
  exitCode: 0 | 1;
}
