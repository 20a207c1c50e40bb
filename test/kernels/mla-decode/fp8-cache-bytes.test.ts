// MLA's FP8 latent cache is counted as what it is: 656 bytes a token (512 e4m3 latent values, four f32
// scales, 64 bf16 RoPE values) against bf16's 1152, keyed on the config's `cache` option wherever a
// row's bytes come from (the family's one count, the sweep's and bench's rows, the report's recount),
// so its achieved bandwidth is its time over the bytes it read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { withRates } from '../../../core/results.ts';
import { attentionBytes, fp8LatentRowBytes, kvBytesPerToken, kvCacheBytes } from '../../../kernels/attention/shape.ts';
import { FP8_ROW_BYTES } from '../../../kernels/attention/cuda/workload.ts';
import { rowElementTypes } from '../../../kernels/element-types.ts';
import { mhaDecode } from '../../../kernels/mha-decode/index.ts';
import { mhaShape } from '../../../kernels/mha-decode/problem.ts';
import { kvComparison } from '../../../kernels/mla-decode/compare.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import { mlaShape, type MlaProblem } from '../../../kernels/mla-decode/problem.ts';
import { recountBytes } from '../../../reports/model/row-bytes.ts';

const p: MlaProblem = { B: 128, sq: 1, H: 16, L: 4096, lengths: 'fixed', dtype: 'f16' };
const tokens = 128 * 4096;

test('bytes per token: 656 for the FP8 latent rows (the workload\'s layout), 1152 for bf16', () => {
  const s = mlaShape(p);
  assert.equal(fp8LatentRowBytes(s), 512 + 4 * 4 + 64 * 2);
  assert.equal(fp8LatentRowBytes(s), FP8_ROW_BYTES);
  assert.equal(kvBytesPerToken(s, 'fp8'), 656);
  assert.equal(kvBytesPerToken(s, 'bf16'), 1152);
  assert.equal(kvBytesPerToken(s), 1152);
  assert.equal(kvCacheBytes(s, 'fp8'), tokens * 656);
  assert.throws(() => kvBytesPerToken(mhaShape({ ...p, Hkv: 16 }), 'fp8'), /MLA's latent cache/);
});

test('the family counts a row by its config\'s cache: the FP8 row is 496 bytes a token lighter, nothing else moves', () => {
  const fp8Config = { kernel: 'mma-sync', headsPerCta: 16, tokensPerTile: 64, stages: 2, warps: 8, schedule: 'even', splits: 1, cache: 'fp8' };
  const bf16 = mlaDecode.bytes(p, rowElementTypes({ ...fp8Config, cache: 'bf16' }));
  const fp8 = mlaDecode.bytes(p, rowElementTypes(fp8Config));
  assert.equal(bf16, mlaDecode.bytes(p), 'bf16 is the default');
  assert.equal(bf16 - fp8, tokens * (1152 - 656));
  // q (bf16), the block table and lengths, o and lse (f32) are the same in both.
  const rest = 128 * 16 * 576 * 2 + 4 * 128 * (64 + 1) + 128 * 16 * (512 * 4 + 4);
  assert.equal(fp8, tokens * 656 + rest);
  assert.equal(attentionBytes(mlaShape(p), { cache: 'fp8' }), fp8);
});

test('a peer writing o in bf16 (FlashMLA) is counted with 2-byte outputs', () => {
  const rows = 128 * 16;
  assert.equal(mlaDecode.bytes(p, rowElementTypes({ library: 'FlashMLA', cache: 'bf16', out: 'bf16' })), mlaDecode.bytes(p) - rows * 512 * 2);
});

test('achieved bandwidth: an FP8 row\'s recount and rate use 656 bytes a token, even where the file counted 1152', () => {
  const stale = mlaDecode.bytes(p);
  const row: ResultRow = { kernel: 'mla-decode', problem: { ...p }, config: { cache: 'fp8', headsPerCta: 16 }, role: 'candidate', status: 'ok', flops: mlaDecode.flops(p), bytes: stale, medianMs: 0.25 };
  const bytes = recountBytes(row);
  assert.equal(bytes, mlaDecode.bytes(p, { cache: 'fp8' }));
  assert.ok(bytes < 0.6 * stale);
  const rated = withRates({ ...row, bytes });
  assert.equal(rated.gbps, bytes / 0.25e-3 / 1e9);
  // The same time over 1152-byte tokens would claim 1.74x the bandwidth the kernel moved.
  assert.ok(withRates(row).gbps! / rated.gbps! > 1.7);
});

test('MLA against MHA per token: 57x in bf16 at 128 heads, 100x against the FP8 latent rows', () => {
  const q = { ...p, H: 128 };
  assert.equal(kvComparison(q).cacheRatio.toFixed(1), '56.9');
  const fp8 = kvComparison(q, 'fp8');
  assert.deepEqual([fp8.mlaCache, fp8.mlaBytesPerToken, fp8.mhaBytesPerToken], ['fp8', 656, 65536]);
  assert.equal(fp8.cacheRatio.toFixed(1), '99.9');
  assert.equal(mhaDecode.bytes({ ...q, Hkv: 128 }, { cache: 'bf16' }), mhaDecode.bytes({ ...q, Hkv: 128 }));
});
