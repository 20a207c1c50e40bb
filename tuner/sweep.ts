// The sweep loop: a strategy picks configs, each is checked against the space's constraints,
// generated, looked up in the cache, compiled, run, verified against the CPU reference and timed.
// Whatever happens to one config becomes its result row; the sweep always goes on. On a replay
// backend the same loop runs with the recorded row in place of compile, run, verify and time.
import { message, UsageError } from '../core/errors.ts';
import type { Problem, ResultRow, RunRole, RunStatus } from '../core/results.ts';
import { withRates } from '../core/results.ts';
import { withoutMachinePaths } from '../core/machine-paths.ts';
import { rowElementTypes } from '../kernels/element-types.ts';
import type { AnyKernelFamily, AnyTarget, Constraint, KernelSource, Workload } from '../kernels/types.ts';
import { CompileError, TimeoutError, type Backend, type Compiled, type DeviceBuffers, type TimingBudget } from '../harness/backend.ts';
import { DEFAULT_BUDGET } from '../harness/measure.ts';
import { isReplay, type ReplayBackend } from '../harness/replay/backend.ts';
import type { ResultCache } from './cache.ts';
import { GpuPool, NoGpuLeft, type GpuSlot } from './gpu-pool.ts';
import { cacheKey } from './cache-key.ts';
import { budgetShare, planShard, spaceShard, type Shard } from './shard.ts';
import { explainViolations, type SearchSpace } from './space.ts';
import { listSpace, resolveSpace, targetOf, type SpaceChoice } from './spaces.ts';
import { guarded, SweepStopped } from './stop.ts';
import { strategyByName } from './strategies/index.ts';
import { STRATEGY_OPTIONS } from './strategies/types.ts';
import { judgeContenders, STABLE_OPTIONS, type Contender, type StableOptions } from './winners.ts';

export interface SweepOptions {
  family: AnyKernelFamily;
  /** The family's problem type (an interface or a record of dimensions). */
  problem: object;
  /** A device backend, or a replay of recorded results (harness/replay/backend.ts). */
  backend: Backend | ReplayBackend;
  /**
   * Spread the measurements over these GPUs of one kind (one backend each; `backend` is the first's,
   * and gives the space its capabilities and the cache its fingerprint). A planned sweep (exhaustive,
   * random, given configs) keeps every GPU busy with the next config of its plan; an adaptive strategy
   * asks one config at a time and so runs on the lowest-numbered GPU left. Rows record their `gpu`.
   */
  gpus?: readonly GpuSlot[];
  /** Strategy name (tuner/strategies); ignored when `configs` is given. */
  strategy?: string;
  /** Most configs to measure. */
  budget?: number;
  /** Seed of the strategy's random choices. */
  seed?: number;
  /** Seed of the workload's input data. */
  dataSeed?: number;
  /** Evaluate exactly these configs instead of asking a strategy. */
  configs?: readonly object[];
  /**
   * Which space to walk (default: the target's default space). On a replay, `default` is the configs
   * the recording ran for this problem; any other choice is kept to the configs it recorded.
   */
  space?: SpaceChoice;
  /** Narrow the space: parameter name to allowed values (as text). */
  params?: Readonly<Record<string, readonly string[]>>;
  cache?: ResultCache;
  timing?: TimingBudget;
  role?: RunRole;
  /**
   * A fixed config measured first as the run's reference row (`reference: true`) and timed again
   * right before every measured config, whose row then carries `adjacentReference`.
   */
  reference?: object;
  /** Stop asking for configs once this many seconds have passed (on `clock`). */
  timeLimitS?: number;
  /** Milliseconds on a monotonic clock (performance.now); tests inject one. */
  clock?: () => number;
  /** Stop asking for configs after a row for which this holds. */
  stopWhen?(row: ResultRow): boolean;
  /** Evaluate only this shard's part of what the sweep would (tuner/shard.ts). */
  shard?: Shard;
  /**
   * Measure the `top` fastest configs again once the strategy is done and choose among them
   * (tuner/winners.ts); their rows carry `remeasured: true` and `stable`. Absent: no re-measurement.
   */
  stable?: Partial<StableOptions>;
  /** Called once the stable winner is chosen, with every re-measured config judged. */
  onStable?(contenders: readonly Contender[]): void;
  /** Called after every row, measured or served from the cache. */
  onRow?(row: ResultRow, index: number): void;
  /** Called once the number of configs to evaluate is known (for progress bars). */
  onPlan?(total: number): void;
  /**
   * Stops the sweep before its next config (a Stop button, a lost device): runSweep then rejects with
   * the signal's reason, every row recorded so far having gone to onRow.
   */
  signal?: AbortSignal;
}

const statusOf = (error: unknown): RunStatus =>
  error instanceof CompileError ? 'compile-error' : error instanceof TimeoutError ? 'timeout' : 'runtime-error';

const errorText = (error: unknown): string => withoutMachinePaths((error instanceof Error ? error.message : String(error)).split('\n').join(' '));

/** The space a sweep searches: the chosen one on a device; on a replay, what of it the recording ran. */
function sweepSpace(options: SweepOptions, target: AnyTarget): SearchSpace<object> {
  const { family, problem, backend } = options;
  const chosen = options.space ?? { kind: 'named', name: 'default' };
  const resolve = () => resolveSpace({ family, target, problem, caps: backend.caps, choice: chosen, params: options.params });
  if (!isReplay(backend)) return resolve();
  const recorded: Constraint<object> = {
    name: 'recorded',
    why: `the replayed recording (${backend.device.name}) never ran this config for this problem`,
    ok: (config) => backend.recording.row(family.name, problem, config) !== undefined,
  };
  if (chosen.kind === 'named' && chosen.name === 'default') {
    const configs = backend.recording.configs(family.name, problem);
    const known = [...new Set(configs.flatMap((c) => Object.keys(c)))];
    const overrides = Object.entries(options.params ?? {});
    for (const [name] of overrides) if (!known.includes(name)) throw new UsageError(message.replayUnknownParam(name, known));
    return listSpace<object>(configs.filter((c) => overrides.every(([name, values]) => values.includes(String(c[name])))), [recorded]);
  }
  const search = resolve();
  return {
    ...search,
    space: { ...search.space, constraints: [...search.space.constraints, recorded] },
    violations: (config) => [...search.violations(config), ...(recorded.ok(config) ? [] : [recorded.name])],
  };
}

export async function runSweep(options: SweepOptions): Promise<ResultRow[]> {
  const { family, problem, backend, cache } = options;
  const caps = backend.caps;
  family.checkProblem(problem, caps);
  const target = targetOf(family, backend.language);
  const search = sweepSpace(options, target);
  const space = search.space;
  const dataSeed = options.dataSeed ?? 1;
  const timing = options.timing ?? DEFAULT_BUDGET;
  const rows: ResultRow[] = [];
  const base = { kernel: family.name, problem: problem as Problem, role: options.role ?? 'candidate', flops: family.flops(problem), bytes: family.bytes(problem) } as const;
  // A row's compulsory bytes follow the element types its config names (a BF16 output is 2 bytes).
  const rowOf = (config: object) => ({ ...base, config: config as ResultRow['config'], bytes: family.bytes(problem, rowElementTypes(config as ResultRow['config'])) });
  // Inputs are built once and uploaded to a device only when a config actually has to run there.
  const uploaded = new Map<Backend, DeviceBuffers>();
  let workload: Workload | undefined;
  const pool = options.gpus && !isReplay(backend) ? new GpuPool(options.gpus) : undefined;
  // The adjacent reference's compiled kernel belongs to one runner: it cannot follow configs around a pool.
  if (pool && pool.slots.length > 1 && options.reference) throw new UsageError(message.gpusWithout('--reference'));

  const record = (row: ResultRow): ResultRow => {
    rows.push(row);
    options.onRow?.(row, rows.length - 1);
    return row;
  };

  // The reference's compiled kernel, once its own row has run and verified.
  let referenceCompiled: Compiled | undefined;

  const measureOnDevice = async (device: Backend, config: object, source: KernelSource, isReference = false): Promise<ResultRow> => {
    const row: ResultRow = { ...rowOf(config), status: 'ok' };
    try {
      const compiled = await device.compile(source);
      workload ??= (target.workload ?? family.workload)(problem, dataSeed);
      let buffers = uploaded.get(device);
      if (!buffers) {
        buffers = await device.upload(workload);
        uploaded.set(device, buffers);
      }
      await device.run(compiled, buffers);
      const outputs = Object.fromEntries(
        await Promise.all(
          Object.entries(workload.buffers)
            .filter(([, spec]) => spec.role === 'output')
            .map(async ([name]) => [name, await device.read(buffers!, name)] as const),
        ),
      );
      row.verified = target.verify(problem, workload, outputs, config);
      if (!row.verified.ok) {
        return { ...row, status: 'mismatch', error: `output differs from the CPU reference (max abs error ${row.verified.maxAbsErr.toPrecision(3)}, ${row.verified.failures} of ${row.verified.checked} checked elements out of tolerance)` };
      }
      if (isReference) referenceCompiled = compiled;
      else if (referenceCompiled && options.reference) {
        const adjacent = await device.time(referenceCompiled, buffers, timing);
        row.adjacentReference = { config: options.reference as ResultRow['config'], medianMs: adjacent.medianMs };
      }
      const timed = await device.time(compiled, buffers, timing);
      return withRates({ ...row, ...timed });
    } catch (error) {
      return { ...row, status: statusOf(error), error: errorText(error) };
    }
  };

  /** The recorded row in place of a measurement; a config the recording never ran is an invalid row that says so. */
  const replayed = (replay: ReplayBackend, config: object): ResultRow =>
    replay.measured(family.name, problem, config) ?? { ...rowOf(config), status: 'invalid', error: `not in the replayed recording (${replay.device.name})` };

  const generate = (config: object): KernelSource => target.source(problem, config, caps);

  /**
   * Measures on the sweep's device, or on the next free GPU of the pool (the row then says which).
   * A pool with no GPU left fails the row; it is not cached, so a later sweep measures it.
   */
  const onDevice = async (config: object, work: (device: Backend) => Promise<ResultRow>): Promise<ResultRow> => {
    if (!pool) return work(backend as Backend);
    try {
      return await pool.submit(async (slot) => ({ ...(await work(slot.backend)), gpu: slot.gpu }));
    } catch (error) {
      if (!(error instanceof NoGpuLeft)) throw error;
      return { ...rowOf(config), status: 'runtime-error', error: error.message };
    }
  };

  /** Measures a config now (never from the cache), on the device or from the recording. */
  const measure = async (config: object, isReference = false): Promise<ResultRow> => {
    if (isReplay(backend)) return replayed(backend, config);
    let source: KernelSource;
    try {
      source = generate(config);
    } catch (error) {
      return { ...rowOf(config), status: 'compile-error', error: errorText(error) };
    }
    return onDevice(config, (device) => measureOnDevice(device, config, source, isReference));
  };

  /** The reference is always measured now, never served from the cache: it stands for this run's machine state. */
  const measureReference = async (config: object): Promise<ResultRow> => {
    options.signal?.throwIfAborted();
    const broken = search.violations(config);
    if (broken.length > 0) return record({ ...rowOf(config), role: 'baseline', reference: true, status: 'invalid', error: explainViolations(space, config) });
    return record({ ...(await measure(config, true)), role: 'baseline', reference: true });
  };

  const evaluate = async (config: object): Promise<ResultRow> => {
    options.signal?.throwIfAborted();
    const broken = search.violations(config);
    if (broken.length > 0) {
      return record({ ...rowOf(config), status: 'invalid', error: explainViolations(space, config) });
    }
    if (isReplay(backend)) return record({ ...replayed(backend, config), role: base.role });
    let source: KernelSource;
    try {
      source = generate(config);
    } catch (error) {
      return record({ ...rowOf(config), status: 'compile-error', error: errorText(error) });
    }
    const key = cacheKey({
      fingerprint: backend.device.fingerprint,
      kernel: family.name,
      language: source.language,
      code: source.code,
      flags: source.flags ?? [],
      problem,
      config,
      seed: dataSeed,
    });
    const hit = cache?.get(key);
    if (hit) return record({ ...hit, role: base.role, key, cached: true });
    const row = { ...(await onDevice(config, (device) => measureOnDevice(device, config, source))), key };
    cache?.put(key, row);
    return record(row);
  };

  /** The top configs measured again, judged, and recorded with the judgement (tuner/winners.ts). */
  const remeasureTop = async (ask: (config: object) => Promise<ResultRow>, stable: StableOptions): Promise<void> => {
    const top = rankRows(rows).slice(0, stable.top);
    if (top.length < 2) return;
    const again: ResultRow[] = [];
    for (const row of top) {
      options.signal?.throwIfAborted();
      again.push(await ask(row.config));
    }
    const judged = judgeContenders(again, stable.alpha);
    for (const row of again) {
      const verdict = judged.find((c) => c.config === row.config);
      const { cached: _cached, ...fresh } = row;
      record({ ...fresh, role: base.role, remeasured: true, ...(verdict ? { stable: { tiedWithBest: verdict.tiedWithBest, pValue: verdict.pValue, spread: verdict.spread, chosen: verdict.chosen } } : {}) });
    }
    options.onStable?.(judged);
  };

  const referenceRows = options.reference ? 1 : 0;
  const strategy = options.configs ? undefined : strategyByName(options.strategy ?? 'exhaustive');
  const budget = options.budget ?? STRATEGY_OPTIONS.budget.default;
  const model = target.model;
  const strategyOptions = {
    budget,
    seed: options.seed ?? STRATEGY_OPTIONS.seed.default,
    ...(model ? { prior: (config: object) => model.estimate(problem, config, caps).time } : {}),
  };
  const stable = options.stable ? { top: options.stable.top ?? STABLE_OPTIONS.top.default, alpha: options.stable.alpha ?? STABLE_OPTIONS.alpha.default } : undefined;
  // What this sweep evaluates: the given configs, a shard of the strategy's plan, or (an adaptive
  // strategy, sharded) its part of the space with its share of the budget.
  const shard = options.shard;
  const planned = !strategy ? options.configs! : strategy.plan ? strategy.plan(search, strategyOptions) : undefined;
  const configs = planned && shard ? planShard(planned, shard) : planned;
  const searched = shard && !planned ? spaceShard(search, shard) : search;
  const searchOptions = shard && !planned ? { ...strategyOptions, budget: budgetShare(budget, shard) } : strategyOptions;
  const validCount = searched.all.filter((c) => searched.violations(c).length === 0).length;
  // Rows this sweep will record, announced before the first one (progress bars size themselves on it).
  options.onPlan?.(referenceRows + (configs ? configs.length : Math.min(validCount, searchOptions.budget)) + (stable && stable.top > 1 ? stable.top : 0));
  // Both guards start their clocks now: the time limit counts from the start of the sweep.
  const ask = guarded(evaluate, { timeLimitS: options.timeLimitS, clock: options.clock, stopWhen: options.stopWhen });
  const askAgain = guarded(measure, { timeLimitS: options.timeLimitS, clock: options.clock });
  try {
    if (options.reference) await measureReference(options.reference);
    if (configs && pool && pool.slots.length > 1) {
      await inParallel(configs, pool.slots.length, ask);
    } else if (configs) {
      for (const config of configs) await ask(config);
    } else {
      await strategy!.tune(searched, ask, searchOptions);
    }
    if (stable && stable.top > 1) await remeasureTop(askAgain, stable);
  } catch (error) {
    if (!(error instanceof SweepStopped)) throw error;
  } finally {
    for (const [device, buffers] of uploaded) device.release(buffers);
  }
  return rows;
}

/**
 * Asks for the configs of a plan in order, `width` at a time: each of `width` workers takes the next
 * config when its last one is done, so the stop rules (time limit, stop condition) are checked when a
 * config is handed out, as in a sequential sweep. The first error other than SweepStopped is rethrown
 * once every worker has stopped, so no row in flight is lost.
 */
async function inParallel(configs: readonly object[], width: number, ask: (config: object) => Promise<ResultRow>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < configs.length) await ask(configs[next++]);
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(width, configs.length) }, worker));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !(s.reason instanceof SweepStopped));
  if (failed) throw failed.reason;
  const stopped = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (stopped) throw stopped.reason;
}

/** Ok candidate rows (not the reference, baselines or peers), fastest first. */
export const rankRows = (rows: readonly ResultRow[]): ResultRow[] =>
  rows.filter((r) => r.status === 'ok' && r.medianMs !== undefined && r.role === 'candidate' && r.remeasured !== true).sort((x, y) => x.medianMs! - y.medianMs!);

/** The config the stable re-measurement chose, where the rows hold one. */
export const stableChoice = (rows: readonly ResultRow[]): ResultRow | undefined =>
  rows.find((r) => r.remeasured === true && (r.stable as { chosen?: boolean } | undefined)?.chosen === true);

/** The row a tuning stands for: its stable winner where it re-measured its top configs, else its fastest verified row. */
export const tunedChoice = (rows: readonly ResultRow[]): ResultRow | undefined => stableChoice(rows) ?? rankRows(rows)[0];
