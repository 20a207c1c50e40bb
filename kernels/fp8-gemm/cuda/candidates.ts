// A short list of configs per problem for sweeps that must fit a small GPU-time budget: tiles by
// the size of M (DeepSeek-V3's decode batches M=64/128 are bound by reading B and by every CTA
// re-reading A, so they want many narrow N tiles with A multicast across a cluster along N; M=4096
// prefill is bound by the tensor cores and L2 traffic, so 128-row tiles, double-buffered
// accumulators and clusters sharing one operand), each with the deepest pipeline that fits.
import type { Capabilities } from '../../../harness/capabilities.ts';
import type { GemmProblem } from '../problem.ts';
import { cudaCaps, cudaGemmConstraints, sharedBytes, type CudaGemmConfig } from './space.ts';

const MAX_STAGES = 10;

/** The deepest pipeline (at most MAX_STAGES) whose shared memory fits the device. */
export function deepestStages(config: Omit<CudaGemmConfig, 'stages'>, caps: Capabilities): number {
  const limit = cudaCaps(caps).sharedPerBlockOptinBytes;
  let stages = 2;
  while (stages < MAX_STAGES && sharedBytes({ ...config, stages: stages + 1 }) <= limit) stages++;
  return stages;
}

type Tile = { blockM: number; blockN: number; mathWarpgroups: number };
type Cluster = { cluster: number; clusterAlong: 'm' | 'n' };

const tile = (blockM: number, blockN: number): Tile => ({ blockM, blockN, mathWarpgroups: blockM / 64 });

export function candidateConfigs(problem: GemmProblem, caps: Capabilities, out: CudaGemmConfig['out'] = 'bf16'): CudaGemmConfig[] {
  const large = problem.M > 128;
  const tiles: Tile[] = problem.M <= 64
    ? [16, 32, 48, 64].map((n) => tile(64, n))
    : problem.M <= 128
      ? [...[32, 64, 96].map((n) => tile(64, n)), ...[64, 128].map((n) => tile(128, n))]
      : [96, 112, 128].map((n) => tile(128, n));
  const clusters: Cluster[] = large
    ? [{ cluster: 1, clusterAlong: 'n' }, { cluster: 2, clusterAlong: 'm' }, { cluster: 2, clusterAlong: 'n' }]
    : [{ cluster: 1, clusterAlong: 'n' }, { cluster: 2, clusterAlong: 'n' }, { cluster: 4, clusterAlong: 'n' }];
  const rasters: CudaGemmConfig['raster'][] = large ? ['along-m', 'along-n'] : ['along-m'];
  const constraints = cudaGemmConstraints(problem, caps);
  const configs: CudaGemmConfig[] = [];
  for (const t of tiles) {
    for (const c of clusters) {
      for (const raster of rasters) {
        for (const stagger of t.mathWarpgroups > 1 ? [false, true] : [false]) {
          const base = { ...t, ...c, accBuffers: 1, stagger, raster, out };
          configs.push({ ...base, stages: deepestStages(base, caps) });
        }
      }
    }
  }
  return configs.filter((c) => constraints.every((k) => k.ok(c)));
}
