// `tilesweep tune <kernel>`: a sweep of one kernel family over its config space on one backend,
// printing the top configs and writing the results file (rewritten after every row, atomically).
import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { join } from 'node:path';
import { resultsFile, writeResults } from '../../core/results-file.ts';
import type { ResultRow } from '../../core/results.ts';
import { openBackend, parseBackendChoice, BACKEND_CHOICES } from '../../harness/open-backend.ts';
import { DEFAULT_BUDGET } from '../../harness/measure.ts';
import { familyByName, families } from '../../kernels/registry.ts';
import { defaultCacheDir, ResultCache } from '../../tuner/cache.ts';
import { configFromText, parseParamOverrides } from '../../tuner/space.ts';
import { strategies, strategyByName } from '../../tuner/strategies/index.ts';
import { rankRows, runSweep } from '../../tuner/sweep.ts';
import { chooseProblem, collect, namedProblem, parsePositiveInt } from '../options.ts';
import { checkOutputs } from '../outputs.ts';
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
  reference?: string;
  out?: string;
  cache?: string;
  cacheEnabled: boolean;
  timeMs: number;
  settleMs?: number;
  top: number;
  json: boolean;
}

const problemTag = (problem: object): string =>
  Object.entries(problem)
    .map(([k, v]) => `${k}${v}`)
    .join('-');

export const tuneCommand = new Command('tune')
  .description('sweep a kernel family over its tile configs, verify each, time each, print the best')
  .argument('<kernel>', `kernel family: ${Object.keys(families).join(', ')}`)
  .addOption(new Option('--backend <name>', 'auto, webgpu or cuda').default('auto').choices(BACKEND_CHOICES))
  .option('--preset <name>', 'a named problem (see the family presets)')
  .option('--shape <dims>', 'problem dimensions, e.g. M=128,N=256,K=512')
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
  .option('--top <n>', 'configs to print', parsePositiveInt('--top'), 10)
  .option('--json', 'print the results JSON only')
  .action(async (kernel: string, raw: Record<string, unknown>) => {
    const flags = { ...raw, cacheEnabled: raw.cache !== false, cache: typeof raw.cache === 'string' ? raw.cache : undefined } as TuneFlags;
    const family = familyByName(kernel);
    strategyByName(flags.strategy);
    const params = parseParamOverrides(flags.param);
    // Everything that can be checked without a device is checked before one is opened.
    const named = namedProblem(family, flags.preset, flags.shape);
    const defaultOut = (problem: object) => join('out', `${family.name}-${problemTag(problem)}.json`);
    const cacheDir = flags.cacheEnabled ? flags.cache ?? defaultCacheDir() : undefined;
    checkOutputs({ out: flags.out ?? (named && defaultOut(named)), outDir: 'out', cache: cacheDir });
    const backend = await openBackend(parseBackendChoice(flags.backend));
    try {
      const problem = chooseProblem(family, backend.caps, named);
      const out = flags.out ?? defaultOut(problem);
      if (flags.out === undefined && named === undefined) checkOutputs({ out });
      const cache = cacheDir === undefined ? undefined : new ResultCache(cacheDir, backend.device.fingerprint);
      const bar = process.stderr.isTTY && !flags.json ? new SingleBar({ format: ' {bar} {value}/{total} configs | {status}', stream: process.stderr }) : undefined;
      const rows: ResultRow[] = [];
      const started = performance.now();
      const sweep = { strategy: flags.strategy, budget: flags.budget ?? null, seed: flags.seed, params, reference: flags.reference ?? null, settleMs: flags.settleMs ?? null };
      const file = () => resultsFile(backend.device, rows, version, { sweep });
      const save = () => writeResults(out, file());
      await runSweep({
        family,
        problem,
        backend,
        strategy: flags.strategy,
        budget: flags.budget,
        seed: flags.seed,
        params,
        reference: flags.reference === undefined ? undefined : configFromText(family.name, family.space(problem, backend.caps), flags.reference),
        cache,
        timing: { ...DEFAULT_BUDGET, timeMs: flags.timeMs, ...(flags.settleMs ? { settleMs: flags.settleMs } : {}) },
        onPlan: (total) => bar?.start(total, 0, { status: '' }),
        onRow: (row) => {
          rows.push(row);
          save();
          bar?.increment({ status: `${row.status}${row.medianMs ? ` ${formatMs(row.medianMs)}` : ''}` });
        },
      });
      bar?.stop();
      save();
      const seconds = (performance.now() - started) / 1e3;
      const ranked = rankRows(rows);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(file())}\n`);
      } else {
        const slowest = ranked.at(-1);
        console.log(`${family.name} ${JSON.stringify(problem)} on ${backend.device.name} (${backend.name}), ${flags.strategy} sweep in ${seconds.toFixed(1)} s`);
        console.log(`configs: ${statusCounts(rows)}`);
        if (ranked.length > 0) {
          console.log(topTable(ranked, flags.top));
          if (slowest && ranked.length > 1) console.log(`best is ${(slowest.medianMs! / ranked[0].medianMs!).toFixed(1)}x faster than the slowest valid config`);
        }
        console.log(`results: ${out}`);
      }
      if (ranked.length === 0) {
        if (!flags.json) console.error('tilesweep: no config ran and verified');
        process.exitCode = 1;
      }
    } finally {
      await backend.dispose();
    }
  });
