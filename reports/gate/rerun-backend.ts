// The Measurer that --rerun uses: one config at a time through the sweep loop (runSweep with
// `configs`), so a re-measured config is compiled, verified against the CPU reference and timed
// exactly as the sweep that made the results file did, and never served from a cache. The backend
// must be the hardware the current results file was measured on (same fingerprint).
import { message, UsageError } from '../../core/errors.ts';
import type { DeviceInfo } from '../../core/results.ts';
import type { Backend, TimingBudget } from '../../harness/backend.ts';
import { DEFAULT_BUDGET } from '../../harness/measure.ts';
import { openBackend } from '../../harness/open-backend.ts';
import { familyByName } from '../../kernels/registry.ts';
import { runSweep } from '../../tuner/sweep.ts';
import type { Measurer } from './rerun.ts';

export function backendMeasurer(backend: Backend, timing: TimingBudget = DEFAULT_BUDGET): Measurer {
  return async ({ kernel, problem, config }) => {
    const [row] = await runSweep({ family: familyByName(kernel), problem, backend, configs: [config], timing });
    if (row === undefined || row.status !== 'ok' || !row.samplesMs?.length) {
      throw new Error(`${row?.status ?? 'no row'}: ${row?.error ?? 'not measured'}`);
    }
    return row.samplesMs;
  };
}

/** Opens the backend a results file was measured with, refusing other hardware. */
export async function openBackendFor(path: string, device: DeviceInfo): Promise<Backend> {
  if (device.backend !== 'webgpu' && device.backend !== 'cuda') throw new UsageError(message.gateRerunBackend(path, device.backend));
  const backend = await openBackend(device.backend);
  if (backend.device.fingerprint !== device.fingerprint) {
    const here = `${backend.device.name} (${backend.device.fingerprint})`;
    await backend.dispose();
    throw new UsageError(message.gateRerunOtherDevice(path, `${device.name} (${device.fingerprint})`, here));
  }
  return backend;
}
