// CUDA devices as their runner reported them, by name, so that a machine without that GPU (CI, a
// laptop with nvcc) can generate the same configs and compile the same sources ahead of a session on
// it (`tilesweep compile --for h200`): candidates depend on the SM count, shared memory and
// registers, never on a measurement. Each entry is a `hello` the runner returned on that device.
import { existsSync, readFileSync } from 'node:fs';
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

const isCudaCaps = (value: unknown): value is Capabilities =>
  typeof value === 'object' && value !== null && (value as Capabilities).backend === 'cuda' &&
  typeof (value as Capabilities).cuda?.smCount === 'number' && typeof (value as Capabilities).cuda?.sharedPerBlockOptinBytes === 'number';

/**
 * The device a compile is for: a named profile, or a file that `tilesweep devices --json` wrote on
 * that machine (its CUDA entry's capabilities), so any GPU a user can reach once is a target.
 */
export function targetCapabilities(nameOrFile: string): Capabilities {
  if (CUDA_PROFILES[nameOrFile.toLowerCase()] || !existsSync(nameOrFile)) return profileCapabilities(nameOrFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(nameOrFile, 'utf8'));
  } catch {
    throw new UsageError(message.badDevicesFile(nameOrFile));
  }
  const entries = Array.isArray(parsed) ? parsed : [parsed];
  const caps = entries.map((e) => (e as { caps?: unknown }).caps ?? e).find(isCudaCaps);
  if (!caps) throw new UsageError(message.badDevicesFile(nameOrFile));
  return caps;
}
