// The WebGPU backend, over any WebGPU implementation (Dawn in Node, navigator.gpu in a browser):
// compiles WGSL into compute pipelines, uploads workloads, runs and times launches with timestamp
// queries around the compute pass (wall clock only where the adapter lacks them), and reads outputs
// back. Failures come back as CompileError / RuntimeError / TimeoutError; a lost device is reported
// to `onDeviceLost` and reopened, with the workload re-uploaded, on next use.
import type { DeviceInfo } from '../../core/results.ts';
import { hostView, type HostArray, type KernelSource, type Workload } from '../../kernels/types.ts';
import {
  CompileError,
  RuntimeError,
  TimeoutError,
  type Backend,
  type Compiled,
  type DeviceBuffers,
  type Timing,
  type TimingBudget,
} from '../backend.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { measure } from '../measure.ts';
import { adapterInfo, adapterLimits, openDevice, readCapabilities, requestAdapter, type WebGpuRuntime } from './adapter.ts';

interface WebGpuCompiled extends Compiled {
  device: GPUDevice;
  pipelines: GPUComputePipeline[];
  /** False until the pipelines' first launch has finished (see firstLaunchCompileMs). */
  launched: boolean;
}

interface WebGpuBuffers extends DeviceBuffers {
  device: GPUDevice;
  gpu: Map<string, GPUBuffer>;
}

export interface WebGpuOptions {
  /** A launch sequence that has not finished after this long is a timeout. */
  launchTimeoutMs: number;
  /**
   * Added to the timeout of a pipeline's first launch. Software drivers (llvmpipe) compile a shader
   * at its first dispatch, not when the pipeline is created: with a cold shader cache on a loaded
   * 2-core machine one f16 decode kernel took ~30 s of CPU, so the compile gets its own budget and a
   * launch that hangs is still caught by launchTimeoutMs once the shader is built.
   */
  firstLaunchCompileMs: number;
  /** Samples shorter than this fold several launches into one timed pass. */
  minSampleMs: number;
  /**
   * Told when the device is lost by anything but this backend's own dispose (a driver reset, a tab
   * that gave up its GPU, a destroy() from outside), so a caller can stop rather than go on.
   */
  onDeviceLost?(reason: string): void;
}

const DEFAULTS: WebGpuOptions = { launchTimeoutMs: 60_000, firstLaunchCompileMs: 600_000, minSampleMs: 0.5 };

/** How long a launch may take: the launch timeout, plus the compile budget on a pipeline's first launch. */
export const launchDeadlineMs = (options: WebGpuOptions, firstLaunch: boolean): number =>
  options.launchTimeoutMs + (firstLaunch ? options.firstLaunchCompileMs : 0);
const MAX_LAUNCHES_PER_SAMPLE = 64;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  readonly language = 'wgsl' as const;
  readonly device: DeviceInfo;
  readonly caps: Capabilities;
  /** Every numeric limit and every feature of the adapter, as it reports them (for display). */
  readonly limits: Readonly<Record<string, number>>;
  readonly features: readonly string[];
  private gpuDevice: GPUDevice | undefined;
  private lost: string | undefined;
  private querySet: GPUQuerySet | undefined;
  private resolveBuffer: GPUBuffer | undefined;
  private readBuffer: GPUBuffer | undefined;
  /** Devices this backend destroyed itself: their loss is no news. */
  private readonly retired = new WeakSet<GPUDevice>();

  /** Only the adapter is opened here: a sweep served wholly from the cache never creates a device. */
  private constructor(
    private readonly runtime: WebGpuRuntime,
    private adapter: GPUAdapter,
    private readonly options: WebGpuOptions,
  ) {
    this.device = adapterInfo(adapter, runtime);
    this.caps = readCapabilities(adapter, runtime);
    this.limits = adapterLimits(adapter);
    this.features = [...adapter.features].sort();
  }

  static async open(runtime: WebGpuRuntime, options: Partial<WebGpuOptions> = {}): Promise<WebGpuBackend> {
    return new WebGpuBackend(runtime, await requestAdapter(runtime), { ...DEFAULTS, ...options });
  }

  private retire(device: GPUDevice): void {
    this.retired.add(device);
    device.destroy();
  }

  /** The device, created on first use and recreated (from a fresh adapter) after a loss. */
  private async live(): Promise<GPUDevice> {
    if (this.gpuDevice && this.lost === undefined) return this.gpuDevice;
    if (this.gpuDevice) {
      this.retire(this.gpuDevice);
      this.adapter = await requestAdapter(this.runtime);
    }
    const device = await openDevice(this.adapter);
    this.gpuDevice = device;
    this.querySet = this.resolveBuffer = this.readBuffer = undefined;
    this.lost = undefined;
    void device.lost.then((info) => {
      if (this.retired.has(device)) return;
      const reason = info.message || `device lost (${info.reason})`;
      if (this.gpuDevice === device) this.lost = reason;
      this.options.onDeviceLost?.(reason);
    });
    return device;
  }

  async compile(source: KernelSource): Promise<Compiled> {
    if (source.language !== 'wgsl') throw new CompileError(`the webgpu backend compiles WGSL, not ${source.language}`);
    const device = await this.live();
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: source.code });
    const info = await module.getCompilationInfo();
    const scopeError = await device.popErrorScope();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0 || scopeError) {
      const text = errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ') || scopeError?.message;
      throw new CompileError(`WGSL compile error: ${text}`);
    }
    const pipelines: GPUComputePipeline[] = [];
    for (const launch of source.launches) {
      try {
        pipelines.push(await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: launch.entryPoint } }));
      } catch (error) {
        throw new CompileError(`pipeline ${launch.entryPoint}: ${(error as Error).message}`);
      }
    }
    const compiled: WebGpuCompiled = { source, device, pipelines, launched: false };
    return compiled;
  }

  async upload(workload: Workload): Promise<DeviceBuffers> {
    const device = await this.live();
    const gpu = new Map<string, GPUBuffer>();
    for (const [name, spec] of Object.entries(workload.buffers)) {
      const size = Math.max(4, Math.ceil(spec.bytes / 4) * 4);
      const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
      const buffer = device.createBuffer({ size, usage, label: name });
      if (spec.data) device.queue.writeBuffer(buffer, 0, spec.data.buffer, spec.data.byteOffset, spec.data.byteLength);
      gpu.set(name, buffer);
    }
    await withTimeout(device.queue.onSubmittedWorkDone(), this.options.launchTimeoutMs, 'upload');
    const buffers: WebGpuBuffers = { workload, device, gpu };
    return buffers;
  }

  /** Buffers and pipelines from a device that has since been replaced are rebuilt on the new one. */
  private async current(compiled: Compiled, buffers: DeviceBuffers): Promise<[WebGpuCompiled, WebGpuBuffers]> {
    const device = await this.live();
    let c = compiled as WebGpuCompiled;
    let b = buffers as WebGpuBuffers;
    if (b.device !== device) Object.assign(b, await this.upload(b.workload));
    if (c.device !== device) Object.assign(c, await this.compile(c.source));
    return [c, b];
  }

  private encodeLaunches(pass: GPUComputePassEncoder, compiled: WebGpuCompiled, buffers: WebGpuBuffers, repeat: number): void {
    const groups = compiled.source.launches.map((launch, index) =>
      compiled.device.createBindGroup({
        layout: compiled.pipelines[index].getBindGroupLayout(0),
        entries: launch.bindings.map((b) => {
          const buffer = buffers.gpu.get(b.buffer);
          if (!buffer) throw new RuntimeError(`kernel binds buffer "${b.buffer}", which the workload does not have`);
          return { binding: b.binding, resource: { buffer } };
        }),
      }),
    );
    for (let r = 0; r < repeat; r++) {
      compiled.source.launches.forEach((launch, index) => {
        pass.setPipeline(compiled.pipelines[index]);
        pass.setBindGroup(0, groups[index]);
        pass.dispatchWorkgroups(...launch.grid);
      });
    }
  }

  private async submit(device: GPUDevice, commands: GPUCommandBuffer, what: string, deadlineMs = this.options.launchTimeoutMs): Promise<void> {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    device.queue.submit([commands]);
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    if (validation || memory) throw new RuntimeError(`${what}: ${(validation ?? memory)?.message}`);
    await withTimeout(device.queue.onSubmittedWorkDone(), deadlineMs, what);
    if (this.lost !== undefined) throw new RuntimeError(`device lost during ${what}: ${this.lost}`);
  }

  async run(compiled: Compiled, buffers: DeviceBuffers): Promise<void> {
    const [c, b] = await this.current(compiled, buffers);
    const encoder = c.device.createCommandEncoder();
    // Outputs start cleared, so a kernel that writes nothing cannot pass on an earlier kernel's output.
    for (const [name, spec] of Object.entries(b.workload.buffers)) if (spec.role !== 'input') encoder.clearBuffer(b.gpu.get(name)!);
    const pass = encoder.beginComputePass();
    this.encodeLaunches(pass, c, b, 1);
    pass.end();
    await this.launch(c, encoder.finish(), 'launch');
  }

  /** Submits launches of `c`; the first ones get the compile budget on top of the launch timeout. */
  private async launch(c: WebGpuCompiled, commands: GPUCommandBuffer, what: string): Promise<void> {
    await this.submit(c.device, commands, what, launchDeadlineMs(this.options, !c.launched));
    c.launched = true;
  }

  async read(buffers: DeviceBuffers, name: string): Promise<HostArray> {
    const b = buffers as WebGpuBuffers;
    const source = b.gpu.get(name);
    if (!source) throw new RuntimeError(`no buffer named "${name}"`);
    const device = b.device;
    const staging = device.createBuffer({ size: source.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, staging, 0, source.size);
    await this.submit(device, encoder.finish(), `read ${name}`);
    await withTimeout(staging.mapAsync(GPUMapMode.READ), this.options.launchTimeoutMs, `map ${name}`);
    const bytes = staging.getMappedRange().slice(0);
    staging.unmap();
    staging.destroy();
    return hostView(b.workload.buffers[name], bytes);
  }

  private timestamps(device: GPUDevice): { querySet: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer } {
    this.querySet ??= device.createQuerySet({ type: 'timestamp', count: 2 });
    this.resolveBuffer ??= device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.readBuffer ??= device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    return { querySet: this.querySet, resolve: this.resolveBuffer, read: this.readBuffer };
  }

  /** One timed pass of `repeat` launch sequences; milliseconds per sequence. */
  private async timedPass(c: WebGpuCompiled, b: WebGpuBuffers, repeat: number): Promise<number> {
    const device = c.device;
    const encoder = device.createCommandEncoder();
    if (!this.caps.timestampQuery) {
      const pass = encoder.beginComputePass();
      this.encodeLaunches(pass, c, b, repeat);
      pass.end();
      const start = performance.now();
      await this.launch(c, encoder.finish(), 'timed launch');
      return (performance.now() - start) / repeat;
    }
    const t = this.timestamps(device);
    const pass = encoder.beginComputePass({ timestampWrites: { querySet: t.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } });
    this.encodeLaunches(pass, c, b, repeat);
    pass.end();
    encoder.resolveQuerySet(t.querySet, 0, 2, t.resolve, 0);
    encoder.copyBufferToBuffer(t.resolve, 0, t.read, 0, 16);
    await this.launch(c, encoder.finish(), 'timed launch');
    await t.read.mapAsync(GPUMapMode.READ);
    const ticks = new BigInt64Array(t.read.getMappedRange().slice(0));
    t.read.unmap();
    const ns = Number(ticks[1] - ticks[0]);
    if (!(ns > 0)) throw new RuntimeError(`timestamp query returned a non-positive duration (${ns} ns)`);
    return ns / 1e6 / repeat;
  }

  async time(compiled: Compiled, buffers: DeviceBuffers, budget: TimingBudget): Promise<Timing> {
    const [c, b] = await this.current(compiled, buffers);
    // Short kernels are folded several to a pass so that pass overhead and timer granularity fade.
    const probe = await this.timedPass(c, b, 1);
    const repeat = Math.min(MAX_LAUNCHES_PER_SAMPLE, Math.max(1, Math.ceil(this.options.minSampleMs / probe)));
    const measured = await measure(() => this.timedPass(c, b, repeat), budget);
    return { ...measured, timer: this.caps.timestampQuery ? 'gpu-timestamp' : 'wall-clock', launchesPerSample: repeat };
  }

  release(buffers: DeviceBuffers): void {
    for (const buffer of (buffers as WebGpuBuffers).gpu.values()) buffer.destroy();
  }

  async dispose(): Promise<void> {
    if (this.gpuDevice) this.retire(this.gpuDevice);
    this.gpuDevice = undefined;
  }
}
