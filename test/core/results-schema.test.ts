import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { readResults, writeResults } from '../../core/results-file.ts';
import { resultsFile } from '../../core/results.ts';
import { resultsErrors } from '../../core/results-schema.ts';
import type { ResultRow } from '../../core/results.ts';

const device = { backend: 'webgpu' as const, name: 'llvmpipe', vendor: 'mesa', driver: 'Mesa 25', fingerprint: 'abc' };
const ok: ResultRow = {
  kernel: 'fp8-gemm', problem: { M: 1, N: 1, K: 128 }, config: { BM: 16 }, role: 'candidate', status: 'ok',
  samplesMs: [1, 2, 3], medianMs: 2, p10Ms: 1.2, p90Ms: 2.8, rme: 3, timer: 'gpu-timestamp', flops: 256, bytes: 300, tflops: 1e-10, gbps: 1e-4,
  verified: { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 },
};

test('a written results file reads back and validates', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tilesweep-results-')), 'r.json');
  writeResults(path, resultsFile(device, [ok, { ...ok, status: 'invalid', error: 'too big', samplesMs: undefined, medianMs: undefined }], '0.0.0'));
  assert.equal(readResults(path).runs.length, 2);
});

test('the schema rejects what breaks the contract', () => {
  const file = resultsFile(device, [ok], '0.0.0');
  assert.equal(resultsErrors(file), undefined);
  assert.match(resultsErrors({ ...file, schema: 'tilesweep.results/0' }) ?? '', /schema/);
  assert.ok(resultsErrors({ ...file, runs: [{ ...ok, status: 'fast' }] }));
  assert.ok(resultsErrors({ ...file, runs: [{ ...ok, samplesMs: undefined }] }), 'an ok row keeps its samples');
  assert.ok(resultsErrors({ ...file, runs: [{ ...ok, status: 'mismatch' }] }), 'a failed row says why');
  assert.ok(resultsErrors({ ...file, device: { ...device, fingerprint: undefined } }));
});

test('reading a file that is not results fails with a one-line UsageError naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-results-'));
  assert.throws(() => readResults(join(dir, 'missing.json')), (e: Error) => e instanceof UsageError && /missing\.json.*ENOENT/.test(e.message));
});

test('a results file named *.br is read brotli-compressed; one that is not says so, naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-results-'));
  const plain = join(dir, 'r.json');
  writeResults(plain, resultsFile(device, [ok], '0.0.0'));
  writeFileSync(join(dir, 'r.json.br'), brotliCompressSync(readFileSync(plain)));
  assert.deepEqual(readResults(join(dir, 'r.json.br')).runs, readResults(plain).runs);
  writeFileSync(join(dir, 'raw.json.br'), readFileSync(plain));
  assert.throws(() => readResults(join(dir, 'raw.json.br')), (e: Error) => e instanceof UsageError && /raw\.json\.br.*not brotli-compressed/.test(e.message) && !e.message.includes('\n'));
});
