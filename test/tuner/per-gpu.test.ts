// bench --gpus, device-free: problems handed to two fake GPUs from one queue; each problem's
// alternating rounds (ours and a peer, tuner/side-by-side.ts) run entirely on the GPU it was given,
// and its rows say which. A problem no GPU is left for gets a failed row; the others finish.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Backend, Compiled, DeviceBuffers, TimingBudget } from '../../harness/backend.ts';
import type { ResultRow } from '../../core/results.ts';
import { DEFAULT_BUDGET } from '../../harness/measure.ts';
import { GpuPool, type GpuSlot } from '../../tuner/gpu-pool.ts';
import { perGpu } from '../../tuner/per-gpu.ts';
import { measureSideBySide, type Side } from '../../tuner/side-by-side.ts';

type Problem = { M: number };

/** A GPU that remembers which problem each timed measurement belonged to. */
function fakeGpu(gpu: number, timed: [number, number][], gone = () => false): GpuSlot {
  const backend = {
    time: async (compiled: Compiled) => {
      timed.push([Number(compiled.source.code), gpu]);
      return { samplesMs: [1, 1, 1], medianMs: 1, p10Ms: 1, p90Ms: 1, rme: 0, timer: 'cuda-event' as const, launchesPerSample: 1 };
    },
  } as unknown as Backend;
  return { gpu, backend, lost: gone };
}

const row = (problem: Problem, role: ResultRow['role']): ResultRow => ({ kernel: 'fp8-gemm', problem, config: { who: role }, role, status: 'ok', flops: 1, bytes: 1 });

/** Ours and one peer of a problem, both timed through the GPU's backend, in 3 alternating rounds. */
async function benchOne(problem: Problem, slot: GpuSlot): Promise<ResultRow[]> {
  const compiled = { source: { language: 'cuda', code: String(problem.M), launches: [] } } as unknown as Compiled;
  const side = (role: ResultRow['role']): Side => ({
    row: row(problem, role),
    time: () => slot.backend.time(compiled, {} as DeviceBuffers, DEFAULT_BUDGET as TimingBudget),
    dispose: async () => undefined,
  });
  return measureSideBySide([side('candidate'), side('peer')], { rounds: 3 });
}

test('each problem is benched entirely on one GPU, both GPUs take problems, and rows record the GPU', async () => {
  const timed: [number, number][] = [];
  const problems = [64, 128, 4096, 8192].map((M) => ({ M }));
  const results = await perGpu(problems, new GpuPool([fakeGpu(0, timed), fakeGpu(1, timed)]), { work: benchOne, failed: () => [] });
  for (const problem of problems) {
    const gpus = new Set(timed.filter(([M]) => M === problem.M).map(([, gpu]) => gpu));
    assert.equal(gpus.size, 1, `M=${problem.M}: every round on one GPU`);
    const rows = results[problems.indexOf(problem)];
    assert.deepEqual(rows.map((r) => r.role), ['candidate', 'peer']);
    assert.ok(rows.every((r) => r.gpu === [...gpus][0] && r.rounds?.length === 3), `M=${problem.M}: rows name the GPU that timed them`);
  }
  assert.deepEqual(new Set(timed.map(([, gpu]) => gpu)), new Set([0, 1]), 'both GPUs benched problems');
});

test('once both GPUs are lost, the problems left get a failed row and the call finishes', async () => {
  const timed: [number, number][] = [];
  const problems = [64, 128, 4096].map((M) => ({ M }));
  const results = await perGpu(problems, new GpuPool([fakeGpu(0, timed, () => true), fakeGpu(1, timed, () => true)]), {
    work: benchOne,
    failed: (problem, error) => [{ ...row(problem, 'candidate'), status: 'runtime-error', error: error.message }],
  });
  assert.deepEqual(results.map((rows) => rows[0].status), ['ok', 'ok', 'runtime-error']);
  assert.match(results[2][0].error!, /no GPU left: GPU 0, 1 lost/);
});
