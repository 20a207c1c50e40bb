// What a backend can do, read from the device at start-up (STYLE.md, habit 4): spaces check their
// constraints against these figures, never against hard-coded ones.
import type { BackendName } from './results.ts';

export interface Capabilities {
  backend: BackendName;
  /** True for software adapters (lavapipe, SwiftShader): presets and budgets are sized down. */
  isCpu: boolean;
  /**
   * Software adapters: the worker threads that run workgroups (lavapipe: LP_NUM_THREADS, else one per
   * CPU of the host it runs on). Absent where unknown (a GPU, or a recording that did not keep it).
   */
  cpuThreads?: number;
  maxWorkgroupStorageBytes: number;
  maxInvocationsPerWorkgroup: number;
  maxWorkgroupSize: readonly [number, number, number];
  maxWorkgroupsPerDimension: number;
  maxStorageBufferBytes: number;
  maxBufferBytes: number;
  maxStorageBuffersPerStage: number;
  shaderF16: boolean;
  subgroups: boolean;
  subgroupMinSize?: number;
  subgroupMaxSize?: number;
  timestampQuery: boolean;
  /** CUDA devices only. */
  cuda?: CudaCapabilities;
}

export interface CudaCapabilities {
  computeCapability: string;
  smCount: number;
  sharedPerBlockOptinBytes: number;
  sharedPerSmBytes: number;
  registersPerBlock: number;
  registersPerSm: number;
  l2Bytes: number;
  maxClusterSize: number;
}
