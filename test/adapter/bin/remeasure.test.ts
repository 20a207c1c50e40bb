// Stable winners on a real adapter (lavapipe): `tune --remeasure 3` measures the three fastest again,
// marks each against the fastest re-measured one, and chooses exactly one of those tied with it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

test('tune --remeasure 3 on lavapipe: three re-measured rows, one stable winner among the tied', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'adapter-remeasure-')), 'r.json');
  const r = spawnSync(process.execPath, ['bin/tilesweep.js', 'tune', 'fp8-gemm', '--backend', 'webgpu', '--preset', 'tiny', '--strategy', 'random', '--budget', '5', '--remeasure', '3', '--no-cache', '--time-ms', '20', '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /stable winner \(re-measured/);
  const runs = JSON.parse(readFileSync(out, 'utf8')).runs as { remeasured?: boolean; samplesMs?: number[]; stable?: { tiedWithBest: boolean; chosen: boolean } }[];
  const again = runs.filter((row) => row.remeasured);
  assert.equal(runs.length - again.length, 5);
  assert.equal(again.length, 3);
  assert.ok(again.every((row) => (row.samplesMs?.length ?? 0) > 0 && row.stable));
  const chosen = again.filter((row) => row.stable!.chosen);
  assert.equal(chosen.length, 1);
  assert.equal(chosen[0].stable!.tiedWithBest, true);
});
