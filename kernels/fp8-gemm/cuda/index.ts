// The fp8-gemm family's CUDA target: the sm_90a space, the candidates generated from the problem
// and the device, the template, inputs drawn straight as e4m3 codes (GPU-sized problems need them:
// quantizing real-valued data of 4096x7168x2048 takes ~10 s on the host), and the peers measured
// beside it in the same call.
import { copyRoof } from '../../roofs/copy.ts';
import type { Peer, Target } from '../../types.ts';
import type { GemmProblem } from '../problem.ts';
import { verifyGemm } from '../verify.ts';
import { cudaGemmCandidates } from './candidates.ts';
import { BF16_TOLERANCE, CUBLAS_BF16_PEER, gemmCublasBf16, withBf16Operands } from './cublas-bf16.ts';
import { CUBLASLT_PEER, gemmCublasLt } from './cublaslt.ts';
import { cudaGemmSpace, type CudaGemmConfig } from './space.ts';
import { gemmCuda } from './template.ts';
import { parseCudaGemmConfig } from './parse.ts';
import { cudaGemmTolerance } from './tolerance.ts';
import { fastGemmWorkload } from './workload.ts';

export { cudaGemmSpace, type CudaGemmConfig } from './space.ts';
export { gemmCuda } from './template.ts';
export { fromFlat, parseCudaGemmConfig } from './parse.ts';

/** FP8 peers write BF16 C from the same e4m3 products as ours: our BF16 tolerance applies. */
const fp8Verify: Peer<GemmProblem>['verify'] = (problem, workload, outputs) => verifyGemm(problem, workload, outputs, cudaGemmTolerance({ out: 'bf16' }));

/** External peers speak the peer protocol (harness/peers/external.ts) over our inputs, from these commands. */
export const FP8_GEMM_PEERS: readonly Peer<GemmProblem>[] = [
  { name: 'cublaslt', config: CUBLASLT_PEER, via: { kind: 'launch', source: gemmCublasLt }, verify: fp8Verify },
  {
    name: 'cublas-bf16',
    config: CUBLAS_BF16_PEER,
    via: { kind: 'launch', source: gemmCublasBf16, workload: (problem, seed) => withBf16Operands(problem, fastGemmWorkload(problem, seed)) },
    verify: (problem, workload, outputs) => verifyGemm(problem, workload, outputs, BF16_TOLERANCE),
    bytes: ({ M, N, K }) => 2 * (M * K + N * K + M * N),
  },
  {
    name: 'torch',
    config: { library: 'torch', via: 'torch._scaled_mm (cuBLASLt)', scaleA: '1x128', scaleB: '128x128', out: 'bf16' },
    via: { kind: 'command', command: ['python3', 'peers/fp8-gemm/torch_scaled_mm.py'], outputs: { c: 'bf16' } },
    verify: fp8Verify,
  },
  {
    name: 'deepgemm',
    config: { library: 'DeepGEMM', via: 'deep_gemm fp8 gemm nt', scaleA: '1x128', scaleB: '128x128', out: 'bf16' },
    via: { kind: 'command', command: ['python3', 'peers/fp8-gemm/deepgemm.py'], outputs: { c: 'bf16' } },
    verify: fp8Verify,
  },
  // DeepGEMM's newest commit beside the pinned one, in the same call (DEEPGEMM_NEWEST_PATH: build-peers).
  {
    name: 'deepgemm-newest',
    config: { library: 'DeepGEMM-newest', via: 'deep_gemm fp8 gemm nt (newest commit)', scaleA: '1x128', scaleB: '128x128', out: 'bf16' },
    via: { kind: 'command', command: ['python3', 'peers/fp8-gemm/deepgemm.py', '--newest'], outputs: { c: 'bf16' } },
    verify: fp8Verify,
  },
  // The memory roof of a small-M GEMM, whose time is reading the weights: a device-to-device copy of
  // as many bytes as B's e4m3 codes (gate --roof-share 'copy:weight-bytes@M=1>=0.5').
  copyRoof(({ N, K }: GemmProblem) => N * K),
];

export const fp8GemmCudaTarget: Target<GemmProblem, CudaGemmConfig> = {
  space: cudaGemmSpace,
  candidates: (problem, caps) => cudaGemmCandidates(problem, caps),
  source: gemmCuda,
  // Today's form, or the flat form of older results files (run 53 and before).
  parseConfig: parseCudaGemmConfig,
  workload: fastGemmWorkload,
  verify: (problem, workload, outputs, config) => verifyGemm(problem, workload, outputs, cudaGemmTolerance(config)),
  peers: FP8_GEMM_PEERS,
};
