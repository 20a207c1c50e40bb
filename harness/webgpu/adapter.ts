// Reads a WebGPU adapter, whichever implementation gave it (Dawn in Node: harness/webgpu/dawn.ts; a
// browser's navigator.gpu): the device block of results files, the capabilities, and a device with
// every limit and useful feature the adapter offers.
import { message, UsageError } from '../../core/errors.ts';
import { contentKey } from '../../core/hash.ts';
import type { DeviceInfo } from '../../core/results.ts';
import type { Capabilities } from '../../core/capabilities.ts';

const OPTIONAL_FEATURES: readonly GPUFeatureName[] = ['timestamp-query', 'shader-f16', 'subgroups'];

/** The WebGPU implementation a backend runs on. */
export interface WebGpuRuntime {
  /** Dawn's GPU object in Node, navigator.gpu in a browser. */
  gpu: GPU;
  /** What identifies the implementation in the device fingerprint: `{ dawn: "0.3.0" }`, `{ browser: "Chromium 156" }`. */
  identity: Readonly<Record<string, string>>;
  /** How the driver field names it: "Dawn via npm webgpu 0.3.0", "Chromium 156 WebGPU". */
  label: string;
  /** What to do when it gives no adapter; absent: the machine set-up advice of the CLI. */
  advice?: string;
  /**
   * The host threads a software adapter runs workgroups on (Dawn in Node: lavapipe's, softwareThreads
   * in dawn.ts; a browser: navigator.hardwareConcurrency); absent where unknown.
   */
  hostThreads?: number;
}

const isSoftware = (info: GPUAdapterInfo & { isFallbackAdapter?: boolean }): boolean =>
  info.architecture === 'software' || info.isFallbackAdapter === true || /llvmpipe|swiftshader|lavapipe/i.test(`${info.architecture} ${info.description}`);

export function adapterInfo(adapter: GPUAdapter, runtime: WebGpuRuntime): DeviceInfo {
  const info = adapter.info;
  const identity = {
    backend: 'webgpu',
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    ...runtime.identity,
  };
  return {
    backend: 'webgpu',
    // Dawn's `device` is the GPU's own name, sanitized ("nvidia-h200", "llvmpipe-llvm-15-0-6-256-bits-");
    // `description` is the driver's ("NVIDIA: 580.159.04 ..."), which names no GPU on NVIDIA. Browsers
    // often leave both empty (privacy): then vendor and architecture ("google swiftshader").
    name: info.device.replace(/-+/g, ' ').trim() || info.description || [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter',
    vendor: info.vendor || 'unknown',
    driver: info.description ? `${info.description} (${runtime.label})` : runtime.label,
    architecture: info.architecture,
    fingerprint: contentKey(identity, 16),
    isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
    // Kept with the results (not in the fingerprint), so that a replay prices workgroups over the same threads.
    ...(isSoftware(info) && runtime.hostThreads ? { cpuThreads: runtime.hostThreads } : {}),
  };
}

/** Capabilities of the device openDevice will create: every adapter limit and the optional features it has. */
export function readCapabilities(adapter: GPUAdapter, runtime?: Pick<WebGpuRuntime, 'hostThreads'>): Capabilities {
  const limits = adapter.limits;
  const info = adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number; isFallbackAdapter?: boolean };
  return {
    backend: 'webgpu',
    isCpu: isSoftware(info),
    ...(isSoftware(info) && runtime?.hostThreads ? { cpuThreads: runtime.hostThreads } : {}),
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
export function adapterLimits(adapter: GPUAdapter): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(adapter.limits))) {
    const value = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

export async function requestAdapter(runtime: WebGpuRuntime): Promise<GPUAdapter> {
  const adapter = await runtime.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new UsageError(message.noAdapter(`${runtime.label} returned no adapter`, runtime.advice));
  return adapter;
}

/** A device with every limit of the adapter and each optional feature it offers. */
export async function openDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  return adapter.requestDevice({ requiredFeatures, requiredLimits: adapterLimits(adapter) });
}
