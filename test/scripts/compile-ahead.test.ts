// scripts/compile-ahead.sh: the tune and bench calls of a plan compiled here (tilesweep compile --for
// h200 with each call's kernel, problems, space and params), other calls skipped. Skipped without nvcc.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findNvcc } from '../../harness/cuda/toolchain.ts';

const nvcc = findNvcc();

test('a plan\'s tune and bench calls are compiled into the folder; a missing plan is exit 2', { skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ahead-'));
  const space = join(dir, 'space.json');
  const config = { blockM: 128, blockN: 128, mathWarpgroups: 2, stages: 6, raster: 'along-m', out: 'bf16', loop: 'two-sets', epilogue: 'tma', grid: 'full', cluster: 1 };
  writeFileSync(space, JSON.stringify([config]));
  const plan = join(dir, 'calls.plan');
  writeFileSync(plan, [
    '# a comment',
    `tune fp8-gemm --backend cuda --shape 'M=4096,N=7168,K=2048' --space ${space} --settle-ms 200 --out $OUT/t.json`,
    `gate --current $OUT/t.json --peer-each 'cuBLASLt>=0.95'`,
    '',
  ].join('\n'));
  const into = join(dir, 'ahead');
  // Without the decode GPU tests' sources (TILESWEEP_AHEAD_TESTS=0): hundreds of kernels, minutes on a CI machine.
  const env = { ...process.env, TILESWEEP_AHEAD_TESTS: '0' };
  const run = spawnSync('bash', ['scripts/compile-ahead.sh', into, plan], { encoding: 'utf8', env });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.equal((run.stdout.match(/^== /gm) ?? []).length, 1, run.stdout);
  assert.equal(readdirSync(join(into, 'cubin')).length, 2);
  assert.equal(spawnSync('bash', ['scripts/compile-ahead.sh', into, join(dir, 'none.plan')], { env }).status, 2);
});
