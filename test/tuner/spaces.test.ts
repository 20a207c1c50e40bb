// Named spaces: default, candidates (the target's own list), full, and a file of configs; each a
// SearchSpace that every strategy walks, with --param narrowing and the target's constraints.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { fp8Gemm } from '../../kernels/fp8-gemm/index.ts';
import { copy } from '../../kernels/copy/index.ts';
import { groupedGemm } from '../../kernels/grouped-gemm/index.ts';
import { mlaDecode } from '../../kernels/mla-decode/index.ts';
import { parseSpaceChoice } from '../../tuner/space-file.ts';
import { checkSpaceChoice, listSpace, resolveSpace, targetOf } from '../../tuner/spaces.ts';
import { strategies } from '../../tuner/strategies/index.ts';
import { H200_CAPS } from '../kernels/fp8-gemm/cuda/caps.ts';

const dir = mkdtempSync(join(tmpdir(), 'tilesweep-spaces-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('names parse as themselves; a file is read as a list of configs; anything else is bad usage', () => {
  assert.deepEqual(parseSpaceChoice('candidates'), { kind: 'named', name: 'candidates' });
  const file = parseSpaceChoice(write('two.json', '[{"a":1},{"a":2}]'));
  assert.equal(file.kind === 'file' && file.configs.length, 2);
  assert.equal(parseSpaceChoice(write('wrapped.json', '{"configs":[{"a":1}]}')).kind, 'file');
  for (const [text, why] of [['nosuch', /no such space or file/], [dir, /not a file/], [write('bad.json', '{'), /not valid JSON/], [write('empty.json', '[]'), /non-empty JSON list/], [write('scalar.json', '[1]'), /entry 0 is not a config object/]] as const) {
    assert.throws(() => parseSpaceChoice(text), (e: unknown) => e instanceof UsageError && why.test(e.message), text);
  }
});

test('the CUDA FP8 GEMM target lists candidates generated for the problem, each valid on the device', () => {
  const target = targetOf(fp8Gemm, 'cuda');
  for (const problem of [fp8Gemm.presets['dsv3-m64-n2112-k7168'], fp8Gemm.presets['dsv3-m4096-n7168-k16384'], { M: 300, N: 1000, K: 1024 }]) {
    const space = resolveSpace({ family: fp8Gemm, target, problem, caps: H200_CAPS, choice: { kind: 'named', name: 'candidates' } });
    assert.ok(space.all.length > 0, JSON.stringify(problem));
    assert.deepEqual(space.all.filter((c) => space.violations(c).length > 0), []);
  }
});

test('the CUDA decode targets list candidates generated for the problem, each valid on the device', () => {
  const target = targetOf(mlaDecode, 'cuda');
  for (const problem of [mlaDecode.presets['dsv3-h16-b128-l8192-sq1'], mlaDecode.presets['dsv3-h128-b32-l2048-sq2']]) {
    const space = resolveSpace({ family: mlaDecode, target, problem, caps: H200_CAPS, choice: { kind: 'named', name: 'candidates' } });
    assert.ok(space.all.length > 0, JSON.stringify(problem));
    assert.deepEqual(space.all.filter((c) => space.violations(c).length > 0), []);
  }
});

test('a family without a candidate list, or a language without a target, is refused before a device opens', () => {
  assert.throws(() => checkSpaceChoice(fp8Gemm, 'wgsl', { kind: 'named', name: 'candidates' }), /no candidate list for wgsl/);
  // copy stands for a family without a CUDA target (grouped-gemm has had one since issue 19).
  assert.throws(() => checkSpaceChoice(copy, 'cuda', { kind: 'named', name: 'default' }), /copy has no cuda target/);
  assert.doesNotThrow(() => checkSpaceChoice(groupedGemm, 'cuda', { kind: 'named', name: 'candidates' }));
  assert.doesNotThrow(() => checkSpaceChoice(fp8Gemm, undefined, { kind: 'named', name: 'candidates' }));
});

test('a list space keeps the target\'s constraints, is narrowed by --param, and every strategy walks it', async () => {
  const constraints = [{ name: 'small', why: 'x below 3', ok: (c: { x: number; y: string }) => c.x < 3 }];
  const list = [{ x: 1, y: 'a' }, { x: 2, y: 'a' }, { x: 3, y: 'b' }, { x: 2, y: 'a' }];
  const space = listSpace(list, constraints);
  assert.equal(space.all.length, 3, 'duplicates listed once');
  assert.deepEqual(space.violations({ x: 3, y: 'b' }), ['small']);
  assert.deepEqual(space.space.params, { x: [1, 2, 3], y: ['a', 'b'] });
  for (const strategy of Object.values(strategies)) {
    const seen: object[] = [];
    await strategy.tune(space, async (c) => {
      seen.push(c);
      return { kernel: 'k', problem: {}, config: c as never, role: 'candidate', status: 'ok', medianMs: (c as { x: number }).x, samplesMs: [1], flops: 1, bytes: 1 };
    }, { budget: 10, seed: 1 });
    assert.ok(seen.length > 0 && seen.every((c) => list.some((l) => JSON.stringify(l) === JSON.stringify(c))), strategy.name);
    // The exhaustive strategy hands every config to the sweep, which records invalid ones unmeasured.
    if (strategy.name !== 'exhaustive') assert.ok(!seen.some((c) => (c as { x: number }).x === 3), `${strategy.name} asked for an invalid config`);
  }
  const file = { kind: 'file' as const, path: 'x.json', configs: list };
  const target = { ...targetOf(mlaDecode, 'wgsl'), space: () => ({ params: {}, constraints }) };
  const narrowed = resolveSpace({ family: mlaDecode, target, problem: {}, caps: H200_CAPS, choice: file, params: { y: ['b'] } });
  assert.deepEqual(narrowed.all, [{ x: 3, y: 'b' }]);
  assert.throws(() => resolveSpace({ family: mlaDecode, target, problem: {}, caps: H200_CAPS, choice: file, params: { z: ['1'] } }), /unknown parameter "z"/);
});
