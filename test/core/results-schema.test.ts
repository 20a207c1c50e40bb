import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { MAX_RESULTS_BYTES, MAX_RESULTS_ROWS, readResults, writeResults } from '../../core/results-file.ts';
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
  assert.throws(() => readResults(join(dir, 'missing.json')), (e: Error) => e instanceof UsageError && /missing\.json: no such file/.test(e.message));
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

test('non-finite numbers (1e999 reads as Infinity) are rejected, naming where', () => {
  const file = resultsFile(device, [ok], '0.0.0');
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-results-'));
  const path = join(dir, 'inf.json');
  writeFileSync(path, JSON.stringify(file).replace('"medianMs":2', '"medianMs":1e999'));
  assert.throws(() => readResults(path), (e: Error) => e instanceof UsageError && /inf\.json.*runs\/0\/medianMs.*finite/.test(e.message));
  assert.match(resultsErrors({ ...file, runs: [{ ...ok, rme: -Infinity }] }) ?? '', /runs\/0\/rme.*finite/);
  assert.match(resultsErrors({ ...file, runs: [{ ...ok, config: { BM: Infinity } }] }) ?? '', /runs\/0\/config\/BM.*finite/);
});

test('a missing input says "no such file"; a folder says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-results-'));
  assert.throws(() => readResults(join(dir, 'nosuch.json')), (e: Error) => e instanceof UsageError && e.message === `${join(dir, 'nosuch.json')}: no such file`);
  assert.throws(() => readResults(dir), (e: Error) => e instanceof UsageError && e.message === `${dir}: is a folder, not a results file`);
});

test('a file past the size limit is refused before it is read, naming the limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-results-'));
  const path = join(dir, 'huge.json');
  // A sparse file: as large as a million-row results file, without writing one.
  writeFileSync(path, '');
  truncateSync(path, MAX_RESULTS_BYTES + 1);
  assert.throws(() => readResults(path), (e: Error) => e instanceof UsageError && e.message.includes('huge.json') && e.message.includes(`${MAX_RESULTS_BYTES / 2 ** 20} MiB`));
});

test('a file of more rows than the limit is refused, naming the limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-results-'));
  const path = join(dir, 'many.json');
  const row = { kernel: 'k', problem: {}, config: {}, role: 'candidate', status: 'invalid', error: 'e', flops: 0, bytes: 0 };
  writeFileSync(path, JSON.stringify(resultsFile(device, Array.from({ length: MAX_RESULTS_ROWS + 1 }, () => row as ResultRow), '0.0.0')));
  assert.throws(() => readResults(path), (e: Error) => e instanceof UsageError && e.message.includes('many.json') && e.message.includes(`${MAX_RESULTS_ROWS} rows`));
});

test('a mismatch whose errors are infinite (NaN outputs, a copy that lost words) is written readable, and stays a mismatch', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tilesweep-results-')), 'r.json');
  const lost: ResultRow = { ...ok, status: 'mismatch', error: 'output differs from the CPU reference', samplesMs: undefined, medianMs: undefined, verified: { ok: false, maxAbsErr: Infinity, maxRelErr: Infinity, cosineDiff: Infinity } };
  writeResults(path, resultsFile(device, [ok, lost], '0.0.0'));
  const back = readResults(path).runs[1];
  assert.equal(back.status, 'mismatch');
  assert.equal(back.verified?.ok, false);
  assert.equal(back.verified?.maxAbsErr, Number.MAX_VALUE);
});
