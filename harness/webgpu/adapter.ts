// Opens Dawn (npm `webgpu`): the adapter, a device with every limit and useful feature the adapter
// offers, the capabilities read from it, and the device block of results files.
import { createRequire } from 'node:module';
import { create, globals } from 'webgpu';
import { message, UsageError } from '../../core/errors.ts';
import { contentKey } from '../../core/hash.ts';
import type { DeviceInfo } from '../../core/results.ts';
import type { Capabilities } from '../../core/capabilities.ts';

const OPTIONAL_FEATURES: readonly GPUFeatureName[] = ['timestamp-query', 'shader-f16', 'subgroups'];

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

export function adapterInfo(adapter: GPUAdapter): DeviceInfo {
  const info = adapter.info;
  const identity = {
    backend: 'webgpu',
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    dawn: dawnVersion(),
  };
  return {
    backend: 'webgpu',
    // Dawn's `device` is the GPU's own name, sanitized ("nvidia-h200", "llvmpipe-llvm-15-0-6-256-bits-");
    // `description` is the driver's ("NVIDIA: 580.159.04 ..."), which names no GPU on NVIDIA.
    name: info.device.replace(/-+/g, ' ').trim() || info.description || 'unknown adapter',
    vendor: info.vendor || 'unknown',
    driver: `${info.description} (Dawn via npm webgpu ${identity.dawn})`,
    architecture: info.architecture,
    fingerprint: contentKey(identity, 16),
    isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
  };
}

/** Capabilities of the device openDevice will create: every adapter limit and the optional features it has. */
export function readCapabilities(adapter: GPUAdapter): Capabilities {
  const limits = adapter.limits;
  const info = adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number; isFallbackAdapter?: boolean };
  return {
    backend: 'webgpu',
    isCpu: info.architecture === 'software' || info.isFallbackAdapter === true || /llvmpipe|swiftshader|lavapipe/i.test(info.description),
    maxWorkgroupStorageBytes: limits.maxComputeWorkgroupStorageSize,
    maxInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    maxWorkgroupSize: [limits.maxComputeWorkgroupSizeX, limits.maxComputeWorkgroupSizeY, limits.maxComputeWorkgroupSizeZ],
    maxWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    maxStorageBufferBytes: limits.maxStorageBufferBindingSize,
    maxBufferBytes: limits.maxBufferSize,
    maxStorageBuffersPerStage: limits.maxStorageBuffersPerShaderStage,
    shaderF16: adapter.features.has('shader-f16'),
    subgroups: adapter.features.has('subgroups'),
    subgroupMinSize: info.subgroupMinSize,
    subgroupMaxSize: info.subgroupMaxSize,
    timestampQuery: adapter.features.has('timestamp-query'),
  };
}

/** Every numeric limit the adapter supports, so large problems are not refused by defaults. */
function adapterLimits(adapter: GPUAdapter): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(adapter.limits))) {
    const value = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

export async function requestAdapter(): Promise<GPUAdapter> {
  const adapter = await gpu().requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new UsageError(message.noAdapter('Dawn returned no adapter'));
  return adapter;
}

/** A device with every limit of the adapter and each optional feature it offers. */
export async function openDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  return adapter.requestDevice({ requiredFeatures, requiredLimits: adapterLimits(adapter) });
}
