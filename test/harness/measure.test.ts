// The measurement loop: samples are the device durations the sample function returns; a settling
// time runs untimed calls back to back for that long before any sample is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { measure } from '../../harness/measure.ts';

const budget = { warmupIterations: 2, timeMs: 5, minSamples: 5, maxSamples: 8 };

async function counted(settleMs?: number): Promise<{ calls: number; kept: number; medianMs: number }> {
  let calls = 0;
  const m = await measure(async () => {
    calls++;
    await sleep(1);
    return 0.25;
  }, { ...budget, ...(settleMs ? { settleMs } : {}) });
  return { calls, kept: m.samplesMs.length, medianMs: m.medianMs };
}

test('samples are the returned device durations, after the warm-up calls', async () => {
  const plain = await counted();
  assert.equal(plain.medianMs, 0.25);
  assert.ok(plain.kept >= budget.minSamples && plain.kept <= budget.maxSamples, `${plain.kept} samples`);
  assert.ok(plain.calls - plain.kept <= budget.warmupIterations + 1, `${plain.calls - plain.kept} untimed calls`);
});

test('settleMs runs untimed calls for that long before the samples', async () => {
  const settled = await counted(60);
  // Each call takes at least 1 ms of wall time: 60 ms of settling is at most 60 calls, and many more than the warm-up's 2.
  assert.ok(settled.calls - settled.kept >= 15, `${settled.calls - settled.kept} untimed calls`);
  assert.equal(settled.medianMs, 0.25);
});
