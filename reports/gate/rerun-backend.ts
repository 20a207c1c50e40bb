// The Measurer that --rerun uses: compiles one config of a family on a live backend, uploads the
// family's seeded workload and times it with the backend's own timer, as a sweep does. The backend
// must be the hardware the current results file was measured on (same fingerprint).
import { message, UsageError } from '../../core/errors.ts';
import { stableStringify } from '../../core/hash.ts';
import type { DeviceInfo } from '../../core/results.ts';
import type { Backend, TimingBudget } from '../../harness/backend.ts';
import { DEFAULT_BUDGET } from '../../harness/measure.ts';
import { familyByName } from '../../kernels/registry.ts';
import type { Measurer } from './rerun.ts';

export interface BackendMeasurerOptions {
  budget?: TimingBudget;
  /** Workload seed; timing does not depend on the data, but the sweep's default keeps runs alike. */
  seed?: number;
}

export function backendMeasurer(backend: Backend, options: BackendMeasurerOptions = {}): Measurer {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const seed = options.seed ?? 1;
  const compiled = new Map<string, Awaited<ReturnType<Backend['compile']>>>();
  return async ({ kernel, problem, config }) => {
    const family = familyByName(kernel);
    const make = backend.name === 'cuda' ? family.cuda : family.wgsl;
    if (make === undefined) throw new Error(`${kernel} has no ${backend.name} template`);
    const key = stableStringify({ kernel, problem, config });
    let program = compiled.get(key);
    if (program === undefined) {
      program = await backend.compile(make(problem, config, backend.caps));
      compiled.set(key, program);
    }
    const buffers = await backend.upload(family.workload(problem, seed));
    try {
      return (await backend.time(program, buffers, budget)).samplesMs;
    } finally {
      backend.release(buffers);
    }
  };
}

/** Opens the backend a results file was measured with, refusing other hardware. */
export async function openBackendFor(path: string, device: DeviceInfo): Promise<Backend> {
  if (device.backend !== 'webgpu') throw new UsageError(message.gateRerunBackend(path, device.backend));
  const { openWebGpu } = await import('../../harness/webgpu/backend.ts');
  const backend = await openWebGpu();
  if (backend.device.fingerprint !== device.fingerprint) {
    const here = `${backend.device.name} (${backend.device.fingerprint})`;
    await backend.dispose();
    throw new UsageError(message.gateRerunOtherDevice(path, `${device.name} (${device.fingerprint})`, here));
  }
  return backend;
}
