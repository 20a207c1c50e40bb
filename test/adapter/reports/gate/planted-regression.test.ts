// Needs a WebGPU adapter (lavapipe will do). The gate end to end on real sweeps: two sweeps of the
// same narrowed fp8-gemm space, then a regression planted in the second by passing a deliberately
// slower config off as the fast one (their rows swap configs). The gate, comparing ratios to a
// reference config measured in the same process, must catch it and exit 1. Then --rerun re-measures
// an ambiguous pair on this adapter.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readResults } from '../../../../core/results-file.ts';
import type { ResultsFile } from '../../../../core/results.ts';
import type { GateReport } from '../../../../reports/gate/types.ts';

// Six configs differing in TM and decode; measured here the fast one (TM=4, bits) runs 3-15x
// faster than the planted slow one (TM=1, table), and TM=2 with bits serves as the reference.
const SPACE = ['--param', 'BM=32', '--param', 'BN=32', '--param', 'TM=1,2,4', '--param', 'TN=4', '--param', 'BK=128',
  '--param', 'vec=4', '--param', 'stage=none', '--param', 'decode=bits,table', '--param', 'arith=f32'];
const REFERENCE = ['--reference-config', 'TM=2,decode=bits'];
const isFast = (c: Record<string, unknown>) => c.TM === 4 && c.decode === 'bits';
const isSlow = (c: Record<string, unknown>) => c.TM === 1 && c.decode === 'table';

let dir = '';
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/tilesweep.js', ...args], { encoding: 'utf8' });

function sweep(name: string): ResultsFile {
  const out = join(dir, name);
  const run = cli('tune', 'fp8-gemm', '--backend', 'webgpu', '--preset', 'small', '--no-cache', '--time-ms', '100', ...SPACE, '--out', out);
  assert.equal(run.status, 0, run.stderr);
  const results = readResults(out);
  assert.equal(results.runs.filter((r) => r.status === 'ok').length, 6, JSON.stringify(results.runs.map((r) => r.error)));
  return results;
}

function gate(baseline: string, current: string, ...flags: string[]): { code: number | null; report: GateReport; stderr: string } {
  const run = cli('gate', '--baseline', join(dir, baseline), '--current', join(dir, current), ...REFERENCE, '--json', ...flags);
  return { code: run.status, report: JSON.parse(run.stdout || '{}'), stderr: run.stderr };
}

let current: ResultsFile;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tilesweep-gate-'));
  sweep('baseline.json');
  current = sweep('current.json');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('a slower config passed off as the fast one is caught as slower, exit 1', () => {
  const planted = structuredClone(current);
  const fast = planted.runs.find((r) => isFast(r.config))!;
  const slow = planted.runs.find((r) => isSlow(r.config))!;
  [fast.config, slow.config] = [slow.config, fast.config];
  writeFileSync(join(dir, 'planted.json'), JSON.stringify(planted));

  const { code, report, stderr } = gate('baseline.json', 'planted.json', '--pairing', 'config');
  assert.equal(code, 1, stderr);
  const pair = report.pairs.find((p) => p.baseline && isFast(p.baseline.config));
  assert.equal(pair?.label, 'slower', pair?.reason);
  assert.equal(pair?.normalized, true, 'compared as ratios to the same-run reference');
  assert.ok(report.failures.some((f) => /confirmed slower/.test(f)));
  // The reference itself is not a pair; the other five configs are.
  assert.equal(report.pairs.length, 5);
});

test('--rerun re-measures an ambiguous pair on this adapter and decides it again', () => {
  // Three samples a side cannot be tested (5 are needed): the fast config becomes ambiguous.
  const few = structuredClone(current);
  const fast = few.runs.find((r) => isFast(r.config))!;
  fast.samplesMs = fast.samplesMs!.slice(0, 3);
  writeFileSync(join(dir, 'few.json'), JSON.stringify(few));

  const without = gate('baseline.json', 'few.json');
  const ambiguous = without.report.pairs.find((p) => p.current && isFast(p.current.config));
  assert.equal(ambiguous?.label, 'ambiguous', ambiguous?.reason);

  const rerun = gate('baseline.json', 'few.json', '--rerun', '1');
  assert.ok(rerun.code === 0 || rerun.code === 1, rerun.stderr);
  const pair = rerun.report.pairs.find((p) => p.current && isFast(p.current.config));
  assert.equal(pair?.reruns, 1);
  assert.ok((pair?.current?.samplesMs.length ?? 0) > 3, 'the new samples joined the current side');
  // Now there are enough samples to test; what the test says depends on this machine's noise.
  assert.equal(typeof pair?.statistics?.pValue, 'number', pair?.reason);
});
