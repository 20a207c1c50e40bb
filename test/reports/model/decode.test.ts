import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEconomics, decodeShape } from '../../../reports/model/decode.ts';

const close = (a: number, b: number, rel = 1e-6) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);

test('step time, tokens/s per GPU and $ per million tokens from one layer time', () => {
  // 0.1 ms per layer x 61 layers = 6.1 ms per step; 64 tokens per step -> 10,491.8 tokens/s;
  // $2/h = $0.00055556/s -> $0.052951 per million tokens.
  const e = decodeEconomics(0.1, { batch: 64, queries: 1, heads: 128, context: 4096 });
  close(e.stepMs, 6.1);
  close(e.tokensPerSecondPerGpu, 10_491.803);
  close(e.dollarsPerMillionTokens, 0.0529514, 1e-5);
});

test('a kernel over a head shard counts the other shards as GPU time', () => {
  const e = decodeEconomics(0.1, { batch: 64, queries: 2, heads: 16, context: 4096 }, { dollarsPerGpuHour: 4 });
  close(e.stepMs, 0.1 * 61 * 8);
  close(e.tokensPerSecondPerGpu, 128 / 0.0488);
  close(e.dollarsPerMillionTokens, (4 / 3600 / (128 / 0.0488)) * 1e6);
});

test('decode shape reads the problem by its field names', () => {
  assert.deepEqual(decodeShape({ B: 8, s_q: 2, H: 128, S: 1024 }), { batch: 8, queries: 2, heads: 128, context: 1024 });
  assert.deepEqual(decodeShape({ batch: 4, heads: 32, len: 512 }), { batch: 4, queries: 1, heads: 32, context: 512 });
  assert.equal(decodeShape({ M: 1, N: 2, K: 3 }), undefined);
});

test('decode on an H200 is projected to an H800 by the bound of its roofline', async () => {
  const { join } = await import('node:path');
  const { loadResults } = await import('../../../reports/model/load.ts');
  const { buildReportModel } = await import('../../../reports/model/report.ts');
  const model = buildReportModel(loadResults([join(import.meta.dirname, '..', '..', 'fixtures', 'reports', 'h200-fixture.json')]));
  const mha = model.decode.find((d) => d.sweep.kernel === 'mha-decode')!;
  // MHA decode reads 2 x 128 x 128 BF16 per token and does 1 FLOP per byte: memory-bound, 4.8/3.35 slower.
  assert.equal(mha.h800?.basis, 'projected');
  assert.equal(mha.h800?.bound, 'memory');
  close(mha.h800!.stepMs / mha.economics.stepMs, 4.8 / 3.35);
  close(mha.h800!.dollarsPerMillionTokens / mha.economics.dollarsPerMillionTokens, 4.8 / 3.35);
});

test('a decode row is named by what it computed: 8 query heads per KV head is GQA, not MHA', async () => {
  const { attentionOf } = await import('../../../reports/model/decode.ts');
  assert.deepEqual(attentionOf('mha-decode', { B: 2, H: 16, Hkv: 2, L: 200 }), { kind: 'GQA', detail: '8 query heads per KV head (2 KV heads)' });
  assert.equal(attentionOf('mha-decode', { B: 2, H: 16, Hkv: 16, L: 200 }).kind, 'MHA');
  assert.equal(attentionOf('mha-decode', { B: 2, H: 16, L: 200 }).kind, 'MHA');
  assert.equal(attentionOf('mha-decode', { B: 2, H: 16, Hkv: 1, L: 200 }).kind, 'MQA');
  assert.equal(attentionOf('mla-decode', { B: 2, H: 16, L: 200 }).kind, 'MLA');
});
