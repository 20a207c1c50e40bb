// Several GPUs of one host, one runner process each (`--gpus`): the first GPU is opened, the host's
// GPUs counted from its runner's greeting, the ordinals checked against that count (a UsageError,
// before any other runner starts), and the rest opened beside it. They must be of one kind (one
// fingerprint): a sweep ranks its rows against each other and the gate pairs files by fingerprint.
import { message, UsageError } from '../../core/errors.ts';
import { openCuda, type CudaBackend, type CudaBackendOptions } from './backend.ts';

export interface GpuSelection {
  /** The GPU opened first; its runner counts the host's GPUs. */
  first: number;
  /** Every ordinal to open (the first among them), given the host's count; throws UsageError for a GPU it lacks. */
  resolve(count: number): readonly number[];
}

/** Opens one GPU's backend; tests pass fakes that stand for runners. */
export type OpenGpu = (options: CudaBackendOptions) => Promise<CudaBackend>;

export async function openCudaGpus(selection: GpuSelection, options: Omit<CudaBackendOptions, 'ordinal'> = {}, open: OpenGpu = openCuda): Promise<{ gpu: number; backend: CudaBackend }[]> {
  const first = await open({ ...options, ordinal: selection.first });
  const opened = [{ gpu: selection.first, backend: first }];
  try {
    const count = first.device.gpusOnHost;
    if (typeof count !== 'number') throw new UsageError(message.noCuda('the runner did not report how many GPUs the host has'));
    const ordinals = selection.resolve(count);
    // The runner is built by the first open; the others start from its cached binary, in parallel.
    const rest = await Promise.allSettled(ordinals.filter((o) => o !== selection.first).map(async (gpu) => ({ gpu, backend: await open({ ...options, ordinal: gpu }) })));
    for (const r of rest) if (r.status === 'fulfilled') opened.push(r.value);
    const failed = rest.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const odd = opened.find((o) => o.backend.device.fingerprint !== first.device.fingerprint);
    if (odd) throw new UsageError(message.gpusDiffer(describe(opened[0]), describe(odd)));
    return ordinals.map((o) => opened.find((x) => x.gpu === o)!);
  } catch (error) {
    await Promise.all(opened.map((o) => o.backend.dispose()));
    throw error;
  }
}

const describe = ({ gpu, backend }: { gpu: number; backend: CudaBackend }): string => `GPU ${gpu}: ${backend.device.name}, ${backend.device.driver}`;
