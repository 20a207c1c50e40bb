import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ResultRow } from '../../core/results.ts';
import { sha256 } from '../../core/hash.ts';
import { ResultCache } from '../../tuner/cache.ts';
import { cacheKey } from '../../tuner/cache-key.ts';

const row = (status: ResultRow['status'], medianMs = 1): ResultRow => ({
  kernel: 'k', problem: { M: 1 }, config: { BM: 16 }, role: 'candidate', status, medianMs, samplesMs: [medianMs], flops: 1, bytes: 1,
});
const parts = { fingerprint: 'f', kernel: 'k', language: 'wgsl', code: 'x', flags: [], problem: { M: 1 }, config: { BM: 16 }, seed: 1 };

test('keys change with every part of the content and not with key order', () => {
  const base = cacheKey(parts);
  assert.equal(cacheKey({ ...parts, config: { BM: 16 } }), base);
  for (const change of [{ fingerprint: 'g' }, { code: 'y' }, { flags: ['-O3'] }, { problem: { M: 2 } }, { config: { BM: 32 } }, { seed: 2 }]) {
    assert.notEqual(cacheKey({ ...parts, ...change }), base, JSON.stringify(change));
  }
  assert.equal(cacheKey({ ...parts, problem: { N: 2, M: 1 } }), cacheKey({ ...parts, problem: { M: 1, N: 2 } }));
});

test('rows survive a reload; torn and corrupted lines are skipped; transient failures are not kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-cache-'));
  const cache = new ResultCache(dir, 'fp');
  cache.put('a', row('ok', 2));
  cache.put('b', row('mismatch'));
  cache.put('c', row('timeout'));
  cache.put('d', row('runtime-error'));
  appendFileSync(cache.path, '0123456789abcdef {"key":"e","row":'); // a kill mid-write
  const text = readFileSync(cache.path, 'utf8');
  writeFileSync(cache.path, text.replace('"medianMs":1', '"medianMs":9')); // corrupt b's line
  const again = new ResultCache(dir, 'fp');
  assert.equal(again.get('a')?.medianMs, 2);
  assert.equal(again.get('b'), undefined);
  assert.equal(again.get('c'), undefined);
  assert.equal(again.get('d'), undefined);
  assert.equal(again.skipped, 2);
  again.put('f', row('ok', 3)); // appending after a torn line still yields a readable entry
  assert.equal(new ResultCache(dir, 'fp').get('f')?.medianMs, 3);
  assert.equal(new ResultCache(dir, 'fp').get('a')?.medianMs, 2);
});

test('a line with a valid checksum but a malformed entry is skipped, not a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-cache-'));
  const cache = new ResultCache(dir, 'fp');
  cache.put('a', row('ok', 2));
  const line = (json: string) => `${sha256(json).slice(0, 16)} ${json}\n`;
  for (const json of ['{"key":"b","row":', 'null', '42', '{"key":7,"row":{}}', '{"key":"c"}', '{"key":"d","row":[]}', '{"key":"e","row":{"status":"ok"}}']) {
    appendFileSync(cache.path, line(json));
  }
  const again = new ResultCache(dir, 'fp');
  assert.equal(again.get('a')?.medianMs, 2);
  assert.equal(again.size, 1);
  assert.equal(again.skipped, 7);
});

test('two sweeps on one cache see each other\'s finished rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-cache-'));
  const first = new ResultCache(dir, 'fp');
  const second = new ResultCache(dir, 'fp');
  first.put('a', row('ok', 2));
  assert.equal(second.get('a')?.medianMs, 2);
  second.put('b', row('ok', 3));
  assert.equal(first.get('b')?.medianMs, 3);
  assert.equal(first.get('a')?.medianMs, 2);
});
