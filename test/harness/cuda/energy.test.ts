import assert from 'node:assert/strict';
import { test } from 'node:test';
import { energyMeasurement, launchesFor, type EnergyReply } from '../../../harness/cuda/energy.ts';

const reply: EnergyReply = { launches: 400, gpuMs: 500, joules: 350, samples: 98, smMHz: 1600, smMHzMin: 1545, smMHzMax: 1680, boardWatts: 698, powerCappedShare: 0.97 };

test('per-launch figures follow from the span: joules and time per launch, counter power', () => {
  const e = energyMeasurement(reply);
  assert.equal(e.msPerLaunch, 1.25);
  assert.equal(e.joulesPerLaunch, 0.875);
  assert.equal(e.watts, 700);
  assert.deepEqual([e.smMHz, e.smMHzMin, e.smMHzMax, e.boardWatts, e.powerCappedShare, e.samples], [1600, 1545, 1680, 698, 0.97, 98]);
});

test('a counter that did not advance, or an empty span, is an error that names the values', () => {
  assert.throws(() => energyMeasurement({ ...reply, joules: 0 }), /did not advance over 500\.0 ms/);
  assert.throws(() => energyMeasurement({ ...reply, launches: 0 }), /0 launches over 500 ms/);
  assert.throws(() => energyMeasurement({ ...reply, gpuMs: 0 }), /400 launches over 0 ms/);
});

test('launchesFor fills the span at the probed pace, at least one launch', () => {
  assert.equal(launchesFor(500, 0.8), 625);
  assert.equal(launchesFor(500, 0.7), 715);
  assert.equal(launchesFor(0, 2), 1);
  assert.equal(launchesFor(10, 0), 10000);
});
