// The GPU pool: work goes to the lowest free GPU in submission order, waits when all are busy, and a
// lost GPU is retired after its piece in flight. Concurrency is observed with deferred promises.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Backend } from '../../harness/backend.ts';
import { GpuPool, NoGpuLeft, type GpuSlot } from '../../tuner/gpu-pool.ts';

const slot = (gpu: number, lost = () => false): GpuSlot => ({ gpu, backend: {} as Backend, lost });

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('two GPUs take two pieces at once; the third waits for the first GPU that frees', async () => {
  const pool = new GpuPool([slot(0), slot(1)]);
  const gates = [deferred(), deferred(), deferred()];
  const started: number[][] = [];
  const pieces = gates.map((g, i) => pool.submit(async (s) => {
    started.push([i, s.gpu]);
    await g.promise;
    return s.gpu;
  }));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [[0, 0], [1, 1]], 'both GPUs busy, the third piece waits');
  gates[1].resolve();
  await pieces[1];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started.at(-1), [2, 1], 'the freed GPU takes the waiting piece');
  gates[0].resolve();
  gates[2].resolve();
  assert.deepEqual(await Promise.all(pieces), [0, 1, 1]);
});

test('a caller that submits one piece at a time always gets the lowest GPU', async () => {
  const pool = new GpuPool([slot(0), slot(1)]);
  const gpus: number[] = [];
  for (let i = 0; i < 4; i++) gpus.push(await pool.submit(async (s) => s.gpu));
  assert.deepEqual(gpus, [0, 0, 0, 0]);
});

test('a lost GPU is retired after its piece; the rest go to the other; with none left, pieces fail', async () => {
  let gone = false;
  const pool = new GpuPool([slot(0, () => gone), slot(1)]);
  const first = await pool.submit(async (s) => {
    gone = true;
    return s.gpu;
  });
  assert.equal(first, 0);
  assert.deepEqual(pool.live.map((s) => s.gpu), [1]);
  assert.equal(await pool.submit(async (s) => s.gpu), 1);
  const lone = new GpuPool([slot(0, () => true)]);
  await lone.submit(async () => undefined);
  await assert.rejects(lone.submit(async () => undefined), (e: unknown) => e instanceof NoGpuLeft && /GPU 0 lost/.test((e as Error).message));
});
