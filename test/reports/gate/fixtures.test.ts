// Each fixture is named for its outcome; this is the verdict each must get (the decisions, as data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../../core/errors.ts';
import { compareRuns } from '../../../reports/gate/compare.ts';
import { loadResults } from '../../../reports/gate/load.ts';
import { DEFAULT_GATE_OPTIONS, type GateOptions, type GateReport, type PairLabel } from '../../../reports/gate/types.ts';
import { FIXTURE_DIR, fixtures } from '../../fixtures/gate/make-fixtures.ts';

function gate(name: string, options: Partial<GateOptions> = {}): GateReport {
  const input = (side: string) => {
    const path = join(FIXTURE_DIR, name, `${side}.json`);
    return { path, results: loadResults(path) };
  };
  return compareRuns(input('baseline'), input('current'), { ...DEFAULT_GATE_OPTIONS, ...options });
}

/** Label of config A's pair (the one each fixture changes), by its tile. */
const labelOfA = (report: GateReport): PairLabel | undefined =>
  report.pairs.find((p) => (p.baseline ?? p.current)?.config.BM === 32)?.label;

const expectations: [string, PairLabel, 0 | 1][] = [
  ['2x-slower', 'slower', 1],
  ['10pct-slower', 'slower', 1],
  ['1pct-slower-within-noise', 'same', 0],
  ['a-a-noise', 'same', 0],
  ['faster', 'faster', 0],
  ['broken-now', 'broken', 1],
  ['too-few-samples-ambiguous', 'ambiguous', 0],
];

for (const [name, label, exitCode] of expectations) {
  test(`${name}: config A is ${label}, exit ${exitCode}`, () => {
    const report = gate(name);
    assert.equal(labelOfA(report), label, JSON.stringify(report.pairs.map((p) => [p.label, p.reason])));
    assert.equal(report.exitCode, exitCode);
    assert.equal(report.verdict, exitCode === 0 ? 'pass' : 'fail');
  });
}

test('the untouched config B is "same" in every fixture that keeps it', () => {
  for (const name of ['2x-slower', '10pct-slower', 'faster', 'a-a-noise', 'broken-now']) {
    const b = gate(name).pairs.find((p) => p.baseline?.config.BM === 64);
    assert.equal(b?.label, 'same', `${name}: ${b?.reason}`);
  }
});

test('other-device: refused as bad input, naming both fingerprints; compared with --allow-other-device', () => {
  assert.throws(() => gate('other-device'), (error: Error) =>
    error instanceof UsageError && /other hardware/.test(error.message) &&
    error.message.includes('fixture-device-0001') && error.message.includes('fixture-device-0002'));
  const report = gate('other-device', { allowOtherDevice: true });
  assert.equal(report.sameDevice, false);
  assert.equal(report.exitCode, 0);
});

test('missing-pair: a problem the current run lacks is reported as missing and fails; --allow-missing passes', () => {
  const report = gate('missing-pair');
  const missing = report.pairs.filter((p) => p.label === 'missing');
  assert.equal(missing.length, 1);
  assert.equal(missing[0].problem.M, 256);
  assert.equal(report.exitCode, 1);
  assert.match(report.failures.join(), /1 missing/);
  const allowed = gate('missing-pair', { allowMissing: true });
  assert.equal(allowed.counts.missing, 1);
  assert.equal(allowed.exitCode, 0);
});

test('missing-pair with --pairing config: the dropped config is missing too', () => {
  const report = gate('missing-pair', { pairing: 'config' });
  const missing = report.pairs.filter((p) => p.label === 'missing').map((p) => `${p.problem.M}/${p.baseline?.config.BM}`);
  assert.deepEqual(missing.sort(), ['128/64', '256/32']);
  assert.equal(report.exitCode, 1);
});

test('missing-pair in auto pairing: the problem whose config set changed is compared best against best', () => {
  const pair = gate('missing-pair').pairs.find((p) => p.problem.M === 128);
  assert.equal(pair?.pairing, 'best');
  assert.equal(pair?.label, 'same');
});

test('slower-machine-same-kernels: a uniformly 30% slower machine passes by same-run ratios, fails without them', () => {
  const normalized = gate('slower-machine-same-kernels');
  assert.ok(normalized.pairs.every((p) => p.normalized && p.label === 'same'), JSON.stringify(normalized.pairs.map((p) => p.reason)));
  assert.equal(normalized.exitCode, 0);
  const raw = gate('slower-machine-same-kernels', { normalize: false });
  assert.ok(raw.pairs.every((p) => !p.normalized && p.label === 'slower'));
  assert.equal(raw.exitCode, 1);
});

test('too-few-samples-ambiguous: fails only with --fail-on-ambiguous', () => {
  assert.equal(gate('too-few-samples-ambiguous', { failOnAmbiguous: true }).exitCode, 1);
});

test('best-of-sweep-slower: different configs pair best against best, and the slower best is caught', () => {
  const report = gate('best-of-sweep-slower');
  assert.equal(report.pairs.length, 1);
  const [pair] = report.pairs;
  assert.equal(pair.pairing, 'best');
  assert.equal(pair.baseline?.config.BM, 32); // A, 1.2 ms, the baseline's best
  assert.equal(pair.current?.config.BM, 16); // C, 1.5 ms, the current run's best (it has B and C)
  assert.equal(pair.label, 'slower');
  assert.equal(report.exitCode, 1);
});

test('--kernel-threshold raises the bar for one kernel: a 10% slowdown under a 20% threshold is same', () => {
  const report = gate('10pct-slower', { kernelThresholdPct: { 'fp8-gemm': 20 } });
  assert.equal(labelOfA(report), 'same');
  assert.equal(report.exitCode, 0);
});

test('bad input is a UsageError naming the file and the fault', () => {
  const bad = (file: string) => join(FIXTURE_DIR, 'bad-input', file);
  const usage = (pattern: RegExp) => (e: Error) => e instanceof UsageError && pattern.test(e.message);
  assert.throws(() => loadResults(bad('not-json.json')), usage(/not-json\.json is not a tilesweep results file: not valid JSON/));
  assert.throws(() => loadResults(bad('wrong-schema.json')), usage(/wrong-schema\.json is not a tilesweep results file: \/schema/));
  assert.throws(() => loadResults(bad('zero-sample.json')), usage(/runs\[1\]\.samplesMs holds a sample that is not a positive number/));
  assert.throws(() => loadResults(bad('no-such-file.json')), usage(/no-such-file\.json: no such file$/));
});

test('the committed fixture files are what make-fixtures.ts generates', () => {
  for (const [name, pair] of Object.entries(fixtures())) {
    for (const side of ['baseline', 'current'] as const) {
      const text = readFileSync(join(FIXTURE_DIR, name, `${side}.json`), 'utf8');
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(pair[side])), `${name}/${side}.json is stale`);
    }
  }
});
