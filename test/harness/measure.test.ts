// The measurement loop: samples are the device durations the sample function returns; a settling
// time runs untimed calls back to back for that long before any sample is kept. The wall clock is a
// fake that advances 1 ms per call, so the counts do not depend on how busy the machine is.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { measure } from '../../harness/measure.ts';

const budget = { warmupIterations: 2, timeMs: 5, minSamples: 5, maxSamples: 8 };

async function counted(settleMs?: number): Promise<{ calls: number; kept: number; medianMs: number }> {
  let calls = 0;
  let now = 0;
  const clock = mock.method(performance, 'now', () => now);
  try {
    const m = await measure(async () => {
      calls++;
      now += 1;
      return 0.25;
    }, { ...budget, ...(settleMs ? { settleMs } : {}) });
    return { calls, kept: m.samplesMs.length, medianMs: m.medianMs };
  } finally {
    clock.mock.restore();
  }
}

test('samples are the returned device durations, after the warm-up calls', async () => {
  const plain = await counted();
  assert.equal(plain.medianMs, 0.25);
  assert.ok(plain.kept >= budget.minSamples && plain.kept <= budget.maxSamples, `${plain.kept} samples`);
  assert.ok(plain.calls - plain.kept <= budget.warmupIterations + 1, `${plain.calls - plain.kept} untimed calls`);
});

test('settleMs runs untimed calls for that long before the samples', async () => {
  const settled = await counted(60);
  // Each call takes 1 ms of the fake clock: 60 ms of settling is 60 calls, many more than the warm-up's 2.
  assert.ok(settled.calls - settled.kept >= 60, `${settled.calls - settled.kept} untimed calls`);
  assert.ok(settled.calls - settled.kept <= 60 + budget.warmupIterations + 1, `${settled.calls - settled.kept} untimed calls`);
  assert.equal(settled.medianMs, 0.25);
});
