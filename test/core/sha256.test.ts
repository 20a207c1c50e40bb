// The portable SHA-256 gives node:crypto's digest, so cache keys and fingerprints made in a browser
// match the CLI's; block boundaries (55, 56, 63, 64 bytes) and multi-byte UTF-8 are where it could slip.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha256Hex } from '../../core/sha256.ts';

test('sha256Hex equals node:crypto on empty, boundary-length, long and non-ASCII texts', () => {
  const texts = ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'y'.repeat(63), 'z'.repeat(64), 'w'.repeat(1000), 'é∑😀 fp8 ×128', JSON.stringify({ M: 4096, N: 7168 })];
  for (const text of texts) assert.equal(sha256Hex(text), createHash('sha256').update(text).digest('hex'), JSON.stringify(text.slice(0, 20)));
});

test('the FIPS 180-4 example digest of "abc"', () => {
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('content keys are the same whichever SHA-256 computes them', async () => {
  const { sha256 } = await import('../../core/hash.ts');
  for (const text of ['', 'tilesweep', 'ü'.repeat(70)]) assert.equal(sha256(text), sha256Hex(text));
});
