import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCpuAdapter, matchDatasheet } from '../../../reports/devices/peaks.ts';

test('driver device names match their datasheet row', () => {
  assert.equal(matchDatasheet('NVIDIA H200')?.id, 'H200');
  assert.equal(matchDatasheet('NVIDIA H100 80GB HBM3')?.id, 'H100 SXM');
  assert.equal(matchDatasheet('NVIDIA H800')?.id, 'H800');
});

test('parts with other clocks or memory stay unmatched rather than wrong', () => {
  assert.equal(matchDatasheet('NVIDIA H100 PCIe'), undefined);
  assert.equal(matchDatasheet('NVIDIA H100 NVL'), undefined);
  assert.equal(matchDatasheet('NVIDIA H200 NVL'), undefined);
  assert.equal(matchDatasheet('NVIDIA GeForce RTX 4090'), undefined);
});

test('software adapters are CPU adapters', () => {
  assert.ok(isCpuAdapter('llvmpipe (LLVM 19.1.7, 256 bits)'));
  assert.ok(isCpuAdapter('SwiftShader Device (Subzero)'));
  assert.ok(!isCpuAdapter('NVIDIA H200'));
});

test('datasheet figures are the dense ones', () => {
  const h200 = matchDatasheet('NVIDIA H200')!;
  assert.equal(h200.fp8.value, 1979e12); // 3958 with sparsity
  assert.equal(h200.bf16.value, 989e12);
  assert.equal(h200.hbm.value, 4.8e12);
  assert.ok(h200.fp8.source.length > 0 && h200.hbm.source.length > 0);
});
