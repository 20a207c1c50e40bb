// `tilesweep gate` end to end through the CLI: exit 0 pass, 1 regression, 2 bad input (one line),
// and each output format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_DIR } from '../../fixtures/gate/make-fixtures.ts';

const CLI = join(FIXTURE_DIR, '..', '..', '..', 'bin', 'tilesweep.js');

function gate(fixture: string, ...flags: string[]) {
  const args = ['gate', '--baseline', join(FIXTURE_DIR, fixture, 'baseline.json'), '--current', join(FIXTURE_DIR, fixture, 'current.json'), ...flags];
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('exit 1 and a FAIL line on a confirmed regression; JSON report with --json', () => {
  const table = gate('2x-slower');
  assert.equal(table.code, 1, table.stderr);
  assert.match(table.stdout, /^SLOWER +fp8-gemm/m);
  assert.match(table.stdout, /gate FAIL: 1 confirmed slower/);
  const json = gate('2x-slower', '--json');
  const report = JSON.parse(json.stdout);
  assert.equal(report.schema, 'tilesweep.gate/1');
  assert.equal(report.counts.slower, 1);
  assert.equal(report.exitCode, 1);
});

test('exit 0 on A/A noise; markdown and github-action-benchmark files written alongside', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gate-cli-'));
  try {
    const run = gate('a-a-noise', '--out-markdown', join(dir, 'gate.md'), '--out-benchmark', join(dir, 'bench.json'));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /gate PASS/);
    assert.match(readFileSync(join(dir, 'gate.md'), 'utf8'), /^### :white_check_mark: tilesweep gate PASS/);
    const entries = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'));
    // Two configs, each in ms and in multiples of the reference.
    assert.equal(entries.length, 4);
    for (const entry of entries) {
      assert.equal(typeof entry.name, 'string');
      assert.ok(['ms', 'x reference'].includes(entry.unit));
      assert.ok(entry.value > 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exit 2 with one line for other hardware, non-JSON input and a bad flag value', () => {
  const other = gate('other-device');
  assert.equal(other.code, 2);
  assert.equal(other.stdout, '');
  assert.match(other.stderr, /^tilesweep: baseline .* was measured on other hardware: .*--allow-other-device[^\n]*\n$/);
  assert.equal(gate('other-device', '--allow-other-device').code, 0);

  const notJson = spawnSync(process.execPath, [CLI, 'gate', '--baseline', join(FIXTURE_DIR, 'bad-input', 'not-json.json'),
    '--current', join(FIXTURE_DIR, 'a-a-noise', 'current.json')], { encoding: 'utf8' });
  assert.equal(notJson.status, 2);
  assert.match(notJson.stderr, /not-json\.json is not a tilesweep results file: not valid JSON/);

  const badThreshold = gate('a-a-noise', '--threshold', 'five');
  assert.equal(badThreshold.code, 2);
  assert.match(badThreshold.stderr, /--threshold "five" is not a percentage/);
});

test('per-kernel threshold and --fail-on-ambiguous change the verdict as documented', () => {
  assert.equal(gate('10pct-slower', '--kernel-threshold', 'fp8-gemm=20').code, 0);
  assert.equal(gate('too-few-samples-ambiguous').code, 0);
  assert.equal(gate('too-few-samples-ambiguous', '--fail-on-ambiguous').code, 1);
});

test('an --out-* file that cannot be written is exit 2 with one line, never the regression code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gate-cli-'));
  try {
    for (const flag of ['--out-markdown', '--out-json', '--out-benchmark']) {
      const run = gate('a-a-noise', flag, dir);
      assert.equal(run.code, 2, `${flag}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`^tilesweep: ${flag} ${dir}: is a folder[^\\n]*\\n$`));
      assert.ok(!run.stdout.includes('PASS'), 'no verdict is printed before the outputs are known to be writable');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
