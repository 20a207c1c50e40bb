// --time-limit: on an injected clock that advances one second per measured config, every strategy
// stops asking once the limit has passed, and the sweep keeps the rows it has.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSweep } from '../../tuner/sweep.ts';
import { strategies } from '../../tuner/strategies/index.ts';
import { gridFamily, gridReplay } from './recorded.ts';

for (const name of Object.keys(strategies)) {
  test(`${name} stops asking for configs once --time-limit has passed`, async () => {
    let now = 0;
    const rows = await runSweep({
      family: gridFamily, problem: { n: 1 }, backend: gridReplay(), strategy: name, budget: 50, seed: 2,
      timeLimitS: 3.5, clock: () => now,
      onRow: () => void (now += 1000),
    });
    // Asked at 0, 1, 2 and 3 s; at 4 s the limit (3.5 s) has passed.
    assert.equal(rows.length, 4);
  });
}

test('stopWhen ends the sweep after the first row that satisfies it', async () => {
  const rows = await runSweep({ family: gridFamily, problem: { n: 1 }, backend: gridReplay(), strategy: 'exhaustive', stopWhen: (row) => row.config.a === 1 && row.config.b === 3 });
  assert.deepEqual(rows.at(-1)!.config, { a: 1, b: 3, c: 'x' });
  assert.equal(rows.length, 5);
});

test('re-measurement is asked for under the same time limit, counted from the start of the sweep', async () => {
  let now = 0;
  const rows = await runSweep({
    family: gridFamily, problem: { n: 1 }, backend: gridReplay(), strategy: 'random', budget: 3, seed: 2, stable: { top: 3 },
    timeLimitS: 2.5, clock: () => now,
    onRow: () => void (now += 1000),
  });
  // Three configs asked at 0, 1 and 2 s; at 3 s the limit has passed: nothing is measured again, no winner is named.
  assert.equal(rows.length, 3);
  assert.equal(rows.filter((r) => r.remeasured).length, 0);
  // With time left, the three are measured again.
  now = 0;
  const more = await runSweep({ family: gridFamily, problem: { n: 1 }, backend: gridReplay(), strategy: 'random', budget: 3, seed: 2, stable: { top: 3 }, timeLimitS: 3.5, clock: () => now, onRow: () => void (now += 1000) });
  assert.equal(more.filter((r) => r.remeasured).length, 3);
});
