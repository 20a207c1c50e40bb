// `tilesweep bench <kernel>`: the tuned config (best of a sweep, served from the cache when already
// measured, or the fastest verified row of a results file) measured again with the full timing
// budget, and with --baselines, in the same run: for mla-decode the tuned MHA decode at the same
// model size (with the KV bytes per token of each and the measured time ratio), and the plain gpu.js
// version of the kernel where one exists. Writes one results file.
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { message, UsageError } from '../../core/errors.ts';
import { stableStringify } from '../../core/hash.ts';
import { readResults, resultsFile, writeResults } from '../../core/results-file.ts';
import type { ResultRow } from '../../core/results.ts';
import type { Backend, TimingBudget } from '../../harness/backend.ts';
import { DEFAULT_BUDGET } from '../../harness/measure.ts';
import { BACKEND_CHOICES, openBackend, parseBackendChoice } from '../../harness/open-backend.ts';
import { mhaDecode } from '../../kernels/mha-decode/index.ts';
import { decodeComparison, kvComparison, mhaPeer, type DecodeComparison } from '../../kernels/mla-decode/compare.ts';
import type { MlaProblem } from '../../kernels/mla-decode/problem.ts';
import { families, familyByName } from '../../kernels/registry.ts';
import type { AnyKernelFamily } from '../../kernels/types.ts';
import { defaultCacheDir, ResultCache } from '../../tuner/cache.ts';
import { rankRows, runSweep } from '../../tuner/sweep.ts';
import { chooseProblem, namedProblem, parsePositiveInt } from '../options.ts';
import { checkOutputs } from '../outputs.ts';
import { formatMs, formatRate, statusCounts } from '../print.ts';
import { version } from '../version.ts';

interface BenchFlags {
  backend: string;
  preset?: string;
  shape?: string;
  config: string;
  baselines: boolean;
  strategy: string;
  budget: number;
  out?: string;
  cache?: string | false;
  timeMs: number;
  json: boolean;
}

/** Configs a `best` search measures when nothing is cached: enough for a clear winner on small problems. */
const DEFAULT_TUNE_BUDGET = 24;

const problemTag = (problem: object): string => Object.entries(problem).map(([k, v]) => `${k}${v}`).join('-');

interface Context {
  backend: Backend;
  cache?: ResultCache;
  flags: BenchFlags;
  timing: TimingBudget;
}

/**
 * The config to benchmark: the fastest verified row of --config FILE for this kernel and problem, or
 * the best of a sweep (served from the cache when already measured). A file without the benchmarked
 * kernel is an error; a peer it lacks (MHA next to MLA) is tuned here.
 */
async function chooseConfig(ctx: Context, family: AnyKernelFamily, problem: object, peer: boolean): Promise<object | undefined> {
  if (ctx.flags.config !== 'best') {
    const wanted = stableStringify(problem);
    const rows = rankRows(readResults(ctx.flags.config).runs.filter((r) => r.kernel === family.name && stableStringify(r.problem) === wanted && r.verified?.ok));
    if (rows.length > 0) return rows[0].config;
    if (!peer) throw new UsageError(message.noConfigInFile(ctx.flags.config, family.name, wanted));
  }
  const rows = await runSweep({
    family, problem, backend: ctx.backend, strategy: ctx.flags.strategy, budget: ctx.flags.budget, cache: ctx.cache,
    timing: { ...DEFAULT_BUDGET, timeMs: Math.min(ctx.timing.timeMs, DEFAULT_BUDGET.timeMs) },
  });
  const best = rankRows(rows)[0];
  if (!best) process.stderr.write(`tilesweep: no ${family.name} config ran and verified on ${ctx.backend.name} (${statusCounts(rows)})\n`);
  return best?.config;
}

/** The chosen config measured again, now, with the full timing budget (never from the cache). */
async function measureConfig(ctx: Context, family: AnyKernelFamily, problem: object, role: ResultRow['role']): Promise<ResultRow | undefined> {
  const config = await chooseConfig(ctx, family, problem, role !== 'candidate');
  if (!config) return undefined;
  const [row] = await runSweep({ family, problem, backend: ctx.backend, configs: [config], timing: ctx.timing, role });
  return row;
}

/**
 * The gpu.js baseline, where the family has one. gpu.js is loaded only here (it is large and some
 * machines lack it): failing to load or open it is a failed baseline row, not a failed bench.
 */
async function gpuJsRow(family: AnyKernelFamily, problem: object, timing: TimingBudget): Promise<ResultRow | undefined> {
  try {
    const { hasGpuJsBaseline, measureGpuJsBaseline } = await import('../../harness/gpujs/baseline.ts');
    if (!hasGpuJsBaseline(family.name)) return undefined;
    const { openGpuJs } = await import('../../harness/gpujs/runtime.ts');
    const runtime = await openGpuJs();
    try {
      return await measureGpuJsBaseline({ family, problem, runtime, timing });
    } finally {
      runtime.dispose();
    }
  } catch (error) {
    return {
      kernel: family.name, problem: problem as ResultRow['problem'], config: { implementation: 'gpu.js' }, role: 'baseline',
      status: 'runtime-error', error: (error instanceof Error ? error.message : String(error)).split('\n')[0],
      flops: family.flops(problem), bytes: family.bytes(problem),
    };
  }
}

function printRows(rows: readonly ResultRow[]): void {
  for (const r of rows) {
    const time = r.medianMs !== undefined ? `${formatMs(r.medianMs).padStart(10)}  ${formatRate(r.flops / (r.medianMs / 1e3)).padStart(15)}` : `${r.status.padStart(10)}`;
    const verified = r.verified ? (r.verified.ok ? 'verified' : 'NOT verified') : '';
    console.log(`${r.role.padEnd(9)} ${r.kernel.padEnd(12)} ${time}  ${verified.padEnd(12)} ${Object.entries(r.config).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
}

function printComparison(c: DecodeComparison | ReturnType<typeof kvComparison>): void {
  console.log(
    `KV cache per token per layer: MLA ${c.mlaElementsPerToken} elements = ${c.mlaBytesPerToken} bytes, ` +
      `MHA ${c.mhaElementsPerToken} elements = ${c.mhaBytesPerToken} bytes (${c.elementBytes}-byte elements; MHA/MLA ${c.cacheRatio.toFixed(1)}x)`,
  );
  if ('timeRatio' in c) {
    console.log(`measured: MLA ${formatMs(c.mlaMedianMs)}, MHA ${formatMs(c.mhaMedianMs)}: MHA/MLA time ratio ${c.timeRatio.toFixed(2)}x`);
  }
}

export const benchCommand = new Command('bench')
  .description('measure the tuned config of a kernel, and with --baselines what it is compared against, in one run')
  .argument('<kernel>', `kernel family: ${Object.keys(families).join(', ')}`)
  .addOption(new Option('--backend <name>', 'auto, webgpu or cuda').default('auto').choices(BACKEND_CHOICES))
  .option('--preset <name>', 'a named problem (see the family presets)')
  .option('--shape <dims>', 'problem dimensions, e.g. B=2,H=16,L=200')
  .option('--config <best|file>', 'best: the best of a sweep (cached); or a results file to take the fastest verified row from', 'best')
  .option('--baselines', 'also measure the baselines: MHA at the same size for mla-decode, gpu.js where it exists', false)
  .option('--strategy <name>', 'search strategy for --config best', 'random')
  .option('--budget <n>', 'configs the --config best search measures', parsePositiveInt('--budget'), DEFAULT_TUNE_BUDGET)
  .option('--out <file>', 'results JSON to write (default out/bench-<kernel>-<problem>.json)')
  .option('--cache <dir>', `result cache directory (default ${defaultCacheDir()})`)
  .option('--no-cache', 'tune from scratch, read and write no cache')
  .option('--time-ms <n>', 'measurement time budget per measured row, ms', parsePositiveInt('--time-ms'), 500)
  .option('--json', 'print the results JSON only')
  .action(async (kernel: string, flags: BenchFlags) => {
    const family = familyByName(kernel);
    if (flags.config.trim() === '') throw new UsageError(message.badConfigChoice(flags.config));
    const named = namedProblem(family, flags.preset, flags.shape);
    const defaultOut = (problem: object) => join('out', `bench-${family.name}-${problemTag(problem)}.json`);
    const cacheDir = flags.cache === false ? undefined : flags.cache ?? defaultCacheDir();
    checkOutputs({ out: flags.out ?? (named && defaultOut(named)), outDir: 'out', cache: cacheDir });
    const backend = await openBackend(parseBackendChoice(flags.backend));
    try {
      const problem: object = chooseProblem(family, backend.caps, named);
      const mla = problem as unknown as MlaProblem;
      family.checkProblem(problem, backend.caps);
      if (flags.out === undefined && named === undefined) checkOutputs({ out: defaultOut(problem) });
      const cache = cacheDir === undefined ? undefined : new ResultCache(cacheDir, backend.device.fingerprint);
      const ctx: Context = { backend, cache, flags, timing: { ...DEFAULT_BUDGET, timeMs: flags.timeMs, maxSamples: 400 } };
      const rows: ResultRow[] = [];
      const candidate = await measureConfig(ctx, family, problem, 'candidate');
      if (candidate) rows.push(candidate);
      let comparison: DecodeComparison | undefined;
      if (flags.baselines && family.name === 'mla-decode') {
        const peer = mhaPeer(mla);
        const mha = await measureConfig(ctx, mhaDecode, peer, 'baseline');
        if (mha) rows.push({ ...mha, comparedWith: 'mla-decode' });
        if (candidate?.medianMs !== undefined && mha?.medianMs !== undefined) {
          comparison = decodeComparison(mla, candidate.medianMs, mha.medianMs);
        }
      }
      if (flags.baselines) {
        const row = await gpuJsRow(family, problem, ctx.timing);
        if (row) rows.push(row);
      }
      const out = flags.out ?? defaultOut(problem);
      const file = resultsFile(backend.device, rows, version, { bench: { kernel: family.name, problem, config: flags.config, baselines: flags.baselines }, ...(comparison ? { comparison } : {}) });
      writeResults(out, file);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(file)}\n`);
      } else {
        console.log(`${family.name} ${JSON.stringify(problem)} on ${backend.device.name} (${backend.name})`);
        printRows(rows);
        if (family.name === 'mla-decode' && flags.baselines) printComparison(comparison ?? kvComparison(mla));
        const tuned = candidate?.medianMs;
        for (const r of rows.filter((x) => x.config.implementation === 'gpu.js' && x.medianMs !== undefined && tuned !== undefined)) {
          console.log(`gpu.js (${r.config.mode} mode) / tuned time ratio ${(r.medianMs! / tuned!).toFixed(1)}x`);
        }
        console.log(`results: ${out}`);
      }
      if (!candidate || candidate.status !== 'ok') process.exitCode = 1;
    } finally {
      await backend.dispose();
    }
  });
