// Measurement through tinybench: warm-up, then samples until the time budget is spent (at least
// minSamples, at most maxSamples). The sample function returns the device's own duration (GPU
// timestamps, CUDA events), which tinybench records through `overriddenDuration`; raw samples are kept.
import { Bench } from 'tinybench';

export interface TimingBudget {
  /** Untimed launches before measuring. */
  warmupIterations: number;
  /** Time budget for the measured phase, in milliseconds of measured kernel time. */
  timeMs: number;
  minSamples: number;
  maxSamples: number;
  /**
   * Milliseconds of untimed launches run back to back right before the measured ones, so that a
   * power-capped GPU is measured at its sustained clock (an H200 holds its boost clock for ~0.1 s
   * of GEMM load after idle, then settles 15-25% lower at its 700 W cap). Absent: warm-up only.
   */
  settleMs?: number;
}

export interface Measurement {
  samplesMs: number[];
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  /** Relative margin of error of the mean, percent. */
  rme: number;
}

export const DEFAULT_BUDGET: TimingBudget = { warmupIterations: 3, timeMs: 150, minSamples: 10, maxSamples: 200 };

/** Runs `sample` under tinybench; each call returns one duration in milliseconds. */
export async function measure(sample: () => Promise<number>, budget: TimingBudget): Promise<Measurement> {
  const stop = new AbortController();
  let taken = 0;
  const bench = new Bench({
    name: 'tilesweep',
    time: budget.timeMs,
    iterations: budget.minSamples,
    warmup: budget.warmupIterations > 0,
    warmupIterations: budget.warmupIterations,
    warmupTime: 0,
    retainSamples: true,
    throws: true,
    signal: stop.signal,
  });
  bench.add('kernel', async () => {
    const ms = await sample();
    if (++taken >= budget.maxSamples + budget.warmupIterations) stop.abort();
    return { overriddenDuration: ms };
  });
  // Settling: untimed calls back to back for settleMs of wall time, before tinybench's warm-up.
  const settleUntil = performance.now() + (budget.settleMs ?? 0);
  while (performance.now() < settleUntil) await sample();
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed' && result.state !== 'aborted-with-statistics') {
    const error = result.state === 'errored' ? result.error : new Error(`benchmark ended in state ${result.state}`);
    throw error;
  }
  const samplesMs = [...(result.latency.samples ?? [])];
  return summarize(samplesMs, result.latency.rme);
}

/** Median and p10/p90 by linear interpolation between order statistics. */
export function summarize(samplesMs: readonly number[], rme: number): Measurement {
  const sorted = [...samplesMs].sort((x, y) => x - y);
  return {
    samplesMs: [...samplesMs],
    medianMs: quantile(sorted, 0.5),
    p10Ms: quantile(sorted, 0.1),
    p90Ms: quantile(sorted, 0.9),
    rme,
  };
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}
