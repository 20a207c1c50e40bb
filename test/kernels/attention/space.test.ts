// The decode config space against adapter capabilities, and what every generated source declares.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../../core/capabilities.ts';
import { decodeSpace, workgroupStorageBytes, type DecodeConfig } from '../../../kernels/attention/space.ts';
import type { AnyKernelFamily } from '../../../kernels/types.ts';
import { mhaDecode } from '../../../kernels/mha-decode/index.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import { mlaShape } from '../../../kernels/mla-decode/problem.ts';
import { searchSpace } from '../../../tuner/space.ts';

const caps = (extra: Partial<Capabilities> = {}): Capabilities => ({
  backend: 'webgpu', isCpu: true, maxWorkgroupStorageBytes: 16384, maxInvocationsPerWorkgroup: 256, maxWorkgroupSize: [256, 256, 64],
  maxWorkgroupsPerDimension: 65535, maxStorageBufferBytes: 2 ** 27, maxBufferBytes: 2 ** 28, maxStorageBuffersPerStage: 8,
  shaderF16: false, subgroups: false, timestampQuery: false, ...extra,
});

const valid = (family: AnyKernelFamily, problem: object, c: Capabilities): DecodeConfig[] => {
  const space = searchSpace(family.targets.wgsl!.space(problem, c));
  return space.all.filter((config) => space.violations(config).length === 0) as DecodeConfig[];
};

test('without shader-f16 or subgroups no config asks for them; with them, some do', () => {
  const problem = { ...mlaDecode.presets.tiny };
  const plain = valid(mlaDecode, problem, caps());
  assert.ok(plain.length > 0);
  assert.ok(plain.every((c) => c.arithmetic === 'f32' && c.reduce === 'serial'));
  const rich = valid(mlaDecode, problem, caps({ shaderF16: true, subgroups: true, subgroupMinSize: 8, subgroupMaxSize: 32 }));
  assert.ok(rich.some((c) => c.arithmetic === 'f16') && rich.some((c) => c.reduce === 'subgroup'));
  assert.ok(rich.filter((c) => c.reduce === 'subgroup').every((c) => c.workgroupSize % 32 === 0));
});

test('f16 arithmetic is offered only over an f16 cache', () => {
  const f32 = valid(mlaDecode, mlaDecode.presets['tiny-f32'], caps({ shaderF16: true }));
  assert.ok(f32.every((c) => c.arithmetic === 'f32'));
});

test('staged configs respect the workgroup storage limit; heads per workgroup divide the group', () => {
  const c = caps();
  const problem = mlaDecode.presets.tiny;
  const configs = valid(mlaDecode, problem, c);
  assert.ok(configs.every((x) => workgroupStorageBytes(mlaShape(problem), x) <= c.maxWorkgroupStorageBytes));
  assert.ok(configs.some((x) => x.stage === 'workgroup'));
  const gqa = valid(mhaDecode, mhaDecode.presets['tiny-gqa'], c); // 8 query heads per KV head
  assert.ok(gqa.every((x) => 8 % x.headsPerWorkgroup === 0) && gqa.some((x) => x.headsPerWorkgroup === 8));
  const mha = valid(mhaDecode, mhaDecode.presets['tiny-mha'], c);
  assert.ok(mha.every((x) => x.headsPerWorkgroup === 1));
});

test('the broken variant is not in the space', () => {
  const space = decodeSpace(mlaShape(mlaDecode.presets.tiny), caps());
  assert.ok(!('fault' in space.params));
});

test('every source names family, problem and config first, and has a split-KV launch then a combine launch', () => {
  const problem = mlaDecode.presets['tiny-mtp'];
  const config: DecodeConfig = { headsPerWorkgroup: 4, tokensPerStep: 8, splits: 4, workgroupSize: 64, stage: 'workgroup', arithmetic: 'f32', reduce: 'serial' };
  const source = mlaDecode.targets.wgsl!.source(problem, config, caps());
  const first = source.code.split('\n')[0];
  assert.match(first, /^\/\/ tilesweep mla-decode \| problem .*"H":16.* \| config .*"splits":4/);
  assert.deepEqual(source.launches.map((l) => l.entryPoint), ['split_kv', 'combine']);
  assert.deepEqual(source.launches[0].grid, [16 / 4, 4, problem.B]);
  assert.deepEqual(source.launches[1].grid, [problem.B * problem.sq * problem.H, 1, 1]);
  assert.ok(source.launches[0].bindings.some((b) => b.buffer === 'kv') && !source.launches[0].bindings.some((b) => b.buffer === 'v'));
  const mha = mhaDecode.targets.wgsl!.source(mhaDecode.presets['tiny-gqa'], { ...config, headsPerWorkgroup: 8 }, caps());
  assert.ok(mha.launches[0].bindings.some((b) => b.buffer === 'v'));
  assert.doesNotMatch(source.code, /\{\{/);
});

test('without shader-f16, an f16 preset is refused with the --shape that runs it in f32', async () => {
  const { UsageError } = await import('../../../core/errors.ts');
  assert.throws(
    () => mlaDecode.checkProblem(mlaDecode.presets['dsv3-h16-b1-l2048-sq1'], caps()),
    (e: unknown) => e instanceof UsageError && /--shape B=1,sq=1,H=16,L=2048,f32=1$/.test(e.message),
  );
  const problem = mlaDecode.problemFromShape({ B: 1, sq: 1, H: 16, L: 2048, f32: 1 });
  assert.equal(problem.dtype, 'f32');
  mlaDecode.checkProblem(problem, caps());
  assert.throws(() => mhaDecode.checkProblem(mhaDecode.presets['edges-gqa'], caps()), /H=16,Hkv=4,L=150,edges=1,f32=1/);
});
