// The one place the analytic model reads a CUDA FP8 GEMM config. The config type is being reshaped
// into a sum type (kernels/fp8-gemm/cuda/space.ts); the model needs only the tile and what frames
// it, so only this accessor has to follow that change: the output tile, the pipeline depth, the
// cluster size, and whether A and B are swapped (then the tile's rows walk N and its columns M).
import type { GemmProblem } from '../problem.ts';

export interface CudaTile {
  /** Output tile along M and along N of the problem (swapAB already undone). */
  rows: number;
  cols: number;
  /** 128-wide K blocks in flight (shared-memory stages). */
  stages: number;
  /** CTAs sharing one operand's tile by TMA multicast. */
  cluster: number;
  /** The leftover tiles of the last wave split along K over every SM (grid 'split-tail'). */
  splitTail: boolean;
}

const field = (config: object, name: string): unknown => (config as Record<string, unknown>)[name];

/** The tile of a CUDA config in the problem's frame; undefined when the config has no such tile (the SIMT kernel). */
export function cudaTile(config: object): CudaTile | undefined {
  const blockM = field(config, 'blockM');
  const blockN = field(config, 'blockN');
  const stages = field(config, 'stages');
  if (field(config, 'kernel') === 'simt' || typeof blockM !== 'number' || typeof blockN !== 'number' || typeof stages !== 'number') return undefined;
  const cluster = typeof field(config, 'cluster') === 'number' ? (field(config, 'cluster') as number) : 1;
  const swapped = field(config, 'swapAB') === true;
  return { rows: swapped ? blockN : blockM, cols: swapped ? blockM : blockN, stages, cluster, splitTail: field(config, 'grid') === 'split-tail' };
}

/** Output tiles of the problem: partial tiles at the edges count whole (they cost a whole tile's time). */
export const tileCount = (p: GemmProblem, t: Pick<CudaTile, 'rows' | 'cols'>): number => Math.ceil(p.M / t.rows) * Math.ceil(p.N / t.cols);
