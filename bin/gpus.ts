// `--gpus all|0,1,...` for tune and bench: checked before any device opens (the text, the backend,
// flags that need one GPU), then one CUDA runner opened per GPU, each clocked so that compilation
// and measurement time are reported apart, per GPU.
import { message, UsageError } from '../core/errors.ts';
import type { DeviceInfo } from '../core/results.ts';
import type { Backend } from '../harness/backend.ts';
import { openGpus } from '../harness/open-backend.ts';
import type { GpuSlot } from '../tuner/gpu-pool.ts';
import { parseGpus, resolveGpus, type GpuChoice } from '../tuner/gpus.ts';
import { clocked, type StageTimes } from '../tuner/stage-clock.ts';

export interface OpenGpus {
  slots: GpuSlot[];
  /** The first GPU's backend: the space's capabilities and the cache's fingerprint (all GPUs share it). */
  backend: Backend;
  times: ReadonlyMap<number, StageTimes>;
  dispose(): Promise<void>;
}

/**
 * `--gpus` as given, checked without a device: its text, `--backend cuda`, and flags whose rows must
 * be timed on one GPU (`refused`: flag name to whether it was given) when it may name several.
 */
export function checkGpus(text: string | undefined, backend: string, refused: Readonly<Record<string, boolean>> = {}): GpuChoice | undefined {
  if (text === undefined) return undefined;
  const choice = parseGpus(text);
  if (backend !== 'cuda') throw new UsageError(message.gpusNeedCuda(backend));
  const several = choice.kind === 'all' || choice.ordinals.length > 1;
  for (const [flag, given] of Object.entries(refused)) if (several && given) throw new UsageError(message.gpusWithout(flag));
  return choice;
}

export async function openGpuSlots(choice: GpuChoice): Promise<OpenGpus> {
  const opened = await openGpus(choice.kind === 'all' ? 0 : choice.ordinals[0], (count) => resolveGpus(choice, count));
  const times = new Map<number, StageTimes>();
  const slots = opened.map(({ gpu, backend, lost }) => {
    const clock = clocked(backend);
    times.set(gpu, clock.times);
    return { gpu, backend: clock.backend, lost };
  });
  return {
    slots,
    backend: slots[0].backend,
    times,
    dispose: async () => {
      await Promise.all(opened.map((o) => o.backend.dispose()));
    },
  };
}

/** Each GPU's device block and where its time went, for the results file. */
export const gpuRecord = (gpus: OpenGpus): { gpu: number; device: DeviceInfo; compileS: number; measureS: number }[] =>
  gpus.slots.map((s) => ({ gpu: s.gpu, device: s.backend.device, compileS: gpus.times.get(s.gpu)!.compileMs / 1e3, measureS: gpus.times.get(s.gpu)!.measureMs / 1e3 }));

/** One line per GPU: configs measured there, compile and measure seconds. */
export const gpuLines = (gpus: OpenGpus, rows: readonly { gpu?: number; cached?: boolean }[]): string[] =>
  gpuRecord(gpus).map((g) => `GPU ${g.gpu}: ${rows.filter((r) => r.gpu === g.gpu && !r.cached).length} rows measured, compile ${g.compileS.toFixed(1)} s, measure ${g.measureS.toFixed(1)} s (${g.device.name})`);
