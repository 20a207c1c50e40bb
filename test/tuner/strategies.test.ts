import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESULTS_SCHEMA, type ResultRow, type ResultsFile } from '../../core/results.ts';
import { replay } from '../../harness/replay/evaluate.ts';
import type { Space } from '../../kernels/types.ts';
import { searchSpace } from '../../tuner/space.ts';
import { exhaustive } from '../../tuner/strategies/exhaustive.ts';
import { random } from '../../tuner/strategies/random.ts';

type C = { x: number; y: string };
const space: Space<C> = {
  params: { x: [1, 2, 3, 4], y: ['a', 'b'] },
  constraints: [{ name: 'x-not-3', why: 'three is out', ok: (c) => c.x !== 3 }],
};

/** A recorded sweep of the space above: time grows with x. */
const recorded: ResultsFile = {
  schema: RESULTS_SCHEMA,
  tool: { name: 'tilesweep', version: 'test' },
  device: { backend: 'replay', name: 'recorded', vendor: 'test', driver: 'test', fingerprint: 'f' },
  createdAt: new Date(0).toISOString(),
  runs: searchSpace(space).all.map(
    (config): ResultRow => ({
      kernel: 'k',
      problem: {},
      config,
      role: 'candidate',
      status: config.x === 3 ? 'invalid' : 'ok',
      ...(config.x === 3 ? { error: 'x-not-3' } : { samplesMs: [config.x], medianMs: config.x }),
      flops: 1,
      bytes: 1,
    }),
  ),
};

test('exhaustive asks for every config in order and stops at the budget of measured ones', async () => {
  const r = replay(recorded, 'k');
  const invalid = async (c: C) => (space.constraints[0].ok(c) ? r.evaluate(c) : { ...(await r.evaluate(c)), status: 'invalid' as const });
  await exhaustive.tune(searchSpace(space), invalid, { budget: Infinity, seed: 1 });
  assert.equal(r.asked.length, 8);
  const r2 = replay(recorded, 'k');
  await exhaustive.tune(searchSpace(space), r2.evaluate as (c: C) => Promise<ResultRow>, { budget: 3, seed: 1 });
  assert.deepEqual(r2.asked, [{ x: 1, y: 'a' }, { x: 1, y: 'b' }, { x: 2, y: 'a' }]);
});

test('random draws budget distinct valid configs, the same for the same seed', async () => {
  const draw = async (seed: number) => {
    const r = replay(recorded, 'k');
    await random.tune(searchSpace(space), r.evaluate as (c: C) => Promise<ResultRow>, { budget: 4, seed });
    return r.asked as C[];
  };
  const first = await draw(5);
  assert.equal(first.length, 4);
  assert.equal(new Set(first.map((c) => JSON.stringify(c))).size, 4);
  assert.ok(first.every((c) => c.x !== 3));
  assert.deepEqual(await draw(5), first);
  const others = await Promise.all([6, 7, 8, 9].map(draw));
  assert.ok(others.some((o) => JSON.stringify(o) !== JSON.stringify(first)), 'different seeds give different orders');
});

test('local search climbs to the optimum of a smooth space in far fewer measurements than exhaustive', async () => {
  type G = { a: number; b: number; c: number };
  const grid: Space<G> = { params: { a: [1, 2, 3, 4, 5, 6, 7, 8], b: [1, 2, 3, 4, 5, 6, 7, 8], c: [1, 2, 3, 4] }, constraints: [] };
  // Time grows with the distance from (6, 3, 2): one optimum, no plateaus.
  const file: ResultsFile = {
    ...recorded,
    runs: searchSpace(grid).all.map((config) => {
      const ms = 1 + Math.abs(config.a - 6) + Math.abs(config.b - 3) + Math.abs(config.c - 2);
      return { kernel: 'g', problem: {}, config, role: 'candidate', status: 'ok', samplesMs: [ms], medianMs: ms, flops: 1, bytes: 1 };
    }),
  };
  const { local } = await import('../../tuner/strategies/local.ts');
  for (const seed of [1, 2, 3]) {
    const r = replay(file, 'g');
    const seen: number[] = [];
    await local.tune(searchSpace(grid), async (c: G) => {
      const row = await r.evaluate(c);
      seen.push(row.medianMs!);
      return row;
    }, { budget: 60, seed });
    assert.ok(seen.length <= 60);
    assert.equal(Math.min(...seen), 1, `seed ${seed} reached the optimum`);
    assert.equal(new Set(r.asked.map((c) => JSON.stringify(c))).size, r.asked.length, 'no config measured twice');
  }
});
