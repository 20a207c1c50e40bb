// --rerun re-measures ambiguous pairs (and their same-run reference) and decides again. The
// measurer here is a seeded simulation of a device, so the logic is checked without one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRng } from '../../../core/rng.ts';
import { compareRuns } from '../../../reports/gate/compare.ts';
import { loadResults } from '../../../reports/gate/load.ts';
import { rerunAmbiguous, type MeasureRequest } from '../../../reports/gate/rerun.ts';
import { DEFAULT_GATE_OPTIONS, type GateReport } from '../../../reports/gate/types.ts';
import { FIXTURE_DIR } from '../../fixtures/gate/make-fixtures.ts';

function ambiguousReport(): GateReport {
  const input = (side: string) => {
    const path = join(FIXTURE_DIR, 'too-few-samples-ambiguous', `${side}.json`);
    return { path, results: loadResults(path) };
  };
  return compareRuns(input('baseline'), input('current'), DEFAULT_GATE_OPTIONS);
}

/** A device where config A is truly 15% slower than in the baseline, on a machine `machine` times slower. */
function simulatedDevice(machine: number) {
  const rng = createRng(42);
  const calls: MeasureRequest[] = [];
  const trueMs = (config: MeasureRequest['config']) => (config.BM === 8 ? 4.0 : config.BM === 32 ? 1.2 * 1.15 : 1.65);
  const measure = async (request: MeasureRequest) => {
    calls.push(request);
    return Array.from({ length: 10 }, () => machine * trueMs(request.config) * (1 + 0.03 * rng.normal()));
  };
  return { measure, calls };
}

test('an ambiguous pair re-measured with more samples is confirmed slower, and the gate fails', async () => {
  const before = ambiguousReport();
  assert.equal(before.counts.ambiguous, 2); // A and B: 3 current samples each, 5 needed
  assert.equal(before.exitCode, 0);
  const device = simulatedDevice(1);
  const after = await rerunAmbiguous(before, device.measure, { rounds: 2 });
  const pair = after.pairs.find((p) => p.current?.config.BM === 32);
  assert.equal(pair?.label, 'slower', pair?.reason);
  assert.equal(pair?.reruns, 1);
  assert.equal(pair?.current?.samplesMs.length, 13);
  assert.equal(after.pairs.find((p) => p.current?.config.BM === 64)?.label, 'same');
  assert.equal(after.exitCode, 1);
  // Each pair re-measures the reference in the same process around the candidate, once: one round resolved both.
  assert.deepEqual(device.calls.map((c) => c.config.BM), [8, 32, 8, 8, 64, 8]);
});

test('re-measured samples are normalized by the reference measured around them, not the old one', async () => {
  // The machine is twice as slow during the rerun: raw samples would double, ratios must not.
  const after = await rerunAmbiguous(ambiguousReport(), simulatedDevice(2).measure, { rounds: 1 });
  const pair = after.pairs.find((p) => p.current?.config.BM === 32);
  assert.ok(pair?.statistics && pair.statistics.ratio > 1.05 && pair.statistics.ratio < 1.3, pair?.reason);
  assert.equal(pair?.label, 'slower');
});

test('a pair whose re-measurement fails stays ambiguous and says why', async () => {
  const failing = async () => {
    throw new Error('device lost\nmore detail');
  };
  const after = await rerunAmbiguous(ambiguousReport(), failing, { rounds: 3 });
  const pair = after.pairs.find((p) => p.current?.config.BM === 32);
  assert.equal(pair?.label, 'ambiguous');
  assert.equal(pair?.reruns, 1); // a failure is not retried
  assert.match(pair?.reason ?? '', /re-measuring failed: device lost$/);
  assert.equal(after.exitCode, 0);
});

test('a pair whose baseline has too few samples to test is not re-measured', async () => {
  const report = ambiguousReport();
  const thin = report.pairs.map((p) => (p.baseline ? { ...p, baseline: { ...p.baseline, samplesMs: p.baseline.samplesMs.slice(0, 2) } } : p));
  const device = simulatedDevice(1);
  const after = await rerunAmbiguous({ ...report, pairs: thin }, device.measure, { rounds: 2 });
  assert.equal(device.calls.length, 0);
  assert.equal(after.counts.ambiguous, 2);
});
