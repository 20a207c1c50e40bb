// Needs a WebGPU adapter. The CLI's sweep end to end: an exhaustive sweep of a narrowed space on a
// small preset, a repeat served wholly from the cache, and a sweep killed with SIGKILL midway that
// a re-run completes without losing or re-measuring any finished row.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readResults } from '../../../core/results-file.ts';

const SPACE = ['--param', 'BM=16,32', '--param', 'BN=32', '--param', 'TM=1,4', '--param', 'TN=1,4', '--param', 'BK=128',
  '--param', 'vec=4', '--param', 'stage=none,workgroup', '--param', 'decode=bits', '--param', 'arith=f32'];
const sweepArgs = (dir: string, out: string) =>
  ['bin/tilesweep.js', 'tune', 'fp8-gemm', '--preset', 'tiny', '--strategy', 'exhaustive', ...SPACE, '--time-ms', '20', '--cache', dir, '--out', out];

test('an exhaustive sweep measures every config; the repeat measures nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-sweep-'));
  const first = spawnSync(process.execPath, sweepArgs(dir, join(dir, 'a.json')), { encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const a = readResults(join(dir, 'a.json'));
  assert.equal(a.runs.length, 16);
  assert.ok(a.runs.every((r) => r.status === 'ok' && r.verified?.ok && !r.cached), JSON.stringify(a.runs.map((r) => r.status)));
  assert.match(first.stdout, /16 ok/);
  const second = spawnSync(process.execPath, sweepArgs(dir, join(dir, 'b.json')), { encoding: 'utf8' });
  assert.equal(second.status, 0, second.stderr);
  const b = readResults(join(dir, 'b.json'));
  assert.ok(b.runs.every((r) => r.cached === true), 'every row from the cache');
  assert.deepEqual(b.runs.map((r) => r.samplesMs), a.runs.map((r) => r.samplesMs));
  assert.match(second.stdout, /16 ok \(16 from cache\)/);
});

test('a sweep killed with SIGKILL midway loses no finished row, and the re-run completes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-kill-'));
  const readdir = (d: string) => readdirSync(d).find((f) => f.endsWith('.jsonl'));
  const cacheFile = () => readFileSync(join(dir, readdir(dir)!), 'utf8').split('\n').filter(Boolean);
  const child = spawn(process.execPath, sweepArgs(dir, join(dir, 'killed.json')), { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (readdir(dir) && cacheFile().length >= 5) {
        clearInterval(poll);
        child.kill('SIGKILL');
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(poll);
        reject(new Error('the sweep finished before it could be killed'));
      }
    }, 20);
  });
  await exited;
  // The results file is whole (written by rename) and holds the rows finished before the kill.
  const killed = readResults(join(dir, 'killed.json'));
  assert.ok(killed.runs.length >= 4 && killed.runs.length < 16, `${killed.runs.length} rows`);
  const rerun = spawnSync(process.execPath, sweepArgs(dir, join(dir, 'rerun.json')), { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const done = readResults(join(dir, 'rerun.json'));
  assert.equal(done.runs.length, 16);
  assert.ok(done.runs.every((r) => r.status === 'ok'));
  for (const before of killed.runs) {
    const after = done.runs.find((r) => r.key === before.key);
    assert.equal(after?.cached, true, 'finished rows are served from the cache, not re-measured');
    assert.deepEqual(after?.samplesMs, before.samplesMs);
  }
  assert.equal(done.runs.filter((r) => !r.cached).length, 16 - done.runs.filter((r) => r.cached).length);
  assert.ok(existsSync(join(dir, 'rerun.json')));
});

test('a shape whose buffers exceed the adapter limit exits 2 naming the buffer', () => {
  const result = spawnSync(process.execPath, ['bin/tilesweep.js', 'tune', 'fp8-gemm', '--shape', 'M=65536,N=65536,K=128', '--no-cache'], { encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /buffer c of M=65536,N=65536,K=128 needs 17179869184 bytes, more than this adapter's \d+-byte buffer limit/);
});
