// The runner's report of its device, turned into the results' device block (with a fingerprint of
// what identifies hardware and driver) and the Capabilities the config spaces check against.
import type { DeviceInfo } from '../../core/results.ts';
import type { Capabilities } from '../../core/capabilities.ts';

/** The `hello` reply of the runner: the device's own figures, read through the driver API. */
export interface RunnerHello {
  name: string;
  driverVersion: number;
  computeCapability: string;
  smCount: number;
  clockKHz: number;
  memoryClockKHz: number;
  memoryBusWidth: number;
  l2Bytes: number;
  sharedPerBlockOptinBytes: number;
  sharedPerSmBytes: number;
  registersPerBlock: number;
  registersPerSm: number;
  clusterLaunch: number;
  totalMemoryBytes: number;
  cudaHeaders: number;
  /** The GPU the runner opened and how many the host has (absent from runners built before these fields). */
  ordinal?: number;
  deviceCount?: number;
}

const driverText = (v: number): string => `CUDA ${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`;

export function cudaDeviceInfo(hello: RunnerHello, nvccVersion: string, key: (v: unknown) => string): DeviceInfo {
  const identity = {
    name: hello.name,
    computeCapability: hello.computeCapability,
    smCount: hello.smCount,
    totalMemoryBytes: hello.totalMemoryBytes,
    driverVersion: hello.driverVersion,
  };
  return {
    backend: 'cuda',
    name: hello.name,
    vendor: 'NVIDIA',
    driver: driverText(hello.driverVersion),
    fingerprint: key(identity),
    computeCapability: hello.computeCapability,
    smCount: hello.smCount,
    clockMHz: hello.clockKHz / 1000,
    memoryClockMHz: hello.memoryClockKHz / 1000,
    memoryBusWidth: hello.memoryBusWidth,
    l2Bytes: hello.l2Bytes,
    totalMemoryBytes: hello.totalMemoryBytes,
    nvcc: nvccVersion,
  };
}

export function cudaCapabilities(hello: RunnerHello): Capabilities {
  return {
    backend: 'cuda',
    isCpu: false,
    maxWorkgroupStorageBytes: hello.sharedPerBlockOptinBytes,
    maxInvocationsPerWorkgroup: 1024,
    maxWorkgroupSize: [1024, 1024, 64],
    maxWorkgroupsPerDimension: 2 ** 31 - 1,
    maxStorageBufferBytes: hello.totalMemoryBytes,
    maxBufferBytes: hello.totalMemoryBytes,
    maxStorageBuffersPerStage: 64,
    shaderF16: true,
    subgroups: true,
    subgroupMinSize: 32,
    subgroupMaxSize: 32,
    timestampQuery: false,
    cuda: {
      computeCapability: hello.computeCapability,
      smCount: hello.smCount,
      sharedPerBlockOptinBytes: hello.sharedPerBlockOptinBytes,
      sharedPerSmBytes: hello.sharedPerSmBytes,
      registersPerBlock: hello.registersPerBlock,
      registersPerSm: hello.registersPerSm,
      l2Bytes: hello.l2Bytes,
      // Portable cluster size: 8 CTAs where cluster launch is supported (sm_90), else none.
      maxClusterSize: hello.clusterLaunch ? 8 : 1,
    },
  };
}
