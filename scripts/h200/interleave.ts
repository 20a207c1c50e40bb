// Our best config and cuBLASLt's block-scaled FP8 (called by the runner: kernels/fp8-gemm/cuda/
// cublaslt.ts) timed in alternating rounds on the same buffers, in the same process and stream, with
// the same timing (CUDA events, L2 flushed before every sample, graph replay). A drift of the
// machine between two measurements (clocks, power, a neighbour) then moves both sides alike, which
// peers measured by torch before and after the whole sweep cannot promise. cuBLASLt's output is
// verified against the CPU reference first, like ours.
import type { ResultRow } from '../../core/results.ts';
import type { CudaBackend } from '../../harness/cuda/backend.ts';
import { relativeMarginOfError } from '../../harness/cuda/backend.ts';
import type { TimingBudget } from '../../harness/backend.ts';
import { summarize } from '../../harness/measure.ts';
import { CUBLASLT_PEER, gemmCublasLt } from '../../kernels/fp8-gemm/cuda/cublaslt.ts';
import { fp8GemmCuda } from '../../kernels/fp8-gemm/cuda/index.ts';
import type { CudaGemmConfig } from '../../kernels/fp8-gemm/cuda/space.ts';
import { gemmCuda } from '../../kernels/fp8-gemm/cuda/template.ts';
import type { GemmProblem } from '../../kernels/fp8-gemm/problem.ts';
import type { Interleaved } from './compare.ts';

export interface InterleaveOutcome {
  /** cuBLASLt's peer row: its samples are the rounds' medians. */
  row: ResultRow;
  interleaved?: Interleaved;
}

export async function interleave(backend: CudaBackend, problem: GemmProblem, best: CudaGemmConfig, rounds: number, timing: TimingBudget): Promise<InterleaveOutcome> {
  const base = { kernel: fp8GemmCuda.name, problem: { ...problem }, config: { ...CUBLASLT_PEER }, role: 'peer' as const, flops: fp8GemmCuda.flops(problem), bytes: fp8GemmCuda.bytes(problem) };
  const workload = fp8GemmCuda.workload(problem, 1);
  const buffers = await backend.upload(workload);
  try {
    const lt = await backend.compile(gemmCublasLt(problem));
    const ours = await backend.compile(gemmCuda(problem, best, backend.caps));
    await backend.run(lt, buffers);
    const verified = fp8GemmCuda.verify(problem, workload, { c: await backend.read(buffers, 'c') }, { ...best, out: 'bf16' });
    if (!verified.ok) return { row: { ...base, status: 'mismatch', verified, error: 'cuBLASLt (through the runner) differs from the CPU reference' } };
    const oursMs: number[] = [];
    const cublasLtMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      oursMs.push((await backend.time(ours, buffers, timing)).medianMs);
      cublasLtMs.push((await backend.time(lt, buffers, timing)).medianMs);
    }
    const row: ResultRow = { ...base, status: 'ok', verified, timer: 'cuda-event', ...summarize(cublasLtMs, relativeMarginOfError(cublasLtMs)) };
    return { row, interleaved: { oursMs, cublasLtMs } };
  } catch (error) {
    return { row: { ...base, status: 'runtime-error', error: (error as Error).message.split('\n')[0] } };
  } finally {
    backend.release(buffers);
  }
}
