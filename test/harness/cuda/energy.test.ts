import assert from 'node:assert/strict';
import { test } from 'node:test';
import { energyMeasurement, launchesFor, type EnergyReply } from '../../../harness/cuda/energy.ts';

const reply: EnergyReply = { launches: 400, gpuMs: 500, joules: 350, samples: 98, smMHz: 1600, smMHzMin: 1545, smMHzMax: 1680, boardWatts: 698, powerCappedShare: 0.97 };

test('without two counter steps inside the span, power is the counter\'s whole advance over the span', () => {
  const e = energyMeasurement(reply);
  assert.equal(e.method, 'counter-span');
  assert.equal(e.msPerLaunch, 1.25);
  assert.equal(e.joulesPerLaunch, 0.875);
  assert.equal(e.watts, 700);
  assert.equal(e.cyclesPerLaunch, 1.25 * 1600 * 1000);
  assert.deepEqual([e.smMHz, e.smMHzMin, e.smMHzMax, e.boardWatts, e.powerCappedShare, e.samples], [1600, 1545, 1680, 698, 0.97, 98]);
  // Steps covering less than half the span do not count either.
  assert.equal(energyMeasurement({ ...reply, steps: 3, stepMs: 200, stepJoules: 130 }).method, 'counter-span');
});

test('with counter steps over most of the span, power is the energy between the first and last step over their time', () => {
  // The whole advance (350 J) includes part-steps at both ends; between the steps: 6 steps, 400 ms, 260 J = 650 W.
  const e = energyMeasurement({ ...reply, steps: 6, stepMs: 400, stepJoules: 260 });
  assert.equal(e.method, 'counter-steps');
  assert.equal(e.watts, 650);
  assert.equal(e.joulesPerLaunch, 650 * 1.25 / 1000);
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
