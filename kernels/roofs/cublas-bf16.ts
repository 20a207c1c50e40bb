// The compute roof beside a decode kernel: cuBLAS's BF16 GEMM at M = N = K = 8192 (BF16 in, FP32
// compute, BF16 out), the fp8-gemm family's cublas-bf16 peer at one fixed, large, square problem,
// timed by the runner on the same stream and timing as ours. Its rate is the BF16 tensor-core rate a
// vendor library reaches on this device now, which the decode kernels' BF16 MMAs are held to.
import type { Peer, Workload } from '../types.ts';
import { BF16_TOLERANCE, CUBLAS_BF16_PEER, gemmCublasBf16, withBf16Operands } from '../fp8-gemm/cuda/cublas-bf16.ts';
import { fastGemmWorkload } from '../fp8-gemm/cuda/workload.ts';
import type { GemmProblem } from '../fp8-gemm/problem.ts';
import { verifyGemm } from '../fp8-gemm/verify.ts';

export const ROOF_GEMM: GemmProblem = { M: 8192, N: 8192, K: 8192 };

export const CUBLAS_BF16_ROOF_PEER = {
  ...CUBLAS_BF16_PEER,
  via: `${CUBLAS_BF16_PEER.via} at M=N=K=8192`,
  roof: 'compute',
  M: ROOF_GEMM.M,
  N: ROOF_GEMM.N,
  K: ROOF_GEMM.K,
} as const;

// One workload at a time: every problem of a call runs the same GEMM on the same seed, and its BF16
// operands (2 x 128 MiB, seconds to round on the host) and sampled reference are built once.
let last: { seed: number; workload: Workload } | undefined;
function roofWorkload(seed: number): Workload {
  if (last?.seed !== seed) last = { seed, workload: withBf16Operands(ROOF_GEMM, fastGemmWorkload(ROOF_GEMM, seed)) };
  return last.workload;
}

/** `--peers cublas-bf16-8192`: the same GEMM whatever the family's problem. */
export function cublasBf16Roof<P extends object>(): Peer<P> {
  const { M, N, K } = ROOF_GEMM;
  return {
    name: 'cublas-bf16-8192',
    config: CUBLAS_BF16_ROOF_PEER,
    via: { kind: 'launch', source: () => gemmCublasBf16(ROOF_GEMM), workload: (_problem, seed) => roofWorkload(seed) },
    verify: (_problem, workload, outputs) => verifyGemm(ROOF_GEMM, workload, outputs, BF16_TOLERANCE),
    flops: () => 2 * M * N * K,
    bytes: () => 2 * (M * K + N * K + M * N),
  };
}
