// Our best config and cuBLASLt's block-scaled FP8 (called by the runner: kernels/fp8-gemm/cuda/
// cublaslt.ts) timed in alternating rounds (after a settling pair, order swapped every round) on the same buffers, in the same process and stream, with
// the same timing (CUDA events, L2 flushed before every sample, graph replay). A drift of the
// machine between two measurements (clocks, power, a neighbour) then moves both sides alike, which
// peers measured by torch before and after the whole sweep cannot promise. cuBLASLt's output is
// verified against the CPU reference first, like ours.
import type { ResultRow } from '../../core/results.ts';
import type { CudaBackend } from '../../harness/cuda/backend.ts';
import { relativeMarginOfError } from '../../harness/cuda/backend.ts';
import type { TimingBudget } from '../../harness/backend.ts';
import type { EnergyBudget } from '../../harness/cuda/energy.ts';
import { summarize } from '../../harness/measure.ts';
import { CUBLASLT_PEER, gemmCublasLt } from '../../kernels/fp8-gemm/cuda/cublaslt.ts';
import { fp8GemmCudaTarget } from '../../kernels/fp8-gemm/cuda/index.ts';
import { fp8Gemm as fp8GemmCuda } from '../../kernels/fp8-gemm/index.ts';
import type { CudaGemmConfig } from '../../kernels/fp8-gemm/cuda/space.ts';
import { gemmCuda } from '../../kernels/fp8-gemm/cuda/template.ts';
import type { GemmProblem } from '../../kernels/fp8-gemm/problem.ts';
import type { Interleaved } from './compare.ts';

export interface InterleaveOutcome {
  /** cuBLASLt's peer row: its samples are the rounds' medians. */
  row: ResultRow;
  interleaved?: Interleaved;
}

/**
 * With `energy`, the timed rounds are followed by as many alternating rounds of energy per launch
 * (harness/cuda/energy.ts: NVML's counter around back-to-back launches in the sustained state).
 */
export async function interleave(backend: CudaBackend, problem: GemmProblem, best: CudaGemmConfig, rounds: number, timing: TimingBudget, energy?: EnergyBudget): Promise<InterleaveOutcome> {
  const base = { kernel: fp8GemmCuda.name, problem: { ...problem }, config: { ...CUBLASLT_PEER }, role: 'peer' as const, flops: fp8GemmCuda.flops(problem), bytes: fp8GemmCuda.bytes(problem) };
  const workload = fp8GemmCudaTarget.workload!(problem, 1);
  const buffers = await backend.upload(workload);
  try {
    const lt = await backend.compile(gemmCublasLt(problem));
    const ours = await backend.compile(gemmCuda(problem, best, backend.caps));
    await backend.run(lt, buffers);
    const verified = fp8GemmCudaTarget.verify(problem, workload, { c: await backend.read(buffers, 'c') }, { ...best, out: 'bf16' });
    if (!verified.ok) return { row: { ...base, status: 'mismatch', verified, error: 'cuBLASLt (through the runner) differs from the CPU reference' } };
    const oursMs: number[] = [];
    const cublasLtMs: number[] = [];
    const time = async (compiled: typeof ours): Promise<number> => (await backend.time(compiled, buffers, timing)).medianMs;
    // The H200 runs at 1980 MHz when rested and drops to 1500-1665 MHz under its 700 W cap within
    // ~0.1 s of load (nvidia-smi at 25 ms, run 27), while one measurement lasts ~50 ms: a discarded
    // measurement of each first, so that every counted round is in the sustained state, and the
    // order alternates (ours first in even rounds, cuBLASLt first in odd ones).
    await time(ours);
    await time(lt);
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        oursMs.push(await time(ours));
        cublasLtMs.push(await time(lt));
      } else {
        cublasLtMs.push(await time(lt));
        oursMs.push(await time(ours));
      }
    }
    const row: ResultRow = { ...base, status: 'ok', verified, timer: 'cuda-event', ...summarize(cublasLtMs, relativeMarginOfError(cublasLtMs)) };
    if (!energy) return { row, interleaved: { oursMs, cublasLtMs } };
    // A failed energy round (no NVML, no counter) keeps the timed rounds and says why.
    try {
      const joules: NonNullable<Interleaved['energy']> = { ours: [], cublasLt: [] };
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? (['ours', 'cublasLt'] as const) : (['cublasLt', 'ours'] as const);
        for (const side of order) joules[side].push(await backend.energy(side === 'ours' ? ours : lt, buffers, energy));
      }
      return { row, interleaved: { oursMs, cublasLtMs, energy: joules } };
    } catch (error) {
      return { row, interleaved: { oursMs, cublasLtMs, energyError: (error as Error).message.split('\n')[0] } };
    }
  } catch (error) {
    return { row: { ...base, status: 'runtime-error', error: (error as Error).message.split('\n')[0] } };
  } finally {
    backend.release(buffers);
  }
}
