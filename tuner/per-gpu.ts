// Whole pieces of work spread over a host's GPUs, each piece entirely on one GPU: `bench --gpus`
// hands out problems, and a problem's side-by-side rounds (ours and every peer, alternating) run on
// the GPU it was given, so that a ratio is never taken between two GPUs. Every row says its GPU.
import type { ResultRow } from '../core/results.ts';
import { NoGpuLeft, type GpuPool, type GpuSlot } from './gpu-pool.ts';

export interface PerGpuOptions<T> {
  /** Everything about one item, on one GPU. */
  work(item: T, slot: GpuSlot): Promise<ResultRow[]>;
  /** The rows of an item no GPU was left for. */
  failed(item: T, error: NoGpuLeft): ResultRow[];
  /** Called as each item finishes, in the order they finish. */
  onDone?(index: number, rows: readonly ResultRow[]): void;
}

/** Each item's rows, in item order; items run as many at a time as the pool has GPUs. */
export async function perGpu<T>(items: readonly T[], pool: GpuPool, options: PerGpuOptions<T>): Promise<ResultRow[][]> {
  return Promise.all(
    items.map(async (item, index) => {
      let rows: ResultRow[];
      try {
        rows = await pool.submit(async (slot) => (await options.work(item, slot)).map((row) => ({ ...row, gpu: slot.gpu })));
      } catch (error) {
        if (!(error instanceof NoGpuLeft)) throw error;
        rows = options.failed(item, error);
      }
      options.onDone?.(index, rows);
      return rows;
    }),
  );
}
