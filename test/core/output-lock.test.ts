// One writer per output file: a second sweep on the same --out is refused while the first runs; a
// lock left by a process that died is taken over, and so are its orphaned temporary files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { lockOutput } from '../../core/output-lock.ts';

/** The pid of a process that has already exited. */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

test('a lock held by a running process refuses the output, naming it and the holder', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'tilesweep-lock-')), 'r.json');
  writeFileSync(`${out}.lock`, `${process.ppid}\n`);
  assert.throws(() => lockOutput(out), (e: Error) => e instanceof UsageError && e.message.includes(out) && e.message.includes(String(process.ppid)));
});

test('a lock is released, and a lock or temporary file left by a dead process is taken over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-lock-'));
  const out = join(dir, 'r.json');
  const release = lockOutput(out);
  assert.ok(existsSync(`${out}.lock`));
  assert.throws(() => lockOutput(out), UsageError, 'the same output twice in one process is refused too');
  release();
  assert.ok(!existsSync(`${out}.lock`));
  const dead = deadPid();
  writeFileSync(`${out}.lock`, `${dead}\n`);
  writeFileSync(`${out}.${dead}.tmp`, 'half a file');
  lockOutput(out)();
  assert.deepEqual(readdirSync(dir), []);
});
