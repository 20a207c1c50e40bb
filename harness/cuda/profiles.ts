// CUDA devices as their runner reported them, by name, so that a machine without that GPU (CI, a
// laptop with nvcc) can generate the same configs and compile the same sources ahead of a session on
// it (`tilesweep compile --for h200`): candidates depend on the SM count, shared memory and
// registers, never on a measurement. Each entry is a `hello` the runner returned on that device.
import { message, UsageError } from '../../core/errors.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { cudaCapabilities, type RunnerHello } from './device.ts';

export const CUDA_PROFILES: Readonly<Record<string, RunnerHello>> = {
  // results/h200/fp8-gemm.json.br: the device block of runs 51-53 (driver 580.159.04, CUDA 13.0).
  h200: {
    name: 'NVIDIA H200',
    driverVersion: 13000,
    computeCapability: '9.0',
    smCount: 132,
    clockKHz: 1_980_000,
    memoryClockKHz: 3_201_000,
    memoryBusWidth: 6016,
    l2Bytes: 62_914_560,
    sharedPerBlockOptinBytes: 232_448,
    sharedPerSmBytes: 233_472,
    registersPerBlock: 65_536,
    registersPerSm: 65_536,
    clusterLaunch: 1,
    totalMemoryBytes: 150_109_880_000,
    cudaHeaders: 13000,
  },
};

/** The capabilities of a named profile; an unknown name is bad usage. */
export function profileCapabilities(name: string): Capabilities {
  const hello = CUDA_PROFILES[name.toLowerCase()];
  if (!hello) throw new UsageError(message.unknownCudaProfile(name, Object.keys(CUDA_PROFILES)));
  return cudaCapabilities(hello);
}
