// The grouped-gemm kernel family: MoE expert FP8 GEMMs in DeepGEMM's contiguous and masked layouts.
import type { KernelFamily } from '../types.ts';
import { groupedGemmCudaTarget, type GroupedCudaConfig } from './cuda/index.ts';
import { defaultGroupedProblem, presets } from './presets.ts';
import { checkGroupedProblem, DIMENSIONS, groupedBytes, groupedFlops, groupedProblem, type GroupedProblem } from './problem.ts';
import { groupedSpace, type GroupedConfig } from './space.ts';
import { verifyGrouped } from './verify.ts';
import { groupedWgsl } from './wgsl.ts';
import { wgslGroupedModel } from './model/wgsl.ts';
import { groupedWorkload } from './workload.ts';

export const groupedGemm: KernelFamily<GroupedProblem, GroupedConfig, GroupedCudaConfig> = {
  name: 'grouped-gemm',
  description: 'MoE expert GEMMs, e4m3 with 1x128 / 128x128 scales, contiguous (per-row expert index) or masked (masked_m) layout',
  dimensions: DIMENSIONS,
  presets,
  problemFromShape: groupedProblem,
  defaultProblem: defaultGroupedProblem,
  checkProblem: checkGroupedProblem,
  workload: groupedWorkload,
  verify: verifyGrouped,
  flops: groupedFlops,
  bytes: groupedBytes,
  targets: {
    wgsl: {
      space: groupedSpace,
      source: (problem: GroupedProblem, config: GroupedConfig) => groupedWgsl(problem, config),
      verify: (problem, workload, outputs) => verifyGrouped(problem, workload, outputs),
      model: wgslGroupedModel,
    },
    cuda: groupedGemmCudaTarget,
  },
};
