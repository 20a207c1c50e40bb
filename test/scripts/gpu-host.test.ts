// scripts/gpu-host.sh plan: one CLI call per line, in order, each logged; a failing call does not stop
// the rest and the exit status is the worst. Run here with this machine's node standing in for the
// unpacked one (the script finds it where it would have unpacked it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

test('a plan runs every line in order, logs each call, and exits with the worst status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-host-'));
  const bin = join(dir, `tilesweep-node-${process.getuid?.() ?? 0}`);
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const plan = join(dir, 'calls.plan');
  writeFileSync(plan, "# a comment\n--version\n\nbench no-such-kernel --backend cuda\n--version\n");
  const logs = join(dir, 'logs');
  const run = spawnSync('bash', ['scripts/gpu-host.sh', 'plan', plan, logs], { encoding: 'utf8', env: { ...process.env, TMPDIR: dir, XDG_RUNTIME_DIR: dir } });
  assert.equal(run.status, 2, run.stderr);
  assert.deepEqual(readdirSync(logs).sort(), ['01.log', '02.log', '03.log']);
  assert.match(run.stdout, /== 1: exit 0[\s\S]*== 2: exit 2[\s\S]*== 3: exit 0/);
  assert.match(readFileSync(join(logs, '02.log'), 'utf8'), /unknown kernel "no-such-kernel"/);
  const missing = spawnSync('bash', ['scripts/gpu-host.sh', 'plan', join(dir, 'none.plan')], { encoding: 'utf8', env: { ...process.env, TMPDIR: dir, XDG_RUNTIME_DIR: dir } });
  assert.equal(missing.status, 2);
});

test('binaries compiled ahead are unpacked into the compile cache once per archive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-host-cache-'));
  const bin = join(dir, `tilesweep-node-${process.getuid?.() ?? 0}`);
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  // A checkout with only what the script reads: its scripts, the carried archive, and node_modules.
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'scripts'), { recursive: true });
  mkdirSync(join(tree, '.carry'));
  writeFileSync(join(tree, 'scripts', 'gpu-host.sh'), readFileSync('scripts/gpu-host.sh'));
  symlinkSync(join(process.cwd(), 'node_modules'), join(tree, 'node_modules'));
  symlinkSync(join(process.cwd(), 'bin'), join(tree, 'bin'));
  const ahead = join(dir, 'ahead', 'cubin');
  mkdirSync(ahead, { recursive: true });
  writeFileSync(join(ahead, 'k1.fatbin'), 'binary');
  writeFileSync(join(ahead, 'k1.ptxas.json'), '{}');
  assert.equal(spawnSync('bash', ['-c', `tar -C ${join(dir, 'ahead')} -cf - cubin | xz > ${join(tree, '.carry', 'cuda-cache.tar.xz')}`]).status, 0);
  const cache = join(dir, 'cache');
  const env = { ...process.env, TMPDIR: dir, XDG_RUNTIME_DIR: dir, TILESWEEP_CUDA_CACHE: cache };
  const run = spawnSync('bash', [join(tree, 'scripts', 'gpu-host.sh'), '--version'], { encoding: 'utf8', env, cwd: tree });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(readFileSync(join(cache, 'cubin', 'k1.fatbin'), 'utf8'), 'binary');
  // Not again for the same archive: a binary removed from the cache stays removed.
  rmSync(join(cache, 'cubin', 'k1.fatbin'));
  assert.equal(spawnSync('bash', [join(tree, 'scripts', 'gpu-host.sh'), '--version'], { encoding: 'utf8', env, cwd: tree }).status, 0);
  assert.equal(existsSync(join(cache, 'cubin', 'k1.fatbin')), false);
});

test('test PART picks the GPU tests whose path holds it; a PART that matches none is exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-host-test-'));
  const bin = join(dir, `tilesweep-node-${process.getuid?.() ?? 0}`);
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  // Without the runner's own context variable, the inner test run reports as a top-level run would.
  const { NODE_TEST_CONTEXT: _, ...outer } = process.env;
  const env = { ...outer, TMPDIR: dir, XDG_RUNTIME_DIR: dir };
  const none = spawnSync('bash', ['scripts/gpu-host.sh', 'test', 'no-such-part'], { encoding: 'utf8', env });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no GPU test path holds no-such-part/);
  // Here (no driver) the one file picked runs and fails at the device: only its tests are reported.
  const one = spawnSync('bash', ['scripts/gpu-host.sh', 'test', 'roofs'], { encoding: 'utf8', env });
  assert.match(one.stdout, /copy and cuBLAS BF16 roofs/);
  assert.doesNotMatch(one.stdout, /GEMV|grouped/i);
});
