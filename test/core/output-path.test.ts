// Output paths are checked before any device opens: each unusable one is a one-line UsageError
// naming the flag and the path; nothing under /proc or /sys is accepted; a usable one leaves
// nothing behind but the folders it needs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { checkOutputDir, checkOutputFile } from '../../core/output-path.ts';

const refused = (flag: string, pattern: RegExp) => (e: Error) =>
  e instanceof UsageError && e.message.includes(flag) && pattern.test(e.message) && !e.message.includes('\n');

test('a file output that is a folder, or under a file, is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-out-'));
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'file'), 'x');
  assert.throws(() => checkOutputFile(join(dir, 'folder'), '--out'), refused('--out', /is a folder/));
  assert.throws(() => checkOutputFile(join(dir, 'file', 'r.json'), '--out'), refused('--out', /is a file, not a folder/));
  assert.throws(() => checkOutputDir(join(dir, 'file'), '--cache'), refused('--cache', /is a file, not a folder/));
});

test('nothing under /proc or /sys is an output, also through a symlink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-out-'));
  symlinkSync('/proc/self', join(dir, 'link'));
  for (const path of ['/proc/self/r.json', '/proc/x/y/z.json', '/sys/kernel/r.json', join(dir, 'link', 'r.json')]) {
    assert.throws(() => checkOutputFile(path, '--out'), refused('--out', /\/proc|\/sys/), path);
  }
  assert.throws(() => checkOutputDir('/proc/self/report', '--out'), refused('--out', /\/proc/));
});

test('a usable output makes its folders and leaves no probe file behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-out-'));
  checkOutputFile(join(dir, 'a', 'b', 'r.json'), '--out');
  assert.deepEqual(readdirSync(join(dir, 'a', 'b')), []);
  checkOutputDir(join(dir, 'report'), '--out');
  assert.ok(existsSync(join(dir, 'report')));
  assert.deepEqual(readdirSync(join(dir, 'report')), []);
  writeFileSync(join(dir, 'existing.json'), 'old');
  checkOutputFile(join(dir, 'existing.json'), '--out');
  assert.ok(existsSync(join(dir, 'existing.json')));
});
