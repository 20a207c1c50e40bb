// Sharded sweeps on a real adapter (lavapipe): `tune --shard 1/2` and `2/2`, merged, evaluate exactly
// the unsharded sweep's configs in its order with the same statuses (timings are measured anew, so
// only they differ).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'adapter-shards-'));
const SPACE = ['BM=16,32', 'BN=16,32', 'TM=2', 'TN=1,2', 'BK=128', 'vec=1', 'stage=none', 'decode=bits', 'arith=f32'];
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/tilesweep.js', ...args], { encoding: 'utf8' });
const tune = (out: string, ...extra: string[]) => {
  const r = cli('tune', 'fp8-gemm', '--backend', 'webgpu', '--preset', 'tiny', '--strategy', 'exhaustive', ...SPACE.flatMap((p) => ['--param', p]), '--no-cache', '--time-ms', '10', '--out', out, ...extra);
  assert.equal(r.status, 0, r.stderr);
};
const configsOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')).runs.map((r: { config: object; status: string }) => [r.config, r.status]);

test('an exhaustive sweep in 2 shards on lavapipe, merged, holds the unsharded sweep\'s configs and statuses in order', () => {
  tune(join(dir, 'whole.json'));
  tune(join(dir, 'a.json'), '--shard', '1/2');
  tune(join(dir, 'b.json'), '--shard', '2/2');
  const merged = cli('merge', join(dir, 'a.json'), join(dir, 'b.json'), '--out', join(dir, 'merged.json'));
  assert.equal(merged.status, 0, merged.stderr);
  assert.equal(configsOf(join(dir, 'whole.json')).length, 8);
  assert.deepEqual(configsOf(join(dir, 'merged.json')), configsOf(join(dir, 'whole.json')));
});
