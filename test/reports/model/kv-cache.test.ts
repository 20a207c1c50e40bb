import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  deepseekV3Variants,
  instanceSize,
  kvBudgetPerGpu,
  kvBytesPerToken,
  kvBytesPerTokenPerLayer,
  kvElements,
  maxBatch,
} from '../../../reports/model/kv-cache.ts';

const byKind = Object.fromEntries(deepseekV3Variants().map((v) => [v.kind, v]));

test('MLA caches 576 elements per token per layer: 70,272 bytes over 61 layers in BF16', () => {
  assert.equal(kvElements.mla(512, 64), 576);
  assert.equal(kvBytesPerTokenPerLayer(byKind.MLA), 1152);
  assert.equal(kvBytesPerToken(byKind.MLA), 70_272);
});

test('MHA with 128 heads of 128 caches 3,997,696 bytes per token in BF16', () => {
  assert.equal(kvElements.mha(128, 128), 32_768);
  assert.equal(kvBytesPerToken(byKind.MHA), 3_997_696);
});

test('GQA (8 groups) and MQA sit between', () => {
  assert.equal(kvBytesPerToken(byKind.GQA), 2 * 8 * 128 * 2 * 61);
  assert.equal(kvBytesPerToken(byKind.MQA), 2 * 128 * 2 * 61);
  // DeepSeek-V2's "93.3%" is against DeepSeek 67B; against same-shape MHA, MLA saves 1 - 576/32768.
  assert.ok(Math.abs(1 - kvBytesPerToken(byKind.MLA) / kvBytesPerToken(byKind.MHA) - 0.982421875) < 1e-12);
});

test('batch that fits an H200 at 4096 tokens of context', () => {
  // 671 GB of FP8 weights over 8 GPUs leaves 141 - 83.875 = 57.125 GB per GPU for the cache.
  const gpus = instanceSize(141e9, 671e9);
  assert.equal(gpus, 8);
  const budget = kvBudgetPerGpu({ gpuMemoryBytes: 141e9, gpus, weightBytes: 671e9 });
  assert.equal(budget, 57.125e9);
  assert.equal(maxBatch(budget, 70_272, 4096), 198); // 57.125e9 / 287,834,112 = 198.5
  assert.equal(maxBatch(budget, 3_997_696, 4096), 3); // 57.125e9 / 16,374,562,816 = 3.49
});

test('80 GB parts need 16 GPUs to hold the weights with room to spare', () => {
  assert.equal(instanceSize(80e9, 671e9), 16);
  assert.equal(kvBudgetPerGpu({ gpuMemoryBytes: 80e9, gpus: 8, weightBytes: 671e9 }), 0);
});
