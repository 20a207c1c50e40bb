// A short list of configs per problem for sweeps that must fit a small GPU-time budget: tiles by
// the size of M (DeepSeek-V3's decode batches M=64/128 are bound by reading B, so they want many
// narrow N tiles; M=4096 prefill is bound by the tensor cores, so 128-row tiles and N tiles that
// divide the work evenly over the SMs), each with the deepest pipeline its shared memory allows.
import type { Capabilities } from '../../../harness/capabilities.ts';
import type { GemmProblem } from '../problem.ts';
import { cudaGemmConstraints, sharedBytes, type CudaGemmConfig } from './space.ts';

const MAX_STAGES = 10;

/** The deepest pipeline (at most MAX_STAGES) whose shared memory fits the device. */
export function deepestStages(config: Omit<CudaGemmConfig, 'stages'>, caps: Capabilities): number {
  const limit = caps.cuda?.sharedPerBlockOptinBytes ?? 232448;
  let stages = 2;
  while (stages < MAX_STAGES && sharedBytes({ ...config, stages: stages + 1 }) <= limit) stages++;
  return stages;
}

export function candidateConfigs(problem: GemmProblem, caps: Capabilities, out: CudaGemmConfig['out'] = 'bf16'): CudaGemmConfig[] {
  const shapes: [number, number, number][] =
    problem.M <= 64
      ? [16, 24, 32, 48, 64].map((n) => [64, n, 1])
      : problem.M <= 128
        ? [...[32, 48, 64, 96, 128].map((n): [number, number, number] => [64, n, 1]), ...[64, 96, 128].map((n): [number, number, number] => [128, n, 2])]
        : [112, 128, 144, 160, 176, 192].map((n) => [128, n, 2]);
  const rasters: CudaGemmConfig['raster'][] = problem.M <= 128 ? ['along-m'] : ['along-m', 'along-n'];
  const constraints = cudaGemmConstraints(problem, caps);
  return shapes.flatMap(([blockM, blockN, mathWarpgroups]) =>
    rasters.map((raster) => {
      const base = { blockM, blockN, mathWarpgroups, raster, cluster: 1, out };
      return { ...base, stages: deepestStages(base, caps) };
    }),
  ).filter((c) => constraints.every((k) => k.ok(c)));
}
