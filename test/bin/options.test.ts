// --preset takes one name, a comma list, or patterns with *; an unmatched name or pattern is bad usage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namedProblems } from '../../bin/options.ts';
import { fp8Gemm } from '../../kernels/fp8-gemm/index.ts';

test('patterns pick the DeepSeek-V3 shapes, lists keep their order, a single name its problem', () => {
  assert.equal(namedProblems(fp8Gemm, 'dsv3-*')!.length, 18);
  assert.deepEqual(namedProblems(fp8Gemm, 'dsv3-m4096-*')!.map((p) => p.M), [4096, 4096, 4096, 4096, 4096, 4096]);
  assert.deepEqual(namedProblems(fp8Gemm, 'small,tiny'), [fp8Gemm.presets.small, fp8Gemm.presets.tiny]);
  assert.deepEqual(namedProblems(fp8Gemm, 'tiny'), [fp8Gemm.presets.tiny]);
  assert.equal(namedProblems(fp8Gemm), undefined);
});

test('a pattern that matches nothing, or a list with --shape, is bad usage', () => {
  assert.throws(() => namedProblems(fp8Gemm, 'dsv4-*'), /unknown preset "dsv4-\*"/);
  assert.throws(() => namedProblems(fp8Gemm, 'tiny,small', 'M=1,N=1,K=128'), /exclusive/);
});

test('--shape takes several shapes with ; between them, each checked as one is', () => {
  assert.deepEqual(namedProblems(fp8Gemm, undefined, 'M=37,N=1000,K=1280; M=512,N=2112,K=7168'), [{ M: 37, N: 1000, K: 1280 }, { M: 512, N: 2112, K: 7168 }]);
  assert.throws(() => namedProblems(fp8Gemm, undefined, 'M=37,N=1000,K=1280;M=0,N=1,K=128'), /M/);
  assert.throws(() => namedProblems(fp8Gemm, 'tiny', 'M=1,N=8,K=128;M=2,N=8,K=128'), /exclusive/);
});
