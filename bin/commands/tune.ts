// `tilesweep tune <kernel>`: a sweep of one kernel family over its config space on one backend,
// printing the top configs and writing the results file (rewritten after every row, atomically).
import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { join } from 'node:path';
import { writeResults } from '../../core/results-file.ts';
import { resultsFile } from '../../core/results.ts';
import type { ResultRow } from '../../core/results.ts';
import { openSweepBackend, parseSweepBackendChoice, sweepLanguageOf, SWEEP_BACKEND_CHOICES } from '../../harness/open-backend.ts';
import { DEFAULT_BUDGET } from '../../harness/measure.ts';
import { familyByName, families } from '../../kernels/registry.ts';
import { defaultCacheDir, ResultCache } from '../../tuner/cache.ts';
import { configFromText, parseParamOverrides } from '../../tuner/space.ts';
import { parseSpaceChoice } from '../../tuner/space-file.ts';
import { checkSpaceChoice, targetOf } from '../../tuner/spaces.ts';
import { newCall } from '../provenance.ts';
import { strategies, strategyByName } from '../../tuner/strategies/index.ts';
import { parseShard } from '../../tuner/shard.ts';
import { rankRows, runSweep, stableChoice } from '../../tuner/sweep.ts';
import { collect, namedProblems, parsePositiveInt, parsePositiveNumber, sweepProblems } from '../options.ts';
import { checkOutputs } from '../outputs.ts';
import { checkGpus, gpuLines, gpuRecord, openGpuSlots } from '../gpus.ts';
import { formatMs, statusCounts, topTable } from '../print.ts';
import { version } from '../version.ts';

interface TuneFlags {
  backend: string;
  preset?: string;
  shape?: string;
  strategy: string;
  budget?: number;
  seed: number;
  param: string[];
  space: string;
  reference?: string;
  out?: string;
  cache?: string;
  cacheEnabled: boolean;
  timeMs: number;
  settleMs?: number;
  timeLimit?: number;
  shard?: string;
  remeasure?: number;
  top: number;
  json: boolean;
  gpus?: string;
}

const problemTag = (problem: object): string =>
  Object.entries(problem)
    .map(([k, v]) => `${k}${v}`)
    .join('-');

export const tuneCommand = new Command('tune')
  .description('sweep a kernel family over its tile configs, verify each, time each, print the best')
  .argument('<kernel>', `kernel family: ${Object.keys(families).join(', ')}`)
  .addOption(new Option('--backend <name>', `${SWEEP_BACKEND_CHOICES.join(', ')} (recorded results served back)`).default('auto'))
  .option('--preset <names>', 'named problems (see the family presets): one, a comma list, or patterns with *, e.g. dsv3-m4096-*')
  .option('--shape <dims>', 'problem dimensions, e.g. M=128,N=256,K=512; several with ; between them')
  .option('--space <name|file>', 'configs to search: default (every valid config), candidates (generated from the problem and the device), full, or a JSON file of configs', 'default')
  .option('--strategy <name>', `search strategy: ${Object.keys(strategies).join(', ')}`, 'exhaustive')
  .option('--budget <n>', 'most configs to measure', parsePositiveInt('--budget'))
  .option('--seed <n>', 'seed of the strategy', parsePositiveInt('--seed'), 1)
  .option('--param <name=v1,v2>', 'restrict a space parameter to these values (repeatable)', collect, [])
  .option('--reference <name=value,...>', 'a fixed config measured first and again before every config (same-run ratios for the gate)')
  .option('--out <file>', 'results JSON to write (default out/<kernel>-<problem>.json)')
  .option('--cache <dir>', `result cache directory (default ${defaultCacheDir()})`)
  .option('--no-cache', 'measure everything, read and write no cache')
  .option('--time-ms <n>', 'measurement time budget per config, ms', parsePositiveInt('--time-ms'), DEFAULT_BUDGET.timeMs)
  .option('--settle-ms <n>', 'untimed back-to-back launches before each config\'s samples, ms (measures a power-capped GPU at its sustained clock)', parsePositiveInt('--settle-ms'))
  .option('--time-limit <s>', 'stop asking for configs once this many seconds have passed', parsePositiveNumber('--time-limit'))
  .option('--shard <i/n>', 'evaluate only shard i of n of the sweep (tilesweep merge joins them)')
  .option('--remeasure <n>', 'measure the n fastest again and choose the steadiest of those tied with the fastest', parsePositiveInt('--remeasure'))
  .option('--gpus <all|0,1,...>', 'spread the sweep over these GPUs of the host, one CUDA runner each (--backend cuda)')
  .option('--top <n>', 'configs to print', parsePositiveInt('--top'), 10)
  .option('--json', 'print the results JSON only')
  .action(async (kernel: string, raw: Record<string, unknown>) => {
    const flags = { ...raw, cacheEnabled: raw.cache !== false, cache: typeof raw.cache === 'string' ? raw.cache : undefined } as TuneFlags;
    const family = familyByName(kernel);
    strategyByName(flags.strategy);
    const params = parseParamOverrides(flags.param);
    const space = parseSpaceChoice(flags.space);
    const backendChoice = parseSweepBackendChoice(flags.backend);
    const gpuChoice = checkGpus(flags.gpus, flags.backend, { '--reference': flags.reference !== undefined });
    checkSpaceChoice(family, sweepLanguageOf(backendChoice), space);
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
    // Everything that can be checked without a device is checked before one is opened.
    const named = namedProblems(family, flags.preset, flags.shape);
    const defaultOut = (problems: readonly object[]) =>
      join('out', `${family.name}-${problems.length === 1 ? problemTag(problems[0]) : `${problems.length}-problems`}.json`);
    const cacheDir = flags.cacheEnabled ? flags.cache ?? defaultCacheDir() : undefined;
    checkOutputs({ out: flags.out ?? (named && defaultOut(named)), outDir: 'out', cache: cacheDir });
    const gpus = gpuChoice ? await openGpuSlots(gpuChoice) : undefined;
    const backend = gpus ? gpus.backend : await openSweepBackend(backendChoice);
    try {
      const problems = sweepProblems(family, backend, named);
      const out = flags.out ?? defaultOut(problems);
      if (flags.out === undefined && named === undefined) checkOutputs({ out });
      const cache = cacheDir === undefined ? undefined : new ResultCache(cacheDir, backend.device.fingerprint);
      const rows: ResultRow[] = [];
      const call = newCall(backend.device);
      // --time-limit counts from the start of the call, across its problems.
      const callStarted = performance.now();
      const sweep = { space: flags.space, strategy: flags.strategy, budget: flags.budget ?? null, seed: flags.seed, params, reference: flags.reference ?? null, settleMs: flags.settleMs ?? null, timeLimitS: flags.timeLimit ?? null, shard: shard ?? null, remeasure: flags.remeasure ?? null };
      const file = () => resultsFile(backend.device, rows, version, { sweep, calls: { [call.runId]: call }, ...(gpus ? { gpus: gpuRecord(gpus) } : {}) });
      const save = () => writeResults(out, file());
      const unverified: object[] = [];
      for (const problem of problems) {
        const bar = process.stderr.isTTY && !flags.json ? new SingleBar({ format: ' {bar} {value}/{total} configs | {status}', stream: process.stderr }) : undefined;
        const started = performance.now();
        const mine: ResultRow[] = [];
        await runSweep({
          family,
          problem,
          backend,
          ...(gpus ? { gpus: gpus.slots } : {}),
          strategy: flags.strategy,
          budget: flags.budget,
          seed: flags.seed,
          params,
          space,
          reference: flags.reference === undefined ? undefined : configFromText(family.name, targetOf(family, backend.language).space(problem, backend.caps), flags.reference),
          cache,
          timing: { ...DEFAULT_BUDGET, timeMs: flags.timeMs, ...(flags.settleMs ? { settleMs: flags.settleMs } : {}) },
          timeLimitS: flags.timeLimit === undefined ? undefined : Math.max(0, flags.timeLimit - (performance.now() - callStarted) / 1e3),
          shard,
          stable: flags.remeasure === undefined ? undefined : { top: flags.remeasure },
          onPlan: (total) => bar?.start(total, 0, { status: '' }),
          onRow: (row) => {
            const stamped = row.cached ? row : { ...row, runId: call.runId };
            rows.push(stamped);
            mine.push(stamped);
            save();
            bar?.increment({ status: `${row.status}${row.medianMs ? ` ${formatMs(row.medianMs)}` : ''}` });
          },
        });
        bar?.stop();
        save();
        const ranked = rankRows(mine);
        if (ranked.length === 0) unverified.push(problem);
        if (!flags.json) {
          const seconds = (performance.now() - started) / 1e3;
          const slowest = ranked.at(-1);
          console.log(`${family.name} ${JSON.stringify(problem)} on ${backend.device.name} (${backend.name}), ${flags.strategy} sweep of the ${flags.space} space in ${seconds.toFixed(1)} s`);
          console.log(`configs: ${statusCounts(mine)}`);
          if (ranked.length > 0) {
            console.log(topTable(ranked, flags.top));
            if (slowest && ranked.length > 1) console.log(`best is ${(slowest.medianMs! / ranked[0].medianMs!).toFixed(1)}x faster than the slowest valid config`);
            const steadiest = stableChoice(mine);
            if (steadiest) console.log(`stable winner (re-measured, steadiest of those tied with the fastest): ${formatMs(steadiest.medianMs!)} ${JSON.stringify(steadiest.config)}`);
          }
        }
      }
      if (gpus && !flags.json) for (const line of gpuLines(gpus, rows)) console.log(line);
      if (flags.json) process.stdout.write(`${JSON.stringify(file())}\n`);
      else console.log(`results: ${out}`);
      if (unverified.length > 0) {
        if (!flags.json) console.error(`tilesweep: no config ran and verified for ${unverified.map((p) => JSON.stringify(p)).join(', ')}`);
        process.exitCode = 1;
      }
    } finally {
      await (gpus ? gpus.dispose() : backend.dispose());
    }
  });
