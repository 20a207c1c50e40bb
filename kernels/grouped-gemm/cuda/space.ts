// The CUDA grouped GEMM's config space: the FP8 GEMM's constraints (fp8-gemm/cuda/space.ts: shared
// memory, registers, ptxas's measured spills, TMA boxes), judged on the FP8 GEMM config the template
// gets (denseConfig) against the busiest group's product, and the group walk's own: the schedule's
// shared memory beside the template's, and at most MAX_GROUPS groups.
import type { Capabilities } from '../../../core/capabilities.ts';
import { cudaCaps, cudaGemmConstraints, sharedBytes } from '../../fp8-gemm/cuda/space.ts';
import type { Constraint, Space } from '../../types.ts';
import { groupLayout, type GroupedProblem } from '../problem.ts';
import { denseConfig, type GroupedCudaConfig } from './config.ts';
import { MAX_GROUPS, scheduleSharedBytes } from './schedule.ts';

export function groupedCudaConstraints(problem: GroupedProblem, caps: Capabilities): Constraint<GroupedCudaConfig>[] {
  const busiest = Math.max(1, ...groupLayout(problem).counts);
  const dense = cudaGemmConstraints({ M: busiest, N: problem.N, K: problem.K }, caps).map(
    (k): Constraint<GroupedCudaConfig> => ({ name: k.name, why: k.why, ok: (c) => k.ok(denseConfig(c)) }),
  );
  const limit = cudaCaps(caps).sharedPerBlockOptinBytes;
  return [
    ...dense,
    {
      name: 'schedule-shared-memory',
      why: `the template's shared memory plus the group schedule's ${scheduleSharedBytes(problem.G)} bytes must fit the device's ${limit} per block`,
      ok: (c) => sharedBytes(denseConfig(c)) + scheduleSharedBytes(problem.G) <= limit,
    },
    { name: 'groups-within-schedule', why: `the schedule's warp scan holds at most ${MAX_GROUPS} groups (G=${problem.G})`, ok: () => problem.G <= MAX_GROUPS },
  ];
}

/** A space over a list of configs: params hold the values each field takes among them. */
export function listedGroupedSpace(configs: readonly GroupedCudaConfig[], constraints: Constraint<GroupedCudaConfig>[]): Space<GroupedCudaConfig> {
  const params: Record<string, unknown[]> = {};
  for (const config of configs) {
    for (const [name, value] of Object.entries(config)) {
      const values = (params[name] ??= []);
      if (!values.includes(value)) values.push(value);
    }
  }
  return { params: params as unknown as Space<GroupedCudaConfig>['params'], constraints, configs };
}

/** Row tiles: 64 rows in one math warpgroup (decode-sized groups), 128 in two. */
export const ROW_TILES = [
  { blockM: 64, mathWarpgroups: 1 },
  { blockM: 128, mathWarpgroups: 2 },
] as const;
/** Column tiles: DeepSeek-V3's N (4096, 7168) in 128s, and widths that divide them into counts nearer a multiple of the SMs. */
export const COLUMN_TILES = [64, 96, 112, 128, 160, 176, 192] as const;
export const LOOPS = [{ loop: 'two-sets' }, { loop: 'two-sets', overlapStore: true }, { loop: 'one-set', scales: 'ring' }] as const;

/** Every config of the listed tiles, pipelines and loops that passes the constraints (`--space default`). */
export function groupedCudaSpace(problem: GroupedProblem, caps: Capabilities): Space<GroupedCudaConfig> {
  const constraints = groupedCudaConstraints(problem, caps);
  const configs: GroupedCudaConfig[] = [];
  for (const rows of ROW_TILES) {
    for (const blockN of COLUMN_TILES) {
      for (const stages of [3, 4, 5, 6]) {
        for (const loop of LOOPS) {
          for (const raster of ['along-m', 'along-n'] as const) configs.push({ ...rows, blockN, stages, raster, out: 'bf16', ...loop });
        }
      }
    }
  }
  return listedGroupedSpace(configs.filter((c) => constraints.every((k) => k.ok(c))), constraints);
}
