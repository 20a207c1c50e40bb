// Needs a WebGPU adapter. Two sweeps on one --out: the second is refused (exit 2, one line naming the
// first sweep's pid) while the first runs, so neither sweep's rows vanish from the file; once the
// first has finished, the same --out is free again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readResults } from '../../../core/results-file.ts';

const SPACE = ['--param', 'BM=16', '--param', 'BN=32', '--param', 'TM=1,4', '--param', 'TN=1,4', '--param', 'BK=128',
  '--param', 'vec=4', '--param', 'stage=none', '--param', 'decode=bits', '--param', 'arith=f32'];
const tune = (out: string) => ['bin/tilesweep.js', 'tune', 'fp8-gemm', '--preset', 'tiny', '--no-cache', ...SPACE, '--time-ms', '20', '--out', out];

test('a second sweep on the --out a running sweep writes is refused; the first keeps every row', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'tilesweep-concurrent-')), 'r.json');
  const first = spawn(process.execPath, tune(out), { stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => first.on('exit', resolve));
  // The lock exists from before the device opens until the process exits; wait for it, however long start-up takes.
  while (!existsSync(`${out}.lock`) && first.exitCode === null) await sleep(20);
  assert.ok(existsSync(`${out}.lock`), 'the first sweep holds the lock');
  // Paused while the second starts, so that it is still running however fast this machine is.
  first.kill('SIGSTOP');
  const second = spawnSync(process.execPath, tune(out), { encoding: 'utf8' });
  first.kill('SIGCONT');
  assert.equal(second.status, 2, second.stderr);
  assert.equal(second.stderr, `tilesweep: another tilesweep (pid ${first.pid}) is writing ${out}; wait for it to finish or give another --out\n`);
  assert.equal(await done, 0);
  assert.equal(readResults(out).runs.length, 4);
  assert.ok(!existsSync(`${out}.lock`), 'released at exit');
  const third = spawnSync(process.execPath, tune(out), { encoding: 'utf8' });
  assert.equal(third.status, 0, third.stderr);
});
