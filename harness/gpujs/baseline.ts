// Measures a gpu.js baseline in the same run as the tuned kernels: the family's own workload and
// verification, wall-clock timing of whole kernel calls, and a row with role "baseline".
import type { ResultRow } from '../../core/results.ts';
import { withRates } from '../../core/results.ts';
import type { AnyKernelFamily, Workload } from '../../kernels/types.ts';
import type { TimingBudget } from '../backend.ts';
import { measure } from '../measure.ts';
import type { GpuJsRuntime } from './runtime.ts';

/**
 * gpu.js copies every input on every call, as f32: past this much compulsory traffic a baseline run
 * would take minutes and gigabytes of host memory, so it is reported as not run instead.
 */
export const GPUJS_MAX_BYTES = 2 ** 28;

export const hasGpuJsBaseline = (family: AnyKernelFamily): boolean => family.targets.gpujs !== undefined;

export interface GpuJsMeasureOptions {
  family: AnyKernelFamily;
  problem: object;
  runtime: GpuJsRuntime;
  timing: TimingBudget;
  /** Seed of the workload's data (the same as the tuned kernels' rows). */
  dataSeed?: number;
}

export async function measureGpuJsBaseline(options: GpuJsMeasureOptions): Promise<ResultRow> {
  const { family, problem, runtime, timing } = options;
  const target = family.targets.gpujs;
  const row: ResultRow = {
    kernel: family.name,
    problem: problem as ResultRow['problem'],
    config: { implementation: 'gpu.js', mode: runtime.mode },
    role: 'baseline',
    status: 'ok',
    flops: family.flops(problem),
    bytes: family.bytes(problem),
    backend: 'gpujs',
    deviceName: runtime.device.name,
    timing: 'wall-clock of whole kernel calls, uploads and readback included',
  };
  if (!target) return { ...row, status: 'invalid', error: `${family.name} has no gpu.js baseline` };
  if (row.bytes > GPUJS_MAX_BYTES) return { ...row, status: 'invalid', error: `gpu.js baseline not run: ${row.bytes} bytes of inputs and outputs, above ${GPUJS_MAX_BYTES}` };
  try {
    const workload = family.workload(problem, options.dataSeed ?? 1);
    const baseline = target.build(runtime, problem, workload);
    row.verified = family.verify(problem, workload, await baseline.run());
    if (!row.verified.ok) return { ...row, status: 'mismatch', error: 'gpu.js output differs from the CPU reference' };
    const measured = await measure(async () => {
      const start = performance.now();
      await baseline.run();
      return performance.now() - start;
    }, timing);
    return withRates({ ...row, ...measured, timer: 'wall-clock' });
  } catch (error) {
    return { ...row, status: 'runtime-error', error: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
  }
}
