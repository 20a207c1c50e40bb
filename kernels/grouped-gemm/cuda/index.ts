// The grouped-gemm family's CUDA target (sm_90a): the FP8 GEMM's kernel with a group walk over the
// experts (schedule.ts), its space and candidates from the problem and the device, inputs built at GPU
// sizes, verification at the FP8 GEMM's tolerance for its output, and the peers of peers.ts.
import type { Target } from '../../types.ts';
import { cudaGemmTolerance } from '../../fp8-gemm/cuda/tolerance.ts';
import type { GroupedProblem } from '../problem.ts';
import { verifyGrouped } from '../verify.ts';
import { groupedCandidates } from './candidates.ts';
import type { GroupedCudaConfig } from './config.ts';
import { GROUPED_GEMM_PEERS } from './peers.ts';
import { groupedCudaSpace } from './space.ts';
import { groupedGemmCuda } from './template.ts';
import { fastGroupedWorkload } from './workload.ts';

export type { GroupedCudaConfig } from './config.ts';

export const groupedGemmCudaTarget: Target<GroupedProblem, GroupedCudaConfig> = {
  space: groupedCudaSpace,
  candidates: groupedCandidates,
  source: groupedGemmCuda,
  workload: fastGroupedWorkload,
  verify: (problem, workload, outputs, config) => verifyGrouped(problem, workload, outputs, { tolerance: cudaGemmTolerance(config) }),
  peers: GROUPED_GEMM_PEERS,
};
