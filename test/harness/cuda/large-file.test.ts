import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeBytesSync } from '../../../harness/cuda/large-file.ts';

test('a byte view is written whole in pieces of the given size, from its own offset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'large-file-'));
  try {
    const backing = Uint8Array.from({ length: 103 }, (_, i) => (i * 37) & 255);
    const view = backing.subarray(3, 103);
    for (const chunk of [1, 7, 100, 1000]) {
      const path = join(dir, `out-${chunk}.bin`);
      writeBytesSync(path, view, chunk);
      assert.deepEqual(new Uint8Array(readFileSync(path)), view);
    }
    const empty = join(dir, 'empty.bin');
    writeBytesSync(empty, new Uint8Array(0));
    assert.equal(readFileSync(empty).byteLength, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
