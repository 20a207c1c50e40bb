// Simulated annealing and the model-guided strategy, through the sweep loop on a replayed grid:
// seeded, within budget, never measuring a config twice, and reaching the optimum of a smooth space
// in a fraction of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSweep } from '../../../tuner/sweep.ts';
import { searchSpace } from '../../../tuner/space.ts';
import { modelWith } from '../../../tuner/strategies/model.ts';
import { strategies } from '../../../tuner/strategies/index.ts';
import { gridFamily, gridParams, gridReplay, gridTime, type GridConfig } from '../recorded.ts';

const spaceSize = gridParams.a.length * gridParams.b.length * gridParams.c.length;
const optimum = 1;

for (const name of ['anneal', 'model']) {
  test(`${name}: seeded, within budget, no config measured twice, optimum in under a third of the space`, async () => {
    const sweep = (seed: number, budget: number) => runSweep({ family: gridFamily, problem: { n: 1 }, backend: gridReplay(), strategy: name, budget, seed });
    const reached: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const rows = await sweep(seed, 40);
      assert.ok(rows.length <= 40, `${rows.length} rows for budget 40`);
      assert.equal(new Set(rows.map((r) => JSON.stringify(r.config))).size, rows.length, 'no config measured twice');
      assert.deepEqual(await sweep(seed, 40), rows, 'same seed, same sweep');
      const at = rows.findIndex((r) => r.medianMs === optimum);
      reached.push(at < 0 ? Infinity : at + 1);
    }
    reached.sort((a, b) => a - b);
    assert.ok(reached[2] <= spaceSize / 3, `median measurements to the optimum ${reached[2]} of ${spaceSize} (${reached.join(', ')})`);
    const small = await sweep(1, 5);
    assert.equal(small.length, 5);
  });
}

test('model: with a prior that orders configs right, the first measurement is the optimum', async () => {
  let first: GridConfig | undefined;
  await modelWith().tune(searchSpace(gridFamily.targets.wgsl!.space({ n: 1 }, gridReplay().caps)), async (config: GridConfig) => {
    first ??= config;
    return { kernel: 'grid', problem: {}, config, role: 'candidate', status: 'ok', medianMs: gridTime(config), flops: 1, bytes: 1 };
  }, { budget: 3, seed: 9, prior: (c) => gridTime(c as GridConfig) });
  assert.equal(gridTime(first!), optimum);
});

test('every strategy is in the one name map with a description', () => {
  for (const name of ['exhaustive', 'random', 'local', 'anneal', 'model']) assert.ok(strategies[name]?.description, name);
});

test('model: configs the prior cannot estimate (Infinity, NaN) rank behind the rest, and the search still covers them', async () => {
  const asked: GridConfig[] = [];
  await modelWith().tune(searchSpace(gridFamily.targets.wgsl!.space({ n: 1 }, gridReplay().caps)), async (config: GridConfig) => {
    asked.push(config);
    return { kernel: 'grid', problem: {}, config, role: 'candidate', status: 'ok', medianMs: gridTime(config), flops: 1, bytes: 1 };
  }, { budget: 96, seed: 1, prior: (c) => ((c as GridConfig).a === 1 ? Infinity : (c as GridConfig).a === 2 ? NaN : gridTime(c as GridConfig)) });
  assert.equal(gridTime(asked[0]), optimum);
  assert.equal(new Set(asked.map((c) => JSON.stringify(c))).size, 96);
});
