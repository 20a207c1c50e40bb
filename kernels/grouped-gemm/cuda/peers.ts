// What the CUDA grouped GEMM is measured beside in the same call (`bench --peers`):
// - deepgemm: DeepGEMM's grouped kernels, contiguous (per-row expert index, -1 on padding) or masked
//   (masked_m, expected_m), peers/grouped-gemm/deepgemm.py;
// - torch: torch._scaled_grouped_mm, peers/grouped-gemm/torch_grouped_mm.py. It takes row-wise scales
//   only (one per row of A, one per column of each expert's B), not 1x128 / 128x128 blocks: the peer
//   passes each row's (column's) scale of the first 128-wide K block, so it multiplies the same e4m3
//   codes with the same data movement and FLOPs, and computes C = (sum_k a*b) * scaleA[row][0] *
//   scaleB[g][col/128][0]. It is verified against exactly that (rowwiseScales below), at the BF16
//   tolerance of the FP8 peers: what it computes, not ours;
// - dense-per-group: the naive baseline, our own FP8 GEMM (fp8-gemm/cuda) launched once per group
//   that has rows, over that group's slices of the same buffers (the runner's offsetBytes), with the
//   grouped candidate's tile: what the group walk saves against a launch per group.
// DeepGEMM and torch compute whole padded tiles by contract, so their padding rows are not checked;
// the baseline's are (it stores only the group's rows, as ours).
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CudaKernelSource, CudaLaunch, CudaParam } from '../../cuda-source.ts';
import { gemmCuda } from '../../fp8-gemm/cuda/template.ts';
import { cudaGemmTolerance } from '../../fp8-gemm/cuda/tolerance.ts';
import type { Peer, Workload } from '../../types.ts';
import { groupLayout, kBlocks, nBlocks, type GroupedProblem } from '../problem.ts';
import { verifyGrouped } from '../verify.ts';
import { groupedCandidates } from './candidates.ts';
import { denseConfig } from './config.ts';
import { fastGroupedWorkload } from './workload.ts';

const BF16 = cudaGemmTolerance({ out: 'bf16' });

/** rowwiseScales' result per workload: the same object each time, so that its reference is computed once (verify.ts). */
const rowwiseOf = new WeakMap<Workload, Workload>();

/** The workload with each row's and column block's scales those of the first K block (what torch gets). */
export function rowwiseScales(problem: GroupedProblem, workload: Workload): Workload {
  let derived = rowwiseOf.get(workload);
  if (!derived) rowwiseOf.set(workload, (derived = deriveRowwise(problem, workload)));
  return derived;
}

function deriveRowwise(problem: GroupedProblem, workload: Workload): Workload {
  const KB = kBlocks(problem);
  const rowwise = (scales: Float32Array) => Float32Array.from(scales, (_, i) => scales[i - (i % KB)]);
  const buf = workload.buffers;
  return {
    ...workload,
    buffers: {
      ...buf,
      scaleA: { ...buf.scaleA, data: rowwise(buf.scaleA.data as Float32Array) },
      scaleB: { ...buf.scaleB, data: rowwise(buf.scaleB.data as Float32Array) },
    },
  };
}

/** The baseline's launches: the dense kernel once per group with rows, over the group's slices. */
export function densePerGroup(problem: GroupedProblem, caps: Capabilities): CudaKernelSource {
  const [first] = groupedCandidates(problem, caps);
  if (!first) throw new Error(`grouped-gemm: no candidate fits this device for ${JSON.stringify(problem)}`);
  const config = denseConfig(first);
  const layout = groupLayout(problem);
  const { N, K } = problem;
  const KB = kBlocks(problem);
  const NB = nBlocks(problem);
  const outBytes = config.out === 'bf16' ? 2 : 4;
  const groups = layout.counts.flatMap((count, g) => (count > 0 ? [{ g, count, r0: layout.offsets[g] }] : []));
  let code = '';
  const launches: CudaLaunch[] = groups.map(({ g, count, r0 }) => {
    const source = gemmCuda({ M: count, N, K }, config, caps);
    code = source.code;
    const offsets: Readonly<Record<string, number>> = { a: r0 * K, b: g * N * K, scaleA: 4 * r0 * KB, scaleB: 4 * g * NB * KB, c: outBytes * r0 * N };
    const [launch] = source.launches;
    return {
      ...launch,
      params: launch.params.map((p): CudaParam => ('buffer' in p ? { ...p, offsetBytes: offsets[p.buffer] } : p)),
    };
  });
  // The sizes are launch arguments: one compiled kernel serves every group (its header names the last).
  return { language: 'cuda', code, launches, flags: gemmCuda({ M: 1, N, K }, config, caps).flags, outputTypes: { c: config.out } };
}

export const GROUPED_GEMM_PEERS: readonly Peer<GroupedProblem>[] = [
  {
    name: 'deepgemm',
    config: { library: 'DeepGEMM', via: 'm_grouped_fp8_gemm_nt_contiguous / _masked (or the older m_grouped_gemm_fp8_fp8_bf16_nt_*)', scaleA: '1x128', scaleB: '128x128', out: 'bf16' },
    via: { kind: 'command', command: ['python3', 'peers/grouped-gemm/deepgemm.py'], outputs: { c: 'bf16' } },
    verify: (problem, workload, outputs) => verifyGrouped(problem, workload, outputs, { tolerance: BF16, padding: 'unchecked' }),
  },
  {
    name: 'torch',
    config: { library: 'torch', via: 'torch._scaled_grouped_mm', scaleA: 'row-wise (first K block of each row)', scaleB: 'column-wise (first K block of each column block)', out: 'bf16' },
    via: { kind: 'command', command: ['python3', 'peers/grouped-gemm/torch_grouped_mm.py'], outputs: { c: 'bf16' } },
    verify: (problem, workload, outputs) => verifyGrouped(problem, rowwiseScales(problem, workload), outputs, { tolerance: BF16, padding: 'unchecked' }),
  },
  {
    name: 'dense-per-group',
    config: { library: 'tilesweep fp8-gemm', via: 'one dense launch per group with rows, the first grouped candidate\'s tile', scaleA: '1x128', scaleB: '128x128', out: 'bf16' },
    via: { kind: 'launch', source: densePerGroup, workload: fastGroupedWorkload },
    verify: (problem, workload, outputs) => verifyGrouped(problem, workload, outputs, { tolerance: BF16 }),
  },
];
