// `tilesweep bench <kernel>`: the tuned config (best of a sweep, served from the cache when already
// measured, or the fastest verified row of a results file) measured again with the full timing
// budget; with --peers, the libraries it is compared with in the same call (cuBLASLt, cuBLAS BF16
// through the runner; torch, DeepGEMM through the external-peer protocol), each verified against the
// same reference, in --interleave R alternating rounds; with --baselines, for mla-decode the tuned
// MHA decode at the same model size and the plain gpu.js version of the kernel. Writes one results file.
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { message, UsageError } from '../../core/errors.ts';
import { stableStringify } from '../../core/hash.ts';
import { readResults, writeResults } from '../../core/results-file.ts';
import { resultsFile } from '../../core/results.ts';
import type { ResultRow } from '../../core/results.ts';
import type { Backend, TimingBudget } from '../../harness/backend.ts';
import { DEFAULT_BUDGET } from '../../harness/measure.ts';
import { BACKEND_CHOICES, languageOf, openBackend, parseBackendChoice } from '../../harness/open-backend.ts';
import { rowElementTypes } from '../../kernels/element-types.ts';
import { mhaDecode } from '../../kernels/mha-decode/index.ts';
import { decodeComparison, kvComparison, mhaPeer, type DecodeComparison } from '../../kernels/mla-decode/compare.ts';
import type { MlaProblem } from '../../kernels/mla-decode/problem.ts';
import { families, familyByName } from '../../kernels/registry.ts';
import type { AnyKernelFamily, AnyTarget, Peer } from '../../kernels/types.ts';
import { peerRatios } from '../../reports/compare/peer-ratios.ts';
import { roofShares } from '../../reports/model/roof-shares.ts';
import { defaultCacheDir, ResultCache } from '../../tuner/cache.ts';
import { measureSideBySide, ourSide, peerSide, type Side } from '../../tuner/side-by-side.ts';
import { parseSpaceChoice } from '../../tuner/space-file.ts';
import { checkSpaceChoice, targetOf, type SpaceChoice } from '../../tuner/spaces.ts';
import { rankRows, runSweep, tunedChoice } from '../../tuner/sweep.ts';
import { chooseProblem, namedProblems, parseNonNegativeInt, parsePositiveInt } from '../options.ts';
import { checkOutputs } from '../outputs.ts';
import { checkGpus, gpuLines, gpuRecord, openGpuSlots } from '../gpus.ts';
import { GpuPool } from '../../tuner/gpu-pool.ts';
import { perGpu } from '../../tuner/per-gpu.ts';
import { formatMs, formatRate, statusCounts } from '../print.ts';
import { newCall } from '../provenance.ts';
import { version } from '../version.ts';

interface BenchFlags {
  backend: string;
  preset?: string;
  shape?: string;
  config: string;
  space?: string;
  baselines: boolean;
  peers?: string;
  interleave: number;
  settleMs?: number;
  energyMs?: number;
  strategy?: string;
  budget?: number;
  out?: string;
  cache?: string | false;
  timeMs: number;
  json: boolean;
  gpus?: string;
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

/** Every peer name any target of the family knows (checked before a device opens). */
const knownPeers = (family: AnyKernelFamily): string[] => [...new Set(Object.values(family.targets).flatMap((t) => (t as AnyTarget).peers?.map((p) => p.name) ?? []))];

/** `--peers a,b` or `all`: names checked against the family's peers (then against the backend's target). */
function parsePeers(family: AnyKernelFamily, text: string | undefined): string[] {
  if (text === undefined) return [];
  const known = knownPeers(family);
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return known;
  for (const name of names) if (!known.includes(name)) throw new UsageError(message.unknownPeer(family.name, 'any backend', name, known));
  return names;
}

function peersOf(family: AnyKernelFamily, target: AnyTarget, language: string, names: readonly string[]): Peer<object>[] {
  const mine = target.peers ?? [];
  return names.map((name) => {
    const peer = mine.find((p) => p.name === name);
    if (!peer) throw new UsageError(message.unknownPeer(family.name, language, name, mine.map((p) => p.name)));
    return peer;
  });
}

/** The default space of a `best` search: the target's candidates where it has them. */
const benchSpace = (target: AnyTarget, choice?: SpaceChoice): SpaceChoice =>
  choice ?? (target.candidates ? { kind: 'named', name: 'candidates' } : { kind: 'named', name: 'default' });

/**
 * The config to benchmark: the stable winner, else the fastest verified row, of --config FILE for this kernel and problem, or
 * the best of a sweep (served from the cache when already measured). A file without the benchmarked
 * kernel is an error; a baseline it lacks (MHA next to MLA) is tuned here.
 */
async function chooseConfig(ctx: Context, family: AnyKernelFamily, problem: object, baseline: boolean, space?: SpaceChoice): Promise<object | undefined> {
  const target = targetOf(family, ctx.backend.language);
  if (ctx.flags.config !== 'best') {
    const wanted = stableStringify(problem);
    const mine = readResults(ctx.flags.config).runs.filter((r) => r.kernel === family.name && stableStringify(r.problem) === wanted && r.verified?.ok);
    // The stable winner where the tuning re-measured its top configs (tune --remeasure), so that two
    // tunings bench the same kernel; else the fastest verified row.
    const chosen = tunedChoice(mine);
    if (chosen) return target.parseConfig ? target.parseConfig(chosen.config) : chosen.config;
    if (!baseline) throw new UsageError(message.noConfigInFile(ctx.flags.config, family.name, wanted));
  }
  const choice = baseline ? undefined : benchSpace(target, space);
  const listed = choice?.kind === 'file' || (choice?.kind === 'named' && choice.name === 'candidates');
  const rows = await runSweep({
    family, problem, backend: ctx.backend, space: choice,
    strategy: ctx.flags.strategy ?? (listed ? 'exhaustive' : 'random'), budget: ctx.flags.budget ?? (listed ? undefined : DEFAULT_TUNE_BUDGET), cache: ctx.cache,
    timing: { ...DEFAULT_BUDGET, timeMs: Math.min(ctx.timing.timeMs, DEFAULT_BUDGET.timeMs), ...(ctx.timing.settleMs ? { settleMs: ctx.timing.settleMs } : {}) },
  });
  const best = rankRows(rows)[0];
  if (!best) process.stderr.write(`tilesweep: no ${family.name} config ran and verified on ${ctx.backend.name} (${statusCounts(rows)})\n`);
  return best?.config;
}

/** A baseline's chosen config measured again, now, with the full timing budget (never from the cache). */
async function measureBaseline(ctx: Context, family: AnyKernelFamily, problem: object): Promise<ResultRow | undefined> {
  const config = await chooseConfig(ctx, family, problem, true);
  if (!config) return undefined;
  const [row] = await runSweep({ family, problem, backend: ctx.backend, configs: [config], timing: ctx.timing, role: 'baseline' });
  return row;
}

/**
 * The gpu.js baseline, where the family has one. gpu.js is loaded only here (it is large and some
 * machines lack it): failing to load or open it is a failed baseline row, not a failed bench.
 */
async function gpuJsRow(family: AnyKernelFamily, problem: object, timing: TimingBudget): Promise<ResultRow | undefined> {
  try {
    const { hasGpuJsBaseline, measureGpuJsBaseline } = await import('../../harness/gpujs/baseline.ts');
    if (!hasGpuJsBaseline(family)) return undefined;
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

const isSide = (value: Side | ResultRow): value is Side => 'time' in value;

function printRows(rows: readonly ResultRow[]): void {
  for (const r of rows) {
    const time = r.medianMs !== undefined ? `${formatMs(r.medianMs).padStart(10)}  ${(r.flops > 0 ? formatRate(r.flops / (r.medianMs / 1e3)) : `${(r.bytes / (r.medianMs / 1e3) / 1e9).toFixed(1)} GB/s`).padStart(15)}` : `${r.status.padStart(10)}`;
    const verified = r.verified ? (r.verified.ok ? 'verified' : 'NOT verified') : '';
    const what = r.role === 'peer' ? `${r.config.library} (${r.config.via})` : Object.entries(r.config).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`${r.role.padEnd(9)} ${r.kernel.padEnd(12)} ${time}  ${verified.padEnd(12)} ${what}${r.error ? `: ${r.error}` : ''}`);
  }
}

function printComparison(c: DecodeComparison | ReturnType<typeof kvComparison>): void {
  console.log(
    `KV cache per token per layer: MLA ${c.mlaElementsPerToken} elements = ${c.mlaBytesPerToken} bytes${c.mlaCache === 'fp8' ? ' (FP8 latent rows)' : ''}, ` +
      `MHA ${c.mhaElementsPerToken} elements = ${c.mhaBytesPerToken} bytes (${c.elementBytes}-byte elements; MHA/MLA ${c.cacheRatio.toFixed(1)}x)`,
  );
  if ('timeRatio' in c) {
    console.log(`measured: MLA ${formatMs(c.mlaMedianMs)}, MHA ${formatMs(c.mhaMedianMs)}: MHA/MLA time ratio ${c.timeRatio.toFixed(2)}x`);
  }
}

interface ProblemBench {
  family: AnyKernelFamily;
  target: AnyTarget;
  problem: object;
  peers: readonly Peer<object>[];
  space?: SpaceChoice;
}

/** One problem: our chosen config and the peers side by side, then the baselines. Rows: ours first. */
async function benchProblem(ctx: Context, { family, target, problem, peers, space }: ProblemBench): Promise<{ rows: ResultRow[]; comparison?: DecodeComparison }> {
  const { backend, flags, timing } = ctx;
  const rows: ResultRow[] = [];
  const config = await chooseConfig(ctx, family, problem, false, space);
  const options = { family, target, problem, backend, timing };
  const prepared = [...(config ? [await ourSide(options, config)] : []), ...(await Promise.all(peers.map((peer) => peerSide(options, peer))))];
  const sides = prepared.filter(isSide);
  const measured = await measureSideBySide(sides, { rounds: flags.interleave, ...(flags.energyMs ? { energy: { spanMs: flags.energyMs, settleMs: flags.settleMs ?? 200 } } : {}) });
  for (const side of sides) await side.dispose();
  // Rows in the order asked: ours, then each peer; failed ones keep their reason.
  let next = 0;
  for (const entry of prepared) rows.push(isSide(entry) ? measured[next++] : entry);
  const candidate = config ? rows[0] : undefined;
  let comparison: DecodeComparison | undefined;
  if (flags.baselines && family.name === 'mla-decode') {
    const mla = problem as unknown as MlaProblem;
    const mha = await measureBaseline(ctx, mhaDecode, mhaPeer(mla));
    if (mha) rows.push({ ...mha, comparedWith: 'mla-decode' });
    if (candidate?.medianMs !== undefined && mha?.medianMs !== undefined) comparison = decodeComparison(mla, candidate.medianMs, mha.medianMs, rowElementTypes(candidate.config).cache);
  }
  if (flags.baselines) {
    const row = await gpuJsRow(family, problem, timing);
    if (row) rows.push(row);
  }
  return { rows, ...(comparison ? { comparison } : {}) };
}

function printProblem(family: AnyKernelFamily, problem: object, backend: Backend, flags: BenchFlags, rows: readonly ResultRow[], comparison?: DecodeComparison): void {
  console.log(`${family.name} ${JSON.stringify(problem)} on ${backend.device.name} (${backend.name})${flags.interleave ? `, ${flags.interleave} alternating rounds` : ''}`);
  printRows(rows);
  for (const r of peerRatios(rows)) {
    const spread = r.spread ? ` (${r.rounds} rounds: ${r.spread.min.toFixed(3)}-${r.spread.max.toFixed(3)})` : '';
    console.log(`${r.peer} time / ours: ${r.ratio.toFixed(3)}${spread}`);
  }
  for (const s of roofShares(rows.map((r) => ({ ...r, call: '' })))) {
    const unit = s.kind === 'memory' ? 'bytes/s' : 'FLOP/s';
    console.log(`ours ${s.measure} ${unit} / ${s.roofLabel}'s (${s.roof}, same call): ${s.share.toFixed(3)}`);
  }
  if (family.name === 'mla-decode' && flags.baselines) printComparison(comparison ?? kvComparison(problem as unknown as MlaProblem, rows[0]?.role === 'candidate' ? rowElementTypes(rows[0].config).cache : undefined));
  const tuned = rows[0]?.role === 'candidate' ? rows[0].medianMs : undefined;
  for (const r of rows.filter((x) => x.config.implementation === 'gpu.js' && x.medianMs !== undefined && tuned !== undefined)) {
    console.log(`gpu.js (${r.config.mode} mode) / tuned time ratio ${(r.medianMs! / tuned!).toFixed(1)}x`);
  }
}

export const benchCommand = new Command('bench')
  .description('measure the tuned config of a kernel and, in the same call, the peers and baselines it is compared with')
  .argument('<kernel>', `kernel family: ${Object.keys(families).join(', ')}`)
  .addOption(new Option('--backend <name>', 'auto, webgpu or cuda').default('auto').choices(BACKEND_CHOICES))
  .option('--preset <names>', 'named problems (see the family presets): one, a comma list, or patterns with *')
  .option('--shape <dims>', 'problem dimensions, e.g. B=2,H=16,L=200; several with ; between them')
  .option('--config <best|file>', 'best: the best of a sweep (cached); or a results file to take the fastest verified row from', 'best')
  .option('--space <name|file>', 'the space --config best searches: candidates where the target has them, else default; or full, or a JSON file of configs')
  .option('--peers <list>', 'libraries measured beside ours in the same call, e.g. cublaslt,cublas-bf16,torch,deepgemm (or all)')
  .option('--interleave <rounds>', 'time ours and every peer in this many alternating rounds (0: once each)', parseNonNegativeInt('--interleave'), 0)
  .option('--settle-ms <n>', 'untimed back-to-back launches before each measurement, ms (a power-capped GPU at its sustained clock)', parsePositiveInt('--settle-ms'))
  .option('--energy-ms <n>', 'energy per launch over this many ms of back-to-back launches, in alternating rounds (CUDA: NVML\'s counter)', parsePositiveInt('--energy-ms'))
  .option('--baselines', 'also measure the baselines: MHA at the same size for mla-decode, gpu.js where it exists', false)
  .option('--strategy <name>', 'search strategy for --config best (exhaustive over a list space, else random)')
  .option('--budget <n>', 'configs the --config best search measures', parsePositiveInt('--budget'))
  .option('--out <file>', 'results JSON to write (default out/bench-<kernel>-<problem>.json)')
  .option('--cache <dir>', `result cache directory (default ${defaultCacheDir()})`)
  .option('--no-cache', 'tune from scratch, read and write no cache')
  .option('--time-ms <n>', 'measurement time budget per measured row, ms', parsePositiveInt('--time-ms'), 500)
  .option('--gpus <all|0,1,...>', 'spread the problems over these GPUs, one CUDA runner each; each problem (ours and its peers) stays on one GPU (--backend cuda)')
  .option('--json', 'print the results JSON only')
  .action(async (kernel: string, flags: BenchFlags) => {
    const family = familyByName(kernel);
    if (flags.config.trim() === '') throw new UsageError(message.badConfigChoice(flags.config));
    const named = namedProblems(family, flags.preset, flags.shape);
    const peerNames = parsePeers(family, flags.peers);
    const space = flags.space === undefined ? undefined : parseSpaceChoice(flags.space);
    if (flags.config !== 'best') readResults(flags.config);
    const language = languageOf(parseBackendChoice(flags.backend));
    const gpuChoice = checkGpus(flags.gpus, flags.backend);
    if (language) peersOf(family, targetOf(family, language), language, peerNames);
    if (space) checkSpaceChoice(family, language, space);
    const defaultOut = (problems: readonly object[]) =>
      join('out', `bench-${family.name}-${problems.length === 1 ? problemTag(problems[0]) : `${problems.length}-problems`}.json`);
    const cacheDir = flags.cache === false ? undefined : flags.cache ?? defaultCacheDir();
    checkOutputs({ out: flags.out ?? (named && defaultOut(named)), outDir: 'out', cache: cacheDir });
    const gpus = gpuChoice ? await openGpuSlots(gpuChoice) : undefined;
    const backend = gpus ? gpus.backend : await openBackend(parseBackendChoice(flags.backend));
    try {
      const problems = named ?? [chooseProblem(family, backend.caps, undefined)];
      for (const problem of problems) family.checkProblem(problem, backend.caps);
      const target = targetOf(family, backend.language);
      const peers = peersOf(family, target, backend.language, peerNames);
      const call = newCall(backend.device);
      const cache = cacheDir === undefined ? undefined : new ResultCache(cacheDir, backend.device.fingerprint);
      const timing: TimingBudget = { ...DEFAULT_BUDGET, timeMs: flags.timeMs, maxSamples: 400, ...(flags.settleMs ? { settleMs: flags.settleMs } : {}) };
      const ctx: Context = { backend, cache, flags, timing };
      const out = flags.out ?? defaultOut(problems);
      if (flags.out === undefined && named === undefined) checkOutputs({ out });
      const rows: ResultRow[] = [];
      const comparisons: DecodeComparison[] = [];
      const bench = { kernel: family.name, problems, config: flags.config, space: flags.space ?? null, peers: peerNames, interleave: flags.interleave, settleMs: flags.settleMs ?? null, energyMs: flags.energyMs ?? null, baselines: flags.baselines };
      const file = () => resultsFile(backend.device, rows, version, { bench, calls: { [call.runId]: call }, ...(gpus ? { gpus: gpuRecord(gpus) } : {}), ...(comparisons.length === 1 && problems.length === 1 ? { comparison: comparisons[0] } : comparisons.length ? { comparisons } : {}) });
      let failed = false;
      const finish = (problem: object, device: Backend, problemRows: readonly ResultRow[], comparison?: DecodeComparison): void => {
        if (comparison) comparisons.push(comparison);
        writeResults(out, file());
        if (!problemRows[0] || problemRows[0].role !== 'candidate' || problemRows[0].status !== 'ok') failed = true;
        if (!flags.json) printProblem(family, problem, device, flags, problemRows, comparison);
      };
      if (gpus) {
        // Problems go to the GPUs from one queue; each problem's tuning and rounds stay on its GPU.
        const done: ResultRow[][] = problems.map(() => []);
        const compared = new Map<object, DecodeComparison>();
        await perGpu(problems, new GpuPool(gpus.slots), {
          work: async (problem, slot) => {
            const measured = await benchProblem({ ...ctx, backend: slot.backend }, { family, target, problem, peers, space });
            if (measured.comparison) compared.set(problem, measured.comparison);
            return measured.rows.map((r) => ({ ...r, runId: call.runId }));
          },
          failed: (problem, error) => [{ kernel: family.name, problem: problem as ResultRow['problem'], config: {}, role: 'candidate', status: 'runtime-error', error: error.message, flops: family.flops(problem), bytes: family.bytes(problem), runId: call.runId }],
          onDone: (index, problemRows) => {
            done[index] = [...problemRows];
            rows.length = 0;
            rows.push(...done.flat());
            const slot = gpus.slots.find((s) => s.gpu === problemRows[0]?.gpu);
            finish(problems[index], slot?.backend ?? backend, problemRows, compared.get(problems[index]));
          },
        });
        if (!flags.json) for (const line of gpuLines(gpus, rows)) console.log(line);
      } else {
        for (const problem of problems) {
          const measured = await benchProblem(ctx, { family, target, problem, peers, space });
          measured.rows = measured.rows.map((r) => ({ ...r, runId: call.runId }));
          rows.push(...measured.rows);
          finish(problem, backend, measured.rows, measured.comparison);
        }
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(file())}\n`);
      else console.log(`results: ${out}`);
      if (failed) process.exitCode = 1;
    } finally {
      await (gpus ? gpus.dispose() : backend.dispose());
    }
  });
