// The H200's figures as the CUDA runner reported them (results/h200/*.json device block), for
// device-free tests of spaces and templates.
import type { Capabilities } from '../../../../core/capabilities.ts';

export const H200_CAPS: Capabilities = {
  backend: 'cuda',
  isCpu: false,
  maxWorkgroupStorageBytes: 232448,
  maxInvocationsPerWorkgroup: 1024,
  maxWorkgroupSize: [1024, 1024, 64],
  maxWorkgroupsPerDimension: 2 ** 31 - 1,
  maxStorageBufferBytes: 150_000_000_000,
  maxBufferBytes: 150_000_000_000,
  maxStorageBuffersPerStage: 64,
  shaderF16: true,
  subgroups: true,
  subgroupMinSize: 32,
  subgroupMaxSize: 32,
  timestampQuery: false,
  cuda: {
    computeCapability: '9.0',
    smCount: 132,
    sharedPerBlockOptinBytes: 232448,
    sharedPerSmBytes: 233472,
    registersPerBlock: 65536,
    registersPerSm: 65536,
    l2Bytes: 62914560,
    maxClusterSize: 8,
  },
};
