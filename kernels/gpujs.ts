// A family's gpu.js target: the same problem written as plain gpu.js kernels, the baseline a
// JavaScript developer gets without templates or tuning. Built once per problem (kernels compiled,
// host data prepared), then run as often as measurement needs; outputs are named as the family names
// them. The runtime (which gpu.js mode, over which device) is the harness's (harness/gpujs/runtime.ts).
import type { HostArray, Workload } from './workload.ts';

/** The gpu.js GPU object, typed as loosely as gpu.js itself is. */
export interface GpuJs {
  createKernel(fn: (...args: any[]) => number, settings: Record<string, unknown>): GpuJsKernel;
  destroy(): unknown;
}
export type GpuJsKernel = (...args: unknown[]) => unknown;

/** What a gpu.js target needs of the runtime: the GPU object and a call that waits for results. */
export interface GpuJsContext {
  gpu: GpuJs;
  /** Calls a kernel and waits for its result (webgpu mode returns Promises). */
  call<T>(kernel: GpuJsKernel, ...args: unknown[]): Promise<T>;
}

export interface GpuJsBaseline {
  /** One call of the kernel(s), uploads and readback included (gpu.js offers no finer timing). */
  run(): Promise<Record<string, HostArray>>;
}

export interface GpuJsTarget<P extends object> {
  build(context: GpuJsContext, problem: P, workload: Workload): GpuJsBaseline;
}
