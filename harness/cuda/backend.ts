// The CUDA backend: the Backend seam over a runner process. Sources compile to cubins here (nvcc,
// content-keyed cache, in parallel through `prepare`); the runner loads them, owns the buffers,
// launches and times. A runner that dies or hangs fails only the row in flight: the next call
// starts a new one and loads modules and inputs again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { message, UsageError } from '../../core/errors.ts';
import { contentKey } from '../../core/hash.ts';
import type { DeviceInfo } from '../../core/results.ts';
import { hostView, type HostArray, type KernelSource, type Workload } from '../../kernels/types.ts';
import { CompileError, RuntimeError, TimeoutError, type Backend, type Compiled, type DeviceBuffers, type Timing, type TimingBudget } from '../backend.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { summarize } from '../measure.ts';
import { compileAll, compileCubin, type CompileOutcome, type PtxasReport } from './compile.ts';
import { cudaCapabilities, cudaDeviceInfo, type RunnerHello } from './device.ts';
import { energyMeasurement, launchesFor, type EnergyBudget, type EnergyMeasurement, type EnergyReply } from './energy.ts';
import { buildRunner } from './runner-build.ts';
import { RunnerDied, RunnerProcess, type RunnerReply } from './runner-process.ts';
import { isCudaSource, type CudaKernelSource, type OutputType } from '../../kernels/cuda-source.ts';
import { cudaCacheDir, findNvcc, type Nvcc } from './toolchain.ts';
import { readBytesSync, writeBytesSync } from './large-file.ts';
import { RUNNER_WRAP_VARIABLE, runnerCommand } from './runner-wrap.ts';
import { widenOutput } from './widen.ts';

export interface CudaBackendOptions {
  cacheDir?: string;
  /** A launch running longer than this is a timeout (the runner is restarted). */
  launchLimitMs?: number;
  /** Replay timed launches through a CUDA graph. */
  graph?: boolean;
  /** Where to look for nvcc, in order (default: $NVCC, PATH, $CUDA_HOME/bin, /usr/local/cuda/bin). */
  nvccPaths?: readonly string[];
  /**
   * The GPU to drive (a device ordinal, as nvidia-smi numbers them): given to the runner as
   * TILESWEEP_CUDA_DEVICE, which leaves CUDA_VISIBLE_DEVICES alone so that NVML (energy, clocks, found
   * by PCI bus id) and the device's own ordinal stay those of the host. Absent: GPU 0, unrecorded.
   */
  ordinal?: number;
}

interface CudaCompiled extends Compiled {
  readonly source: CudaKernelSource;
  readonly cubin: string;
  readonly report: PtxasReport;
  module?: { generation: number; id: number };
}

interface CudaBuffers extends DeviceBuffers {
  readonly id: string;
  readonly files: Readonly<Record<string, string>>;
  generation: number;
  outputTypes: Readonly<Record<string, OutputType>>;
}

let uploads = 0;

export class CudaBackend implements Backend {
  readonly name = 'cuda' as const;
  readonly language = 'cuda' as const;
  private readonly scratch = mkdtempSync(join(tmpdir(), 'tilesweep-cuda-'));

  constructor(
    readonly device: DeviceInfo,
    readonly caps: Capabilities,
    private readonly nvcc: Nvcc,
    private readonly runner: RunnerProcess,
    private readonly options: Required<Omit<CudaBackendOptions, 'nvccPaths' | 'ordinal'>>,
  ) {}

  /**
   * Whether this GPU can run nothing more: a runner that died (a fault) is restarted here, and the
   * GPU is lost when the new runner cannot open its device (fallen off the bus, driver gone).
   */
  async lost(): Promise<boolean> {
    if (this.runner.alive) return false;
    try {
      const reply = await this.runner.request({ op: 'hello' }, 60000);
      return !reply.ok;
    } catch {
      return true;
    }
  }

  /** Compiles many sources at once (parallel nvcc); later `compile` calls of the same code hit the cache. */
  prepare(sources: readonly KernelSource[]): Promise<CompileOutcome[]> {
    return compileAll(this.nvcc, sources.filter(isCudaSource), this.options.cacheDir);
  }

  async compile(source: KernelSource): Promise<CudaCompiled> {
    if (!isCudaSource(source)) throw new CompileError('the CUDA backend runs CUDA sources with a parameter list per launch');
    const outcome = await compileCubin(this.nvcc, source, this.options.cacheDir);
    if (!outcome.ok) throw new CompileError(outcome.error);
    return { source, cubin: outcome.cubin, report: outcome.report };
  }

  async upload(workload: Workload): Promise<CudaBuffers> {
    const id = `u${++uploads}`;
    const files: Record<string, string> = {};
    for (const [name, spec] of Object.entries(workload.buffers)) {
      if (!spec.data) continue;
      files[name] = join(this.scratch, `${id}-${name}.bin`);
      writeBytesSync(files[name], spec.data);
    }
    const buffers: CudaBuffers = { workload, id, files, generation: -1, outputTypes: {} };
    await this.ensureBuffers(buffers);
    return buffers;
  }

  async run(compiled: Compiled, buffers: DeviceBuffers): Promise<void> {
    const c = compiled as CudaCompiled;
    const b = buffers as CudaBuffers;
    const module = await this.ensureModule(c, b);
    const outputs = Object.entries(b.workload.buffers).filter(([, s]) => s.role === 'output').map(([n]) => `${b.id}:${n}`);
    await this.call({ op: 'run', module, launches: this.launches(c, b), poison: outputs, limitMs: this.options.launchLimitMs });
    b.outputTypes = c.source.outputTypes ?? {};
  }

  async read(buffers: DeviceBuffers, name: string): Promise<HostArray> {
    const b = buffers as CudaBuffers;
    if (b.generation !== this.runner.generation || !this.runner.alive) throw new RuntimeError('the CUDA runner restarted: outputs were lost');
    const file = join(this.scratch, `${b.id}-${name}.out`);
    await this.call({ op: 'read', name: `${b.id}:${name}`, file });
    const bytes = readBytesSync(file);
    rmSync(file, { force: true });
    const spec = b.workload.buffers[name];
    if (spec?.data && !(spec.data instanceof Float32Array)) {
      const Ctor = spec.data.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => HostArray;
      return new Ctor(bytes, 0, bytes.byteLength / 4);
    }
    // An output the workload names as integer words (a copy's destination) is read back as them, not widened.
    if (spec?.elementType === 'u32' || spec?.elementType === 'i32') return hostView(spec, bytes, 0, bytes.byteLength);
    return widenOutput(new Uint32Array(bytes, 0, bytes.byteLength >> 2), b.outputTypes[name] ?? 'f32');
  }

  async time(compiled: Compiled, buffers: DeviceBuffers, budget: TimingBudget): Promise<Timing> {
    const estimate = await this.probe(compiled, buffers, budget.warmupIterations);
    const samples = Math.max(budget.minSamples, Math.min(budget.maxSamples, Math.round(budget.timeMs / Math.max(estimate, 1e-3))));
    // Settling: as many back-to-back launches as fill settleMs at the probe's pace.
    const settle = budget.settleMs ? launchesFor(budget.settleMs, estimate) : 1;
    const samplesMs = (await this.timeRequest(compiled, buffers, samples, settle)).samplesMs as number[];
    return { ...summarize(samplesMs, relativeMarginOfError(samplesMs)), timer: 'cuda-event', launchesPerSample: 1 };
  }

  /**
   * Joules per launch in the sustained state (harness/cuda/energy.ts): settleMs of untimed launches,
   * then spanMs of back-to-back launches inside NVML's energy counter. Throws RuntimeError where the
   * driver has no NVML or the GPU no energy counter.
   */
  async energy(compiled: Compiled, buffers: DeviceBuffers, budget: EnergyBudget): Promise<EnergyMeasurement> {
    const c = compiled as CudaCompiled;
    const b = buffers as CudaBuffers;
    const estimate = await this.probe(compiled, buffers, 1);
    const module = await this.ensureModule(c, b);
    const reply = await this.call({
      op: 'energy', module, launches: this.launches(c, b), graph: this.options.graph, limitMs: this.options.launchLimitMs,
      settle: launchesFor(budget.settleMs, estimate), count: launchesFor(budget.spanMs, estimate),
    });
    return energyMeasurement(reply as unknown as EnergyReply);
  }

  /** The middle of three flushed samples: the pace that sizes settling and spans. */
  private async probe(compiled: Compiled, buffers: DeviceBuffers, warmup: number): Promise<number> {
    const probe = (await this.timeRequest(compiled, buffers, 3, warmup)).samplesMs as number[];
    return [...probe].sort((x, y) => x - y)[1];
  }

  private async timeRequest(compiled: Compiled, buffers: DeviceBuffers, samples: number, warmup: number): Promise<RunnerReply> {
    const c = compiled as CudaCompiled;
    const b = buffers as CudaBuffers;
    const module = await this.ensureModule(c, b);
    return this.call({ op: 'time', module, launches: this.launches(c, b), samples, warmup, flushL2: true, graph: this.options.graph, limitMs: this.options.launchLimitMs });
  }

  release(buffers: DeviceBuffers): void {
    const b = buffers as CudaBuffers;
    if (b.generation === this.runner.generation && this.runner.alive) {
      void this.runner.request({ op: 'free', names: Object.keys(b.workload.buffers).map((n) => `${b.id}:${n}`) }, 30000).catch(() => undefined);
    }
    for (const file of Object.values(b.files)) rmSync(file, { force: true });
  }

  async dispose(): Promise<void> {
    await this.runner.close();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  /** The launches as the runner reads them, buffer names qualified by upload. */
  private launches(c: CudaCompiled, b: CudaBuffers): unknown[] {
    return c.source.launches.map((l) => ({
      ...l,
      params: l.params.map((p) => ('buffer' in p ? { ...p, buffer: `${b.id}:${p.buffer}` } : p)),
    }));
  }

  private async ensureBuffers(b: CudaBuffers): Promise<void> {
    // A dead runner is restarted (and greeted) by the next request; `alive` is false from then on.
    if (b.generation === this.runner.generation && this.runner.alive) return;
    const list = Object.entries(b.workload.buffers).map(([name, spec]) => ({ name: `${b.id}:${name}`, bytes: spec.bytes, file: b.files[name] }));
    await this.call({ op: 'alloc', buffers: list });
    b.generation = this.runner.generation;
  }

  private async ensureModule(c: CudaCompiled, b: CudaBuffers): Promise<number> {
    await this.ensureBuffers(b);
    if (c.module?.generation === this.runner.generation && this.runner.alive) return c.module.id;
    const reply = await this.call({ op: 'load', cubin: c.cubin });
    c.module = { generation: this.runner.generation, id: reply.module as number };
    return c.module.id;
  }

  /** One request; a failed reply or a dead runner becomes the Backend's error types. */
  private async call(body: Record<string, unknown>): Promise<RunnerReply> {
    let reply: RunnerReply;
    try {
      reply = await this.runner.request(body, this.options.launchLimitMs * 4 + 60000);
    } catch (error) {
      if (error instanceof RunnerDied) throw error.status === 'timeout' ? new TimeoutError(error.message) : new RuntimeError(error.message);
      throw error;
    }
    if (reply.ok) return reply;
    const text = reply.error ?? 'unknown runner error';
    if (reply.status === 'compile-error') throw new CompileError(text);
    if (reply.status === 'timeout') throw new TimeoutError(text);
    throw new RuntimeError(text);
  }
}

export function relativeMarginOfError(samples: readonly number[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mean = samples.reduce((s, x) => s + x, 0) / n;
  const variance = samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return ((1.96 * Math.sqrt(variance / n)) / mean) * 100;
}

/**
 * Opens the CUDA backend: finds nvcc, builds the runner, starts it and reads the device. Throws
 * UsageError (exit code 2, one line) when nvcc, the driver or a GPU is missing.
 */
export async function openCuda(options: CudaBackendOptions = {}): Promise<CudaBackend> {
  const nvcc = options.nvccPaths ? findNvcc(options.nvccPaths) : findNvcc();
  if ('missing' in nvcc) throw new UsageError(message.noCuda(nvcc.missing));
  const full: Required<Omit<CudaBackendOptions, 'nvccPaths' | 'ordinal'>> = {
    cacheDir: options.cacheDir ?? cudaCacheDir(),
    launchLimitMs: options.launchLimitMs ?? 5000,
    graph: options.graph ?? true,
  };
  let binary: string;
  try {
    binary = await buildRunner(nvcc, full.cacheDir);
  } catch (error) {
    throw new UsageError(message.noCuda(`building the runner failed: ${firstLine(error)}`));
  }
  const ordinal = options.ordinal;
  // Under a wrapper such as compute-sanitizer where the environment names one (runner-wrap.ts).
  const { command, args } = runnerCommand(binary, process.env[RUNNER_WRAP_VARIABLE]);
  const runner = new RunnerProcess(command, undefined, undefined, {
    args,
    ...(ordinal === undefined ? {} : { label: `CUDA runner of GPU ${ordinal}`, env: { TILESWEEP_CUDA_DEVICE: String(ordinal) } }),
  });
  let hello: RunnerReply;
  try {
    hello = await runner.request({ op: 'hello' }, 60000);
  } catch (error) {
    throw new UsageError(message.noCuda(firstLine(error)));
  }
  if (!hello.ok) {
    runner.kill();
    throw new UsageError(message.noCuda(String(hello.error)));
  }
  const info = hello as unknown as RunnerHello;
  const device = { ...cudaDeviceInfo(info, nvcc.version, contentKey), ...(ordinal === undefined ? {} : { gpu: ordinal, gpusOnHost: info.deviceCount }) };
  return new CudaBackend(device, cudaCapabilities(info), nvcc, runner, full);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((l) => l.trim()) ?? text;
}
