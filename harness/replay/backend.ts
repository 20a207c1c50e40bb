// The replay backend (`--backend replay:FILE`): serves the rows of a recorded results file back as if
// each config had just been measured (kernel_tuner's SimulationRunner is the model), so the sweep loop,
// strategies, stable winners, shards and dispatch tables run without a GPU. It compiles, runs and
// verifies nothing: the sweep asks it for the recorded row of a config (tuner/sweep.ts), and a config
// the recording never ran comes back as an `invalid` row that says so, never as an exception. Free of
// Node's modules, as the sweep loop is (a browser bundles it); open.ts reads a recording from a file.
import type { Capabilities } from '../../core/capabilities.ts';
import { contentKey } from '../../core/hash.ts';
import type { DeviceInfo, ResultRow } from '../../core/results.ts';
import type { TargetLanguage } from '../../kernels/types.ts';
import type { Recording } from './recording.ts';

export interface ReplayBackend {
  readonly name: 'replay';
  readonly device: DeviceInfo;
  /** The recorded device's figures where the file holds them (see replayCapabilities). */
  readonly caps: Capabilities;
  /** The language the recorded rows ran: the family target (space, model) the sweep uses. */
  readonly language: TargetLanguage;
  readonly recording: Recording;
  /** The recorded row served as this run's measurement; undefined when the recording never ran it. */
  measured(kernel: string, problem: object, config: object): ResultRow | undefined;
  dispose(): Promise<void>;
}

export const isReplay = (backend: { name: string }): backend is ReplayBackend => backend.name === 'replay';

const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Capabilities of the recorded device. A results file keeps the device's identity and a few figures
 * (SM count, L2 size on CUDA), not its limits; the limits it does not hold are unbounded, because in
 * a replay the recording, not the device, says which configs ran.
 */
export function replayCapabilities(device: DeviceInfo, hostThreads?: number): Capabilities {
  const recorded = device.backend === 'cuda' ? 'cuda' : 'webgpu';
  const isCpu = device.architecture === 'software' || device.isFallbackAdapter === true;
  // A software adapter's threads as recorded; where a recording kept none (before 2026-12-05), the
  // replaying host's (`hostThreads`, passed by the Node callers: this project's recordings were made
  // on the kind of host that replays them).
  const cpuThreads = numberOf(device.cpuThreads) ?? (isCpu ? hostThreads : undefined);
  return {
    backend: recorded,
    isCpu,
    ...(cpuThreads ? { cpuThreads } : {}),
    maxWorkgroupStorageBytes: Infinity,
    maxInvocationsPerWorkgroup: Infinity,
    maxWorkgroupSize: [Infinity, Infinity, Infinity],
    maxWorkgroupsPerDimension: Infinity,
    maxStorageBufferBytes: Infinity,
    maxBufferBytes: Infinity,
    maxStorageBuffersPerStage: Infinity,
    shaderF16: true,
    subgroups: true,
    timestampQuery: true,
    ...(recorded === 'cuda'
      ? {
          cuda: {
            computeCapability: typeof device.computeCapability === 'string' ? device.computeCapability : 'unknown',
            smCount: numberOf(device.smCount) ?? NaN,
            sharedPerBlockOptinBytes: Infinity,
            sharedPerSmBytes: Infinity,
            registersPerBlock: Infinity,
            registersPerSm: Infinity,
            l2Bytes: numberOf(device.l2Bytes) ?? NaN,
            maxClusterSize: Infinity,
          },
        }
      : {}),
  };
}

export function replayBackend(recording: Recording, source: string, hostThreads?: number): ReplayBackend {
  const recorded = recording.file.device;
  const device: DeviceInfo = {
    backend: 'replay',
    name: `${recorded.name} (replay)`,
    vendor: recorded.vendor,
    driver: recorded.driver,
    // A replay of another file (or of an edited one) is another device: cached rows never cross over.
    fingerprint: contentKey({ replayOf: recorded.fingerprint, runs: recording.file.runs.length, createdAt: recording.file.createdAt, call: recording.call ?? null }),
    replayOf: { source, call: recording.call ?? null, backend: recorded.backend, name: recorded.name, fingerprint: recorded.fingerprint },
  };
  return {
    name: 'replay',
    device,
    caps: replayCapabilities(recorded, hostThreads),
    language: recorded.backend === 'cuda' ? 'cuda' : 'wgsl',
    recording,
    measured(kernel, problem, config) {
      const row = recording.row(kernel, problem, config);
      if (!row) return undefined;
      const { cached: _cached, ...served } = row;
      return { ...served, replayed: true };
    },
    dispose: async () => {},
  };
}
