// WebGPU in Node through Dawn (npm `webgpu`): the process's one Dawn instance and the backend on it.
import { createRequire } from 'node:module';
import { create, globals } from 'webgpu';
import type { Backend } from '../backend.ts';
import type { WebGpuRuntime } from './adapter.ts';
import { softwareThreads } from './software-threads.ts';
import { WebGpuBackend, type WebGpuOptions } from './backend.ts';

/** Dawn quantizes timestamps unless told not to; kernel timing wants the raw ticks. */
const DAWN_OPTIONS = ['disable-dawn-features=timestamp_quantization'];

const dawnVersion = (): string => {
  try {
    return (createRequire(import.meta.url)('webgpu/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

let instance: GPU | undefined;

/**
 * The one Dawn instance of the process. It must stay referenced: once collected, Dawn tears down
 * under live adapters and the process aborts. Dawn's WebGPU globals (GPUBufferUsage and friends)
 * are installed with it.
 */
export function gpu(): GPU {
  if (!instance) {
    Object.assign(globalThis, globals);
    if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = '/tmp';
    instance = create(DAWN_OPTIONS);
  }
  return instance;
}

export function dawnRuntime(): WebGpuRuntime {
  const version = dawnVersion();
  return { gpu: gpu(), identity: { dawn: version }, label: `Dawn via npm webgpu ${version}`, hostThreads: softwareThreads() };
}

export const openWebGpu = (options?: Partial<WebGpuOptions>): Promise<Backend> => WebGpuBackend.open(dawnRuntime(), options);

