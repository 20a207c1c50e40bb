// The results contract (../shared/ARCHITECTURE.md, "Results JSON contract"): one row per
// (kernel, problem, config, backend). Fields may be added; none of these may be renamed or dropped.

export const RESULTS_SCHEMA = 'tilesweep.results/1';

export type BackendName = 'webgpu' | 'cuda' | 'gpujs' | 'replay';
export type RunRole = 'candidate' | 'baseline' | 'peer';
export type RunStatus = 'ok' | 'invalid' | 'compile-error' | 'runtime-error' | 'timeout' | 'mismatch' | 'unavailable';
export type TimerKind = 'gpu-timestamp' | 'cuda-event' | 'wall-clock';

export type ParamValue = number | string | boolean;
export type Config = Readonly<Record<string, ParamValue>>;
export type Problem = Readonly<Record<string, number | string>>;

export interface DeviceInfo {
  backend: BackendName;
  name: string;
  vendor: string;
  driver: string;
  /** Stable hash of what identifies the hardware and driver; baselines are paired on it. */
  fingerprint: string;
  [extra: string]: unknown;
}

export interface Verification {
  ok: boolean;
  maxAbsErr: number;
  maxRelErr: number;
  cosineDiff: number;
  /** How many output elements were compared, and out of how many. */
  checked?: number;
  total?: number;
  /** Elements outside the tolerance. */
  failures?: number;
}

export interface ResultRow {
  kernel: string;
  problem: Problem;
  config: Config;
  role: RunRole;
  status: RunStatus;
  error?: string;
  samplesMs?: number[];
  medianMs?: number;
  p10Ms?: number;
  p90Ms?: number;
  /** Relative margin of error of the mean, in percent (tinybench's rme). */
  rme?: number;
  timer?: TimerKind;
  flops: number;
  bytes: number;
  tflops?: number;
  gbps?: number;
  verified?: Verification;
  /** Content key of the cache entry this row came from or was written to. */
  key?: string;
  /** True when this row was served from the cache instead of being measured in this run. */
  cached?: boolean;
  /** Measured in the same process as a fixed yardstick; the gate compares other rows as ratios to it (reports/gate/reference.ts). */
  reference?: boolean;
  /**
   * The same-run reference config, timed right before this row (tune --reference): a ratio to it
   * cancels load that changes between configs, which one run-level reference cannot.
   */
  adjacentReference?: { config: Config; medianMs: number };
  /**
   * The call (one `tilesweep tune` or `bench` invocation) that measured this row: its provenance is
   * `calls[runId]` of the file. Ratios are taken only between rows of one call (ARCHITECTURE.md).
   */
  runId?: string;
  /**
   * Interleaved timing (`bench --interleave R`): this row's median in each of the R rounds, in order;
   * the rows of one call and problem that carry `rounds` alternated with each other round by round.
   */
  rounds?: number[];
  /** The GPU (device ordinal) that measured the row, where a host has several. */
  gpu?: number;
  [extra: string]: unknown;
}

/** Where a call's rows came from: enough to reproduce and to judge them. */
export interface CallProvenance {
  runId: string;
  /** The command as typed, relative paths only (`tilesweep bench fp8-gemm --backend cuda ...`). */
  command: string;
  startedAt: string;
  /** The tool's git commit when run from a checkout. */
  commit?: string;
  /** The device as the call saw it (name, driver, fingerprint) and its clocks when read. */
  device: DeviceInfo;
  clocks?: { smMHz?: number; memMHz?: number; [extra: string]: unknown };
  [extra: string]: unknown;
}

export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA;
  tool: { name: 'tilesweep'; version: string };
  device: DeviceInfo;
  createdAt: string;
  runs: ResultRow[];
  /** Provenance of every call whose rows the file holds, by runId (a curated file merges several). */
  calls?: Record<string, CallProvenance>;
  [extra: string]: unknown;
}

/** Median, p10/p90 of measured rows; the row's rate figures follow from flops and bytes. */
export function withRates(row: ResultRow): ResultRow {
  if (row.medianMs === undefined || row.medianMs <= 0) return row;
  const seconds = row.medianMs / 1e3;
  return { ...row, tflops: row.flops / seconds / 1e12, gbps: row.bytes / seconds / 1e9 };
}

/** A results file around rows (written by core/results-file.ts in Node, downloaded from the web page). */
export function resultsFile(device: DeviceInfo, runs: ResultRow[], version: string, extra: Record<string, unknown> = {}): ResultsFile {
  return { schema: RESULTS_SCHEMA, tool: { name: 'tilesweep', version }, device, createdAt: new Date().toISOString(), runs, ...extra };
}
