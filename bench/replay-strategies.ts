// Benchmark (not a test: it writes a summary and prints figures; nothing in the suite depends on it).
// On every recorded sweep in results/ (each results file's (call, kernel, problem) with at least
// MIN_CONFIGS distinct candidate configs: the lavapipe sweeps and the H200 ones; a curated file holds
// several calls, and times compare only within one), replayed through the sweep loop
// (tuner/sweep.ts on the replay backend, the same path a device sweep takes), it counts for each
// strategy and each of 20 seeds the measurements needed to reach a config within 2% of the recording's
// best, and takes the median over the seeds. The space of a recorded sweep is the configs it recorded,
// so the best is known. The issue's bar, per sweep: the model-guided strategy's median at most 25% of
// the space and at most half of random's. Writes bench/results/replay-strategies.json.
// Usage: node --import tsx bench/replay-strategies.ts [RESULTS_DIR...]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { readResults } from '../core/results-file.ts';
import type { ResultsFile } from '../core/results.ts';
import { replayBackend } from '../harness/replay/backend.ts';
import { softwareThreads } from '../harness/webgpu/software-threads.ts';
import { indexRecording, recordedCalls } from '../harness/replay/recording.ts';
import { families } from '../kernels/registry.ts';
import { modelError, type ModelError } from '../tuner/model-error.ts';
import { runSweep } from '../tuner/sweep.ts';

const DIRS = process.argv.length > 2 ? process.argv.slice(2) : ['results/lavapipe', 'results/h200'];
const STRATEGIES = ['random', 'local', 'anneal', 'model'] as const;
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const WITHIN = 1.02;
const MIN_CONFIGS = 16;

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface SweepFigures {
  file: string;
  /** The call (runId) whose rows make the sweep, where rows name one. */
  call?: string;
  kernel: string;
  problem: object;
  device: string;
  /** Configs in the recorded sweep: the space searched. */
  space: number;
  bestMs: number;
  /** Configs within 2% of the best (random's chance per draw). */
  withinBest: number;
  /** Exhaustive in recorded order: measurements to reach within 2% (one order, no seed). */
  exhaustive: number;
  /** Per strategy: the median over the seeds of the measurements to reach within 2%, and each seed's count. */
  strategies: Record<string, { median: number; fraction: number; perSeed: number[] }>;
  modelAtMostQuarter: boolean;
  modelAtMostHalfOfRandom: boolean;
  /** The analytic model's error on this sweep's recorded rows, where the family's target has a model. */
  modelError?: Pick<ModelError, 'spearman' | 'medianErrorPct' | 'firstChoiceLossPct'>;
}

async function measurementsToBest(backend: ReturnType<typeof replayBackend>, kernel: string, problem: object, strategy: string, seed: number, target: number): Promise<number> {
  const rows = await runSweep({
    family: families[kernel],
    problem,
    backend,
    strategy,
    seed,
    stopWhen: (row) => row.status === 'ok' && row.medianMs !== undefined && row.medianMs <= target,
  });
  const at = rows.findIndex((r) => r.status === 'ok' && r.medianMs! <= target);
  return at < 0 ? Infinity : at + 1;
}

/** The figures of every recorded sweep of one call of a results file (of the whole file when its rows name no call). */
async function figuresOf(path: string, file: ResultsFile, call: string | undefined): Promise<SweepFigures[]> {
  const recording = indexRecording(file, call);
  const backend = replayBackend(recording, path, softwareThreads());
  const out: SweepFigures[] = [];
  for (const kernel of [...new Set(file.runs.map((r) => r.kernel))].filter((k) => k in families)) {
    for (const problem of recording.problems(kernel)) {
      const configs = recording.configs(kernel, problem);
      const ok = configs.map((c) => recording.row(kernel, problem, c)!).filter((r) => r.status === 'ok' && r.medianMs! > 0);
      if (configs.length < MIN_CONFIGS || ok.length === 0) continue;
      const bestMs = Math.min(...ok.map((r) => r.medianMs!));
      const target = bestMs * WITHIN;
      const strategies: SweepFigures['strategies'] = {};
      for (const strategy of STRATEGIES) {
        const perSeed: number[] = [];
        for (const seed of SEEDS) perSeed.push(await measurementsToBest(backend, kernel, problem, strategy, seed, target));
        const m = median(perSeed);
        strategies[strategy] = { median: m, fraction: m / configs.length, perSeed };
      }
      const exhaustive = await measurementsToBest(backend, kernel, problem, 'exhaustive', 1, target);
      const model = strategies.model.median;
      const analytic = families[kernel].targets[backend.language]?.model;
      const [error] = analytic ? modelError(analytic, backend.caps, ok) : [];
      out.push({
        file: path, ...(call ? { call } : {}), kernel, problem, device: file.device.name, space: configs.length, bestMs,
        withinBest: ok.filter((r) => r.medianMs! <= target).length, exhaustive, strategies,
        modelAtMostQuarter: model <= 0.25 * configs.length,
        modelAtMostHalfOfRandom: model <= 0.5 * strategies.random.median,
        ...(error ? { modelError: { spearman: error.spearman, medianErrorPct: error.medianErrorPct, firstChoiceLossPct: error.firstChoiceLossPct } } : {}),
      });
      process.stderr.write(`${path}${call ? `#${call}` : ''} ${kernel} ${JSON.stringify(problem)}: space ${configs.length}, ${STRATEGIES.map((s) => `${s} ${strategies[s].median}`).join(', ')}\n`);
    }
  }
  return out;
}

const figures: SweepFigures[] = [];
const started = performance.now();
for (const dir of DIRS) {
  for (const name of readdirSync(dir).filter((n) => /\.json(\.br)?$/.test(n)).sort()) {
    const path = join(dir, name);
    let file: ResultsFile;
    try {
      file = readResults(path);
    } catch {
      continue; // not a results file (a peer's or DeepGEMM's own format)
    }
    const calls = recordedCalls(file);
    for (const call of calls.length > 0 ? calls : [undefined]) figures.push(...(await figuresOf(path, file, call)));
  }
}

const group = (device: string | undefined) => figures.filter((f) => device === undefined || f.device.includes(device));
const aggregate = (set: readonly SweepFigures[]) => ({
  sweeps: set.length,
  medianSpace: median(set.map((f) => f.space)),
  /** Per strategy, the median over sweeps of (median measurements over seeds) / space. */
  medianFraction: Object.fromEntries(STRATEGIES.map((s) => [s, median(set.map((f) => f.strategies[s].fraction))])),
  /** The median over sweeps of model's median / random's median (the bar: at most 0.5). */
  medianModelToRandom: median(set.map((f) => f.strategies.model.median / f.strategies.random.median)),
  modelAtMostQuarter: set.filter((f) => f.modelAtMostQuarter).length,
  modelAtMostHalfOfRandom: set.filter((f) => f.modelAtMostHalfOfRandom).length,
  bothBars: set.filter((f) => f.modelAtMostQuarter && f.modelAtMostHalfOfRandom).length,
  /** The analytic model on the sweeps that have one: median Spearman rank correlation with measured time, median error after scaling, median loss of its first choice. */
  analyticModel: (() => {
    const modelled = set.filter((f) => f.modelError);
    // A model that prices every config of a sweep alike has no rank correlation there (NaN): counted apart, not sorted in.
    const ranked = modelled.filter((f) => Number.isFinite(f.modelError!.spearman));
    return modelled.length === 0 ? null : {
      sweeps: modelled.length,
      sweepsAllTied: modelled.length - ranked.length,
      medianSpearman: ranked.length === 0 ? null : median(ranked.map((f) => f.modelError!.spearman)),
      medianErrorPct: median(modelled.map((f) => f.modelError!.medianErrorPct)),
      medianFirstChoiceLossPct: median(modelled.map((f) => f.modelError!.firstChoiceLossPct)),
    };
  })(),
});
const summary = {
  benchmark: 'replay-strategies',
  createdAt: new Date().toISOString(),
  within: WITHIN,
  seeds: SEEDS.length,
  minConfigs: MIN_CONFIGS,
  bar: 'per sweep: model median <= 25% of the space and <= half of random median (measurements to within 2% of the recorded best; median over 20 seeds)',
  seconds: (performance.now() - started) / 1e3,
  all: aggregate(figures),
  lavapipe: aggregate(group('llvmpipe')),
  h200: aggregate(group('H200')),
  /** The H200 sweeps per kernel family (the fp8-gemm ones are the analytic CUDA model's). */
  h200ByKernel: Object.fromEntries([...new Set(group('H200').map((f) => f.kernel))].sort().map((k) => [k, aggregate(group('H200').filter((f) => f.kernel === k))])),
  sweeps: figures,
};
writeFileAtomic('bench/results/replay-strategies.json', `${JSON.stringify(summary, null, 1)}\n`);
const printed = { all: summary.all, lavapipe: summary.lavapipe, h200: summary.h200, ...Object.fromEntries(Object.entries(summary.h200ByKernel).map(([k, a]) => [`h200 ${k}`, a])) };
for (const [name, a] of Object.entries(printed)) {
  console.log(`${name}: ${a.sweeps} sweeps (median space ${a.medianSpace}); median fraction of the space to within 2%: ${STRATEGIES.map((s) => `${s} ${(a.medianFraction[s] * 100).toFixed(1)}%`).join(', ')}; median model/random ${a.medianModelToRandom.toFixed(2)}; sweeps with model <= 25%: ${a.modelAtMostQuarter}, <= half of random: ${a.modelAtMostHalfOfRandom}, both: ${a.bothBars}${a.analyticModel ? `; analytic model on ${a.analyticModel.sweeps} sweeps: median Spearman ${a.analyticModel.medianSpearman?.toFixed(2) ?? 'none'}${a.analyticModel.sweepsAllTied > 0 ? ` (${a.analyticModel.sweepsAllTied} sweeps where it ties every config left out)` : ''}, median error ${a.analyticModel.medianErrorPct.toFixed(0)}%, first choice ${a.analyticModel.medianFirstChoiceLossPct.toFixed(1)}% slower than the best` : ''}`);
}
console.log('bench/results/replay-strategies.json');
