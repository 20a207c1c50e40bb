import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBytesSync, writeBytesSync } from '../../../harness/cuda/large-file.ts';

test('any typed array is written whole in pieces of the given size, from its own offset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'large-file-'));
  try {
    const backing = Uint8Array.from({ length: 104 }, (_, i) => (i * 37) & 255);
    const view = backing.subarray(3, 103);
    const words = new Uint32Array(backing.buffer, 4, 25);
    for (const chunk of [1, 7, 100, 1000]) {
      const path = join(dir, `out-${chunk}.bin`);
      writeBytesSync(path, view, chunk);
      assert.deepEqual(new Uint8Array(readFileSync(path)), view);
      writeBytesSync(path, words, chunk);
      assert.deepEqual(new Uint8Array(readFileSync(path)), backing.subarray(4, 104));
    }
    const empty = join(dir, 'empty.bin');
    writeBytesSync(empty, new Uint8Array(0));
    assert.equal(readFileSync(empty).byteLength, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file is read whole in pieces, or into exactly the length asked for (zero past a short file, cut past a long one)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'large-file-'));
  try {
    const data = Uint8Array.from({ length: 101 }, (_, i) => (i * 11 + 5) & 255);
    const path = join(dir, 'in.bin');
    writeFileSync(path, data);
    for (const chunk of [1, 8, 100, 1000]) {
      assert.deepEqual(new Uint8Array(readBytesSync(path, undefined, chunk)), data);
      const longer = new Uint8Array(readBytesSync(path, 120, chunk));
      assert.deepEqual(longer.subarray(0, 101), data);
      assert.ok(longer.subarray(101).every((b) => b === 0));
      assert.deepEqual(new Uint8Array(readBytesSync(path, 40, chunk)), data.subarray(0, 40));
    }
    assert.throws(() => readBytesSync(join(dir, 'missing.bin')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
