// `npm test` ends with one line summing every group's TAP report.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain ES module without types (scripts run before any build).
import { summarize, tapTotals } from '../../scripts/test-summary.mjs';

const tap = (pass: number, fail: number, skipped: number, extra = '') =>
  `TAP version 13\n# Subtest: a\n    # pass 99\nok 1 - a\n1..1\n# tests ${pass + fail + skipped}\n# suites 0\n# pass ${pass}\n# fail ${fail}\n# cancelled 0\n# skipped ${skipped}\n# todo 0\n${extra}`;

test('totals are the top-level counts, not a nested subtest\'s', () => {
  assert.deepEqual(tapTotals(tap(3, 1, 2)), { passed: 3, failed: 1, skipped: 2 });
  assert.equal(tapTotals('TAP version 13\nnot ok 1 - crashed\n'), undefined);
});

test('every group is summed into one line; a group without a report counts as a failure', () => {
  const all = summarize([{ name: 'unit', text: tap(240, 0, 3) }, { name: 'adapter', text: tap(30, 1, 0) }, { name: 'browser', text: undefined }]);
  assert.equal(all.line, 'tests: 270 passed, 2 failed, 3 skipped');
  assert.deepEqual(all.notes, ['test group browser ended without a report']);
});

test('the script prints the line last and exits 1 on any failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-summary-'));
  writeFileSync(join(dir, 'unit.tap'), tap(5, 0, 1));
  writeFileSync(join(dir, 'adapter.tap'), tap(2, 0, 0));
  const ok = spawnSync(process.execPath, ['scripts/test-summary.mjs', join(dir, 'unit.tap'), join(dir, 'adapter.tap')], { encoding: 'utf8' });
  assert.equal(ok.status, 0);
  assert.equal(ok.stdout, 'tests: 7 passed, 0 failed, 1 skipped\n');
  const missing = spawnSync(process.execPath, ['scripts/test-summary.mjs', join(dir, 'unit.tap'), join(dir, 'none.tap')], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /\ntests: 5 passed, 1 failed, 1 skipped\n$/);
});
