// The backend seam: the sweep loop compiles, runs, times and reads back through this interface and
// never knows whether a WebGPU adapter, a CUDA runner or a replay of recorded results is behind it.
import type { DeviceInfo, TimerKind } from '../core/results.ts';
import type { HostArray, KernelSource, TargetLanguage, Workload } from '../kernels/types.ts';
import type { Capabilities } from '../core/capabilities.ts';
import type { EnergyBudget, EnergyMeasurement } from './cuda/energy.ts';
import type { Measurement, TimingBudget } from './measure.ts';

export interface Compiled {
  readonly source: KernelSource;
}

export interface DeviceBuffers {
  readonly workload: Workload;
}

export type { TimingBudget } from './measure.ts';

export interface Timing extends Measurement {
  timer: TimerKind;
  /** Kernel launches folded into each sample (short kernels are batched to rise above timer noise). */
  launchesPerSample: number;
}

export interface Backend {
  readonly name: DeviceInfo['backend'];
  /** The language this backend compiles: the family target it runs. */
  readonly language: TargetLanguage;
  readonly device: DeviceInfo;
  readonly caps: Capabilities;
  /** Throws CompileError with the compiler's message. */
  compile(source: KernelSource): Promise<Compiled>;
  upload(workload: Workload): Promise<DeviceBuffers>;
  /** One launch sequence; throws RuntimeError or TimeoutError. */
  run(compiled: Compiled, buffers: DeviceBuffers): Promise<void>;
  read(buffers: DeviceBuffers, name: string): Promise<HostArray>;
  time(compiled: Compiled, buffers: DeviceBuffers, budget: TimingBudget): Promise<Timing>;
  /** Energy per launch in the sustained state, where the device has an energy counter (CUDA: NVML). */
  energy?(compiled: Compiled, buffers: DeviceBuffers, budget: EnergyBudget): Promise<EnergyMeasurement>;
  release(buffers: DeviceBuffers): void;
  dispose(): Promise<void>;
}

/** Failures a backend reports; the sweep turns each into a result row's status. */
export class CompileError extends Error {
  override name = 'CompileError';
}
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}
