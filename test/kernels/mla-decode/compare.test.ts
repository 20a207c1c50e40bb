import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeComparison, kvComparison, mhaPeer } from '../../../kernels/mla-decode/compare.ts';

test('KV bytes per token and layer: MLA 576 elements, MHA 2*H*128; BF16-sized (f16) at 128 heads', () => {
  const p = { B: 32, sq: 1, H: 128, L: 4096, lengths: 'fixed', dtype: 'f16' } as const;
  const kv = kvComparison(p);
  assert.equal(kv.mlaBytesPerToken, 1152);
  assert.equal(kv.mhaBytesPerToken, 65536);
  // Over DeepSeek-V3's 61 layers: 70,272 vs 3,997,696 bytes (../shared/reference/deepseek-v3.md).
  assert.equal(kv.mlaBytesPerToken * 61, 70272);
  assert.equal(kv.mhaBytesPerToken * 61, 3997696);
  assert.deepEqual(mhaPeer(p), { B: 32, sq: 1, H: 128, Hkv: 128, L: 4096, lengths: 'fixed', dtype: 'f16' });
});

test('the time ratio is MHA over MLA', () => {
  const c = decodeComparison({ B: 1, sq: 1, H: 16, L: 64, lengths: 'fixed', dtype: 'f32' }, 2, 5);
  assert.equal(c.timeRatio, 2.5);
  assert.equal(c.mhaBytesPerToken, 2 * 16 * 128 * 4);
});
