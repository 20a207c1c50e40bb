// The statistical bar of the gate, by simulation with fixed seeds: 200 A/A pairs at 3% noise with
// 10 samples a side give at most 1% false alarms, and a 10% regression at the same noise is caught
// at least 95% of the time. Noise is multiplicative and normal: sample = true time * (1 + 0.03 z).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, type Rng } from '../../../core/rng.ts';
import { decide } from '../../../reports/gate/decide.ts';
import { DEFAULT_GATE_OPTIONS } from '../../../reports/gate/types.ts';
import type { PairLabel } from '../../../reports/gate/types.ts';

const PAIRS = 200;
const SAMPLES = 10;
const NOISE = 0.03;
const rule = DEFAULT_GATE_OPTIONS;

function samples(rng: Rng, trueMs: number): number[] {
  return Array.from({ length: SAMPLES }, () => trueMs * (1 + NOISE * rng.normal()));
}

function labels(seed: number, slowdown: number): Record<PairLabel, number> {
  const rng = createRng(seed);
  const counts: Record<string, number> = {};
  for (let i = 0; i < PAIRS; i++) {
    const trueMs = 0.5 + 2 * rng.next(); // kernels of different lengths: the rule is scale-free
    const { label } = decide(samples(rng, trueMs), samples(rng, trueMs * slowdown), rule);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts as Record<PairLabel, number>;
}

test('A/A at 3% noise, 10 samples: at most 1% of 200 pairs raise an alarm (either direction)', () => {
  for (const seed of [1, 2, 3]) {
    const counts = labels(seed, 1);
    const alarms = (counts.slower ?? 0) + (counts.faster ?? 0);
    assert.ok(alarms <= PAIRS * 0.01, `seed ${seed}: ${alarms} alarms in ${PAIRS} (${JSON.stringify(counts)})`);
  }
});

test('a 10% regression at 3% noise, 10 samples: at least 95% of 200 pairs are caught as slower', () => {
  for (const seed of [4, 5, 6]) {
    const counts = labels(seed, 1.1);
    const caught = counts.slower ?? 0;
    assert.ok(caught >= PAIRS * 0.95, `seed ${seed}: caught ${caught} of ${PAIRS} (${JSON.stringify(counts)})`);
  }
});

test('a 10% speed-up is reported as faster, not as a regression', () => {
  const counts = labels(7, 1 / 1.1);
  assert.equal(counts.slower ?? 0, 0);
  assert.ok((counts.faster ?? 0) >= PAIRS * 0.95, JSON.stringify(counts));
});

test('a 1% change at 3% noise stays "same": below the threshold, whatever the test says', () => {
  const counts = labels(8, 1.01);
  assert.equal(counts.slower ?? 0, 0);
  assert.ok((counts.same ?? 0) >= PAIRS * 0.95, JSON.stringify(counts));
});
