// An atomic write that fails is a one-line UsageError naming the file (exit 2), and leaves no
// temporary file behind.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import { UsageError } from '../../core/errors.ts';

const oneLine = (path: string) => (e: Error) => e instanceof UsageError && e.message.includes(path) && !e.message.includes('\n');

test('writes the file whole, creating its folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-atomic-'));
  writeFileAtomic(join(dir, 'a', 'b.json'), 'text');
  assert.equal(readFileSync(join(dir, 'a', 'b.json'), 'utf8'), 'text');
  assert.deepEqual(readdirSync(join(dir, 'a')), ['b.json']);
});

test('a rename that fails (the target is a folder) is a UsageError and leaves no .tmp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-atomic-'));
  mkdirSync(join(dir, 'out.json'));
  writeFileSync(join(dir, 'out.json', 'keep'), 'x');
  assert.throws(() => writeFileAtomic(join(dir, 'out.json'), 'text'), oneLine(join(dir, 'out.json')));
  assert.deepEqual(readdirSync(dir), ['out.json']);
});

test('a folder that cannot be made (a file is in the way) is a UsageError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-atomic-'));
  writeFileSync(join(dir, 'file'), 'x');
  assert.throws(() => writeFileAtomic(join(dir, 'file', 'out.json'), 'text'), oneLine(join(dir, 'file', 'out.json')));
  assert.deepEqual(readdirSync(dir), ['file']);
});
