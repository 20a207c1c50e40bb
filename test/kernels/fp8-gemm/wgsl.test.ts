import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../../core/capabilities.ts';
import { fp8Gemm } from '../../../kernels/fp8-gemm/index.ts';
import { gemmSpace, invocations, workgroupStorageBytes, type GemmConfig } from '../../../kernels/fp8-gemm/space.ts';
import { searchSpace } from '../../../tuner/space.ts';

/** Limits of a WebGPU-core adapter (the spec's defaults), no f16. */
const coreCaps: Capabilities = {
  backend: 'webgpu', isCpu: false, maxWorkgroupStorageBytes: 16384, maxInvocationsPerWorkgroup: 256,
  maxWorkgroupSize: [256, 256, 64], maxWorkgroupsPerDimension: 65535, maxStorageBufferBytes: 134217728,
  maxBufferBytes: 268435456, maxStorageBuffersPerStage: 8, shaderF16: false, subgroups: false, timestampQuery: true,
};

test('every valid config of a DeepSeek-V3 preset generates a complete, self-describing WGSL source', () => {
  const problem = fp8Gemm.presets['dsv3-m64-n2112-k7168'];
  const search = searchSpace(gemmSpace(problem, coreCaps));
  const valid = search.all.filter((c) => search.violations(c).length === 0);
  assert.ok(valid.length > 100, `only ${valid.length} valid configs`);
  for (const config of valid) {
    const source = fp8Gemm.targets.wgsl!.source(problem, config, coreCaps);
    const [first] = source.code.split('\n');
    assert.equal(first, `// tilesweep fp8-gemm | problem ${JSON.stringify(problem)} | config ${JSON.stringify(config)}`);
    assert.ok(!source.code.includes('{{'), 'no template field left unfilled');
    assert.ok(!source.code.includes('enable f16'), 'no f16 without shader-f16');
    const [launch] = source.launches;
    assert.ok(launch.grid[0] * config.BN >= problem.N && launch.grid[1] * config.BM >= problem.M, 'the grid covers C');
    assert.equal(launch.block[0] * launch.block[1], invocations(config));
    assert.ok(invocations(config) <= coreCaps.maxInvocationsPerWorkgroup);
    assert.ok(workgroupStorageBytes(config) <= coreCaps.maxWorkgroupStorageBytes);
  }
});

test('constraints follow the adapter: f16 only with shader-f16, staged tiles only within workgroup storage', () => {
  const problem = fp8Gemm.presets.small;
  const big: GemmConfig = { BM: 128, BN: 128, TM: 8, TN: 4, BK: 128, vec: 4, stage: 'workgroup', decode: 'bits', arith: 'f32' };
  const violations = (caps: Capabilities, c: GemmConfig) => searchSpace(gemmSpace(problem, caps)).violations(c);
  assert.deepEqual(violations(coreCaps, big), ['invocations-within-limit', 'workgroup-storage-within-limit']);
  assert.deepEqual(violations({ ...coreCaps, maxWorkgroupStorageBytes: 32768, maxInvocationsPerWorkgroup: 1024 }, big), []);
  const f16: GemmConfig = { ...big, BM: 32, BN: 32, TM: 2, TN: 2, arith: 'f16' };
  assert.deepEqual(violations(coreCaps, f16), ['f16-needs-shader-f16']);
  assert.deepEqual(violations({ ...coreCaps, shaderF16: true }, f16), []);
  assert.ok(violations({ ...coreCaps, shaderF16: true }, { ...f16, decode: 'table' }).includes('f16-decodes-by-bits'));
});

test('the deliberately broken variant drops the last K block', () => {
  const problem = fp8Gemm.presets.tiny;
  const config: GemmConfig = { BM: 16, BN: 16, TM: 1, TN: 1, BK: 128, vec: 1, stage: 'none', decode: 'bits', arith: 'f32' };
  assert.match(fp8Gemm.targets.wgsl!.source(problem, config, coreCaps).code, /const LAST_KB: u32 = 2u;/);
  assert.match(fp8Gemm.targets.wgsl!.source(problem, { ...config, fault: 'skip-last-k-block' }, coreCaps).code, /const LAST_KB: u32 = 1u;/);
});
