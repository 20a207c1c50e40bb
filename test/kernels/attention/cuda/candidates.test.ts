// The CUDA decode candidates are generated from the shape and the SM count (never a fixed list) and
// all lie in the space; the generated sources launch what the config says: the split kernel over
// (splits, head groups, B) with its shared memory, the combine kernel only when there are splits to
// combine, the cache buffer of the config's format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../../../core/capabilities.ts';
import { cudaDecodeCandidates, headGroupSizes, splitCounts } from '../../../../kernels/attention/cuda/candidates.ts';
import { cudaDecodeConstraints, sharedBytes, type CudaDecodeConfig } from '../../../../kernels/attention/cuda/space.ts';
import { decodeCuda } from '../../../../kernels/attention/cuda/template.ts';
import { mhaShape } from '../../../../kernels/mha-decode/problem.ts';
import { mlaShape } from '../../../../kernels/mla-decode/problem.ts';
import { H200_CAPS } from '../../fp8-gemm/cuda/caps.ts';

const withSms = (smCount: number): Capabilities => ({ ...H200_CAPS, cuda: { ...H200_CAPS.cuda!, smCount } });

test('MLA candidates at DeepSeek-V3 shards: valid, both caches, B x head groups x splits fill the SMs', () => {
  for (const [H, sq] of [[16, 1], [32, 1], [128, 1], [128, 2]]) {
    const shape = mlaShape({ B: 128, sq, H, L: 4096, lengths: 'fixed', dtype: 'f16' });
    const constraints = cudaDecodeConstraints(shape, H200_CAPS);
    const configs = cudaDecodeCandidates(shape, H200_CAPS);
    assert.ok(configs.length >= 4, `H=${H} s_q=${sq}: ${configs.length} candidates`);
    for (const c of configs) assert.deepEqual(constraints.filter((k) => !k.ok(c)).map((k) => k.name), [], JSON.stringify(c));
    assert.deepEqual([...new Set(configs.map((c) => c.cache))].sort(), ['bf16', 'fp8']);
    for (const c of configs) assert.ok(shape.batch * (H / c.headsPerCta) * c.splits >= 132, JSON.stringify(c));
    // The most heads per CTA a 64-row tile holds: each latent tile read once per 64 rows.
    assert.equal(Math.max(...configs.map((c) => c.headsPerCta)), Math.min(H, 64 / sq));
  }
});

test('splits follow the batch and the SM count; head groups fill an MMA tile where the KV group allows', () => {
  const small = mlaShape({ B: 4, sq: 1, H: 16, L: 8192, lengths: 'fixed', dtype: 'f16' });
  assert.deepEqual(splitCounts(small, 16, 64, 132), [64]);
  assert.deepEqual(splitCounts(small, 16, 64, 16), [4, 8]);
  const big = mlaShape({ B: 256, sq: 1, H: 16, L: 8192, lengths: 'fixed', dtype: 'f16' });
  assert.deepEqual(splitCounts(big, 16, 64, 132), [1, 2]);
  const short = mlaShape({ B: 1, sq: 1, H: 16, L: 100, lengths: 'fixed', dtype: 'f16' });
  assert.deepEqual(splitCounts(short, 16, 64, 132), [1]);
  assert.deepEqual(headGroupSizes(mhaShape({ B: 1, sq: 1, H: 32, Hkv: 32, L: 64, lengths: 'fixed', dtype: 'f16' })), [1]);
  assert.deepEqual(headGroupSizes(mhaShape({ B: 1, sq: 2, H: 32, Hkv: 4, L: 64, lengths: 'fixed', dtype: 'f16' })), [8]);
  assert.deepEqual(headGroupSizes(mlaShape({ B: 1, sq: 2, H: 128, L: 64, lengths: 'fixed', dtype: 'f16' })), [32, 16]);
  const fewer = cudaDecodeCandidates(big, withSms(8));
  assert.ok(fewer.every((c) => c.splits === 1 || c.splits === 2));
});

test('MHA and GQA candidates are bf16 only and never take the FP8 cache; f32 problems have none', () => {
  const shape = mhaShape({ B: 128, sq: 1, H: 32, Hkv: 4, L: 4096, lengths: 'fixed', dtype: 'f16' });
  const configs = cudaDecodeCandidates(shape, H200_CAPS);
  assert.ok(configs.length > 0 && configs.every((c) => c.cache === 'bf16' && 8 % c.headsPerCta === 0));
  const fp8: CudaDecodeConfig = { ...configs[0], cache: 'fp8' };
  assert.ok(cudaDecodeConstraints(shape, H200_CAPS).some((k) => !k.ok(fp8)));
  assert.deepEqual(cudaDecodeCandidates(mhaShape({ B: 8, sq: 1, H: 8, Hkv: 8, L: 64, lengths: 'fixed', dtype: 'f32' }), H200_CAPS), []);
});

test('sources: split grid, shared memory, combine only with splits, the cache buffer of the format', () => {
  const problem = { B: 3, sq: 2, H: 32, L: 300, lengths: 'edges', dtype: 'f16' } as const;
  const shape = mlaShape(problem);
  const c: CudaDecodeConfig = { headsPerCta: 16, tokensPerTile: 64, stages: 2, warps: 8, schedule: 'even', splits: 4, cache: 'fp8' };
  const source = decodeCuda('mla-decode', problem, shape, c);
  assert.match(source.code, /^\/\/ tilesweep mla-decode \| problem /);
  assert.equal(source.launches.length, 2);
  assert.deepEqual(source.launches[0].grid, [4, 2, 3]);
  assert.deepEqual(source.launches[0].block, [256, 1, 1]);
  assert.equal(source.launches[0].sharedBytes, sharedBytes(shape, c));
  assert.deepEqual(source.launches[0].params.slice(1, 3), [{ kind: 'pointer', buffer: 'kvFp8' }, { kind: 'pointer', buffer: 'kvFp8' }]);
  const ints = (values: number[]) => values.map((value) => ({ kind: 'i32', value }));
  // H, the GQA group (all 32 heads share MLA's one latent head), the block table's width, splits, B.
  assert.deepEqual(source.launches[0].params.slice(-5), ints([32, 32, 5, 4, 3]));
  assert.deepEqual(source.launches[1].grid, [3 * 2 * 32, 1, 1]);
  const one = decodeCuda('mla-decode', problem, shape, { ...c, splits: 1, cache: 'bf16' });
  assert.equal(one.launches.length, 1);
  assert.equal(one.launches[0].params[1].kind === 'pointer' && one.launches[0].params[1].buffer, 'kv');
  // The split count is a launch argument: the compiled text is the same for every split count.
  assert.equal(one.code.split('\n').slice(1).join('\n'), decodeCuda('mla-decode', problem, shape, { ...c, cache: 'bf16' }).code.split('\n').slice(1).join('\n'));
  const mha = mhaShape({ B: 2, sq: 1, H: 8, Hkv: 2, L: 70, lengths: 'fixed', dtype: 'f16' });
  const g = decodeCuda('mha-decode', {}, mha, { headsPerCta: 4, tokensPerTile: 32, stages: 3, warps: 4, schedule: 'even', splits: 2, cache: 'bf16' });
  assert.deepEqual(g.launches[0].grid, [2, 2, 2]);
  assert.deepEqual(g.launches[0].params.slice(1, 3), [{ kind: 'pointer', buffer: 'k' }, { kind: 'pointer', buffer: 'v' }]);
  assert.deepEqual(g.launches[0].params.slice(-5), ints([8, 4, 2, 2, 2]));
  // Balanced: the plan kernel first, then CTAs x head groups sharing the batch, then the combine
  // kernel (it leaves the rows of sequences computed whole alone).
  const balanced = decodeCuda('mla-decode', problem, shape, { ...c, schedule: 'balanced', splits: 66 });
  assert.deepEqual(balanced.launches.map((l) => l.entryPoint), ['decode_plan', 'decode_split', 'decode_combine']);
  assert.deepEqual(balanced.launches[0].params, [{ kind: 'pointer', buffer: 'lengths' }, { kind: 'pointer', buffer: 'plan' }, ...ints([3, 66])]);
  assert.deepEqual(balanced.launches[1].grid, [66, 2, 1]);
  assert.match(balanced.code, /decode_plan/);
  assert.doesNotMatch(source.code, /decode_plan/);
});

test('balanced candidates only where lengths differ, one wave of CTAs per head group, within the scratch', () => {
  const fixed = mlaShape({ B: 16, sq: 1, H: 16, L: 4096, lengths: 'fixed', dtype: 'f16' });
  assert.ok(cudaDecodeCandidates(fixed, H200_CAPS).every((c) => c.schedule === 'even'));
  const varied = mlaShape({ B: 16, sq: 1, H: 32, L: 4096, lengths: 'varied', dtype: 'f16' });
  const balanced = cudaDecodeCandidates(varied, H200_CAPS).filter((c) => c.schedule === 'balanced');
  assert.ok(balanced.length > 0);
  for (const c of balanced) assert.equal(c.splits, Math.floor(132 / (32 / c.headsPerCta)));
  const tooMany: CudaDecodeConfig = { ...balanced[0], splits: 2000 };
  assert.ok(cudaDecodeConstraints(varied, H200_CAPS).some((k) => k.name === 'splits-within-scratch' && !k.ok(tooMany)));
});

test('the WGMMA kernel: MLA, a tensor map of whole bf16 pages or bulk copies of FP8 ones, a candidate for each head group that fits 64 rows', () => {
  const problem = { B: 3, sq: 2, H: 32, L: 300, lengths: 'edges', dtype: 'f16' } as const;
  const shape = mlaShape(problem);
  const c: CudaDecodeConfig = { kernel: 'wgmma', headsPerCta: 32, tokensPerTile: 64, stages: 2, warps: 8, schedule: 'even', splits: 2, cache: 'bf16' };
  const constraints = cudaDecodeConstraints(shape, H200_CAPS);
  const broken = (config: CudaDecodeConfig) => constraints.filter((k) => !k.ok(config)).map((k) => k.name);
  assert.deepEqual(broken(c), []);
  // Over the FP8 cache with the scores whole only; its raw stages, barriers and tiles fill the block's shared memory exactly.
  assert.deepEqual(broken({ ...c, cache: 'fp8' }), []);
  assert.deepEqual(broken({ ...c, cache: 'fp8', scores: 'halves' }), ['wgmma-shape']);
  assert.equal(sharedBytes(shape, { ...c, cache: 'fp8' }), 232448);
  const fp8 = decodeCuda('mla-decode', problem, shape, { ...c, cache: 'fp8' });
  assert.deepEqual(fp8.launches[0].params[1], { kind: 'pointer', buffer: 'kvFp8' });
  assert.match(fp8.code, /cp\.async\.bulk\.shared::cluster\.global/);
  assert.deepEqual(broken({ ...c, tokensPerTile: 32 }), ['wgmma-shape']);
  assert.deepEqual(broken({ ...c, stages: 3 }), ['wgmma-shape', 'shared-memory-within-limit']);
  const mha = mhaShape({ B: 2, sq: 1, H: 8, Hkv: 8, L: 70, lengths: 'fixed', dtype: 'f16' });
  assert.ok(cudaDecodeConstraints(mha, H200_CAPS).some((k) => k.name === 'wgmma-shape' && !k.ok({ ...c, headsPerCta: 1 })));
  const source = decodeCuda('mla-decode', problem, shape, c);
  assert.deepEqual(source.launches[0].block, [256, 1, 1]);
  assert.equal(source.launches[0].sharedBytes, sharedBytes(shape, c));
  assert.ok((source.launches[0].sharedBytes ?? 0) <= 232448);
  // Pages of 64 rows x 576 bf16, in boxes of one page x 64 dims (128 bytes: the swizzle's width).
  // Lengths 300, 0, 1: 5 + 0 + 1 pages and the spare one.
  assert.deepEqual(source.launches[0].params[1], { kind: 'tensor-map', buffer: 'kv', rows: 7 * 64, cols: 576, boxRows: 64, boxCols: 64, elementBytes: 2 });
  assert.match(source.code, /wgmma\.mma_async\.sync\.aligned\.m64n256k16\.f32\.bf16\.bf16/);
  for (const [H, sq, heads] of [[16, 1, [16]], [128, 2, [32, 16]]] as const) {
    const wgmma = cudaDecodeCandidates(mlaShape({ B: 128, sq, H, L: 4096, lengths: 'varied', dtype: 'f16' }), H200_CAPS).filter((k) => k.kernel === 'wgmma');
    assert.deepEqual([...new Set(wgmma.map((k) => k.headsPerCta))], heads);
    assert.ok(wgmma.every((k) => k.tokensPerTile === 64 && k.warps === 8 && k.stages === 2 && (k.cache === 'bf16' || (k.scores ?? 'whole') === 'whole')));
    assert.ok(wgmma.some((k) => k.cache === 'fp8') && wgmma.some((k) => k.scores === 'alternating'));
    assert.ok(wgmma.some((k) => k.schedule === 'balanced'), 'uneven lengths: the balanced plan too');
  }
  assert.ok(cudaDecodeCandidates(mha, H200_CAPS).every((k) => k.kernel !== 'wgmma'));
});

test('scores alternating between the warpgroups: WGMMA only, and two stages (one would deadlock)', () => {
  const shape = mlaShape({ B: 3, sq: 1, H: 16, L: 300, lengths: 'edges', dtype: 'f16' });
  const constraints = cudaDecodeConstraints(shape, H200_CAPS);
  const broken = (config: CudaDecodeConfig) => constraints.filter((k) => !k.ok(config)).map((k) => k.name);
  const c: CudaDecodeConfig = { kernel: 'wgmma', scores: 'alternating', headsPerCta: 16, tokensPerTile: 64, stages: 2, warps: 8, schedule: 'even', splits: 1, cache: 'bf16' };
  assert.deepEqual(broken(c), []);
  assert.deepEqual(broken({ ...c, stages: 1 }), ['scores-ways-are-wgmma']);
  assert.deepEqual(broken({ ...c, kernel: 'mma-sync' }), ['scores-ways-are-wgmma']);
  assert.deepEqual(broken({ ...c, scores: 'halves', stages: 1 }), []);
});

test('the transposed WGMMA kernel is a candidate exactly where a CTA holds at most 32 query rows, and it fits in shared memory', () => {
  for (const [H, sq] of [[16, 1], [32, 1], [16, 2], [128, 1], [128, 2]]) {
    const shape = mlaShape({ B: 128, sq, H, L: 4096, lengths: 'fixed', dtype: 'f16' });
    const transposed = cudaDecodeCandidates(shape, H200_CAPS).filter((c) => c.scores === 'transposed');
    assert.ok(transposed.length > 0, `H=${H} s_q=${sq}`);
    for (const c of transposed) {
      assert.ok(c.headsPerCta * sq <= 32 && c.cache === 'bf16' && c.stages === 2, JSON.stringify(c));
      assert.ok(sharedBytes(shape, c) <= H200_CAPS.cuda!.sharedPerBlockOptinBytes, JSON.stringify(c));
    }
  }
  const wide = mlaShape({ B: 128, sq: 1, H: 128, L: 4096, lengths: 'fixed', dtype: 'f16' });
  const constraints = cudaDecodeConstraints(wide, H200_CAPS);
  const rows64: CudaDecodeConfig = { kernel: 'wgmma', headsPerCta: 64, tokensPerTile: 64, warps: 8, cache: 'bf16', schedule: 'even', splits: 1, scores: 'transposed', stages: 2 };
  // 64 rows: refused by its own rule (and its q^T would not fit beside two stages either).
  assert.ok(constraints.filter((k) => !k.ok(rows64)).map((k) => k.name).includes('transposed-rows'));
  assert.ok(constraints.find((k) => k.name === 'transposed-rows')!.ok({ ...rows64, headsPerCta: 32 }));
});
