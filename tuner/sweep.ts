// The sweep loop: a strategy picks configs, each is checked against the space's constraints,
// generated, looked up in the cache, compiled, run, verified against the CPU reference and timed.
// Whatever happens to one config becomes its result row; the sweep always goes on.
import type { Problem, ResultRow, RunRole, RunStatus } from '../core/results.ts';
import { withRates } from '../core/results.ts';
import type { AnyKernelFamily, KernelSource, Workload } from '../kernels/types.ts';
import { CompileError, TimeoutError, type Backend, type Compiled, type DeviceBuffers, type TimingBudget } from '../harness/backend.ts';
import { DEFAULT_BUDGET } from '../harness/measure.ts';
import { cacheKey, type ResultCache } from './cache.ts';
import { explainViolations } from './space.ts';
import { resolveSpace, targetOf, type SpaceChoice } from './spaces.ts';
import { strategyByName } from './strategies/index.ts';
import { STRATEGY_OPTIONS } from './strategies/types.ts';

export interface SweepOptions {
  family: AnyKernelFamily;
  /** The family's problem type (an interface or a record of dimensions). */
  problem: object;
  backend: Backend;
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
  /** Which space to walk (default: the target's default space). */
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
  /** Called after every row, measured or served from the cache. */
  onRow?(row: ResultRow, index: number): void;
  /** Called once the number of configs to evaluate is known (for progress bars). */
  onPlan?(total: number): void;
}

const statusOf = (error: unknown): RunStatus =>
  error instanceof CompileError ? 'compile-error' : error instanceof TimeoutError ? 'timeout' : 'runtime-error';

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n').join(' ');

export async function runSweep(options: SweepOptions): Promise<ResultRow[]> {
  const { family, problem, backend, cache } = options;
  const caps = backend.caps;
  family.checkProblem(problem, caps);
  const target = targetOf(family, backend.language);
  const search = resolveSpace({ family, target, problem, caps, choice: options.space, params: options.params });
  const space = search.space;
  const dataSeed = options.dataSeed ?? 1;
  const timing = options.timing ?? DEFAULT_BUDGET;
  const rows: ResultRow[] = [];
  const base = { kernel: family.name, problem: problem as Problem, role: options.role ?? 'candidate', flops: family.flops(problem), bytes: family.bytes(problem) } as const;
  // Inputs are built and uploaded only when a config actually has to run.
  let buffers: DeviceBuffers | undefined;
  let workload: Workload | undefined;

  const record = (row: ResultRow): ResultRow => {
    rows.push(row);
    options.onRow?.(row, rows.length - 1);
    return row;
  };

  // The reference's compiled kernel, once its own row has run and verified.
  let referenceCompiled: Compiled | undefined;

  const measureConfig = async (config: object, source: KernelSource, isReference = false): Promise<ResultRow> => {
    const row: ResultRow = { ...base, config: config as ResultRow['config'], status: 'ok' };
    try {
      const compiled = await backend.compile(source);
      workload ??= (target.workload ?? family.workload)(problem, dataSeed);
      buffers ??= await backend.upload(workload);
      await backend.run(compiled, buffers);
      const outputs = Object.fromEntries(
        await Promise.all(
          Object.entries(workload.buffers)
            .filter(([, spec]) => spec.role === 'output')
            .map(async ([name]) => [name, await backend.read(buffers!, name)] as const),
        ),
      );
      row.verified = target.verify(problem, workload, outputs, config);
      if (!row.verified.ok) {
        return { ...row, status: 'mismatch', error: `output differs from the CPU reference (max abs error ${row.verified.maxAbsErr.toPrecision(3)}, ${row.verified.failures} of ${row.verified.checked} checked elements out of tolerance)` };
      }
      if (isReference) referenceCompiled = compiled;
      else if (referenceCompiled && options.reference) {
        const adjacent = await backend.time(referenceCompiled, buffers, timing);
        row.adjacentReference = { config: options.reference as ResultRow['config'], medianMs: adjacent.medianMs };
      }
      const timed = await backend.time(compiled, buffers, timing);
      return withRates({ ...row, ...timed });
    } catch (error) {
      return { ...row, status: statusOf(error), error: errorText(error) };
    }
  };

  const generate = (config: object): KernelSource => target.source(problem, config, caps);

  /** The reference is always measured now, never served from the cache: it stands for this run's machine state. */
  const measureReference = async (config: object): Promise<ResultRow> => {
    const broken = search.violations(config);
    if (broken.length > 0) return record({ ...base, role: 'baseline', reference: true, config: config as ResultRow['config'], status: 'invalid', error: explainViolations(space, config) });
    try {
      return record({ ...(await measureConfig(config, generate(config), true)), role: 'baseline', reference: true });
    } catch (error) {
      return record({ ...base, role: 'baseline', reference: true, config: config as ResultRow['config'], status: 'compile-error', error: errorText(error) });
    }
  };

  const evaluate = async (config: object): Promise<ResultRow> => {
    const broken = search.violations(config);
    if (broken.length > 0) {
      return record({ ...base, config: config as ResultRow['config'], status: 'invalid', error: explainViolations(space, config) });
    }
    let source: KernelSource;
    try {
      source = generate(config);
    } catch (error) {
      return record({ ...base, config: config as ResultRow['config'], status: 'compile-error', error: errorText(error) });
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
    const row = { ...(await measureConfig(config, source)), key };
    cache?.put(key, row);
    return record(row);
  };

  const referenceRows = options.reference ? 1 : 0;
  const strategy = options.configs ? undefined : strategyByName(options.strategy ?? 'exhaustive');
  const budget = options.budget ?? STRATEGY_OPTIONS.budget.default;
  const validCount = () => search.all.filter((c) => search.violations(c).length === 0).length;
  // Rows this sweep will record, announced before the first one (progress bars size themselves on it).
  const planned = !strategy
    ? options.configs!.length
    : strategy.name === 'exhaustive'
      ? Math.min(search.all.length, search.all.length - validCount() + budget)
      : Math.min(validCount(), budget);
  options.onPlan?.(referenceRows + planned);
  try {
    if (options.reference) await measureReference(options.reference);
    if (!strategy) {
      for (const config of options.configs!) await evaluate(config);
    } else {
      await strategy.tune(search, evaluate, { budget, seed: options.seed ?? STRATEGY_OPTIONS.seed.default });
    }
  } finally {
    if (buffers) backend.release(buffers);
  }
  return rows;
}

/** Ok candidate rows (not the reference, baselines or peers), fastest first. */
export const rankRows = (rows: readonly ResultRow[]): ResultRow[] =>
  rows.filter((r) => r.status === 'ok' && r.medianMs !== undefined && r.role === 'candidate').sort((x, y) => x.medianMs! - y.medianMs!);
