// The analytic model of the CUDA decode kernels ranks configs for the reasons it claims: the cache read
// once per head group, query rows padded to the MMA's rows, q.k once or twice per page, the pipeline
// against the load latency, waves of CTAs over the SMs and the combine kernel's cost; it reads every
// config the targets generate; and on the recorded H200 sweeps it orders configs better than chance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../../../core/capabilities.ts';
import { readResults } from '../../../../core/results-file.ts';
import { replayCapabilities } from '../../../../harness/replay/backend.ts';
import { cudaDecodeCandidates } from '../../../../kernels/attention/cuda/candidates.ts';
import { decodeSchedule, estimateCudaDecode, tileCost } from '../../../../kernels/attention/cuda/model.ts';
import type { CudaDecodeConfig } from '../../../../kernels/attention/cuda/space.ts';
import { mhaDecode } from '../../../../kernels/mha-decode/index.ts';
import { mhaShape } from '../../../../kernels/mha-decode/problem.ts';
import { mlaDecode } from '../../../../kernels/mla-decode/index.ts';
import { mlaShape } from '../../../../kernels/mla-decode/problem.ts';
import { modelError } from '../../../../tuner/model-error.ts';
import { H200_CAPS } from '../../fp8-gemm/cuda/caps.ts';

const h200 = H200_CAPS;
const mla = (B: number, H: number, L: number, sq = 1) => mlaShape({ B, sq, H, L, lengths: 'fixed', dtype: 'f16' });
const wgmma = (over: Partial<CudaDecodeConfig>): CudaDecodeConfig =>
  ({ kernel: 'wgmma', headsPerCta: 32, tokensPerTile: 64, warps: 8, stages: 2, cache: 'bf16', schedule: 'even', splits: 1, ...over });
const mmaSync = (over: Partial<CudaDecodeConfig>): CudaDecodeConfig =>
  ({ headsPerCta: 32, tokensPerTile: 64, warps: 8, stages: 2, cache: 'bf16', schedule: 'even', splits: 1, ...over });
const time = (s: ReturnType<typeof mla>, c: CudaDecodeConfig) => estimateCudaDecode(s, c, h200).time;

test('the accessor reads absent options as their defaults; no SM count, no estimate', () => {
  const c = decodeSchedule({ headsPerCta: 16, tokensPerTile: 32, stages: 3, warps: 4, schedule: 'even', splits: 2, cache: 'bf16' });
  assert.equal(c.kernel, 'mma-sync');
  assert.equal(c.scores, 'whole');
  assert.equal(c.ctasPerSm, 1);
  const noSms = { ...h200, cuda: { ...h200.cuda!, smCount: NaN } } as Capabilities;
  assert.equal(estimateCudaDecode(mla(8, 16, 1024), mmaSync({}), noSms).time, Infinity);
});

test('scores in halves cost less than whole at equal everything else (q.k once, not once per warpgroup)', () => {
  for (const s of [mla(128, 16, 4096), mla(128, 128, 4096), mla(128, 128, 4096, 2)]) {
    const hpc = Math.min(s.heads, 64 / s.queryTokens);
    assert.ok(time(s, wgmma({ headsPerCta: hpc, scores: 'halves' })) < time(s, wgmma({ headsPerCta: hpc })));
  }
});

test('the WGMMA tile is 64 rows: 16 heads do the tile work of 64, where mma.sync pads to 16 rows only', () => {
  const tile16 = tileCost(mla(1, 16, 64), decodeSchedule(wgmma({ headsPerCta: 16 })));
  const tile64 = tileCost(mla(1, 64, 64), decodeSchedule(wgmma({ headsPerCta: 64 })));
  assert.equal(tile16.throughput, tile64.throughput);
  const sync16 = tileCost(mla(1, 16, 64), decodeSchedule(mmaSync({ headsPerCta: 16 })));
  const sync64 = tileCost(mla(1, 64, 64), decodeSchedule(mmaSync({ headsPerCta: 64 })));
  assert.ok(sync16.throughput < sync64.throughput);
});

test('more heads a CTA read the latent cache fewer times: fewer tiles in all, less time', () => {
  const s = mla(128, 32, 8192);
  for (const make of [wgmma, mmaSync]) {
    const [half, whole] = [16, 32].map((headsPerCta) => estimateCudaDecode(s, make({ headsPerCta, splits: 2 }), h200));
    assert.equal(half.terms.ctas, 2 * whole.terms.ctas);
    assert.ok(whole.time < half.time);
  }
});

test('more splits help when the CTAs do not fill the SMs, and cost when they already make waves', () => {
  // B=8, 16 heads a CTA: 8 CTAs on 132 SMs without splits; 16 splits make 128.
  const few = mla(8, 16, 8192);
  assert.ok(time(few, wgmma({ headsPerCta: 16, splits: 16 })) < time(few, wgmma({ headsPerCta: 16, splits: 1 })));
  // B=128, 128 heads at 32 a CTA: 512 CTAs, about four waves; a second split only adds fills and the combine.
  const many = mla(128, 128, 4096);
  const [one, two] = [1, 2].map((splits) => estimateCudaDecode(many, wgmma({ splits }), h200));
  assert.equal(one.terms.combine, 0);
  assert.ok(two.terms.combine > 0);
  assert.ok(one.time < two.time);
});

test('one stage leaves each tile waiting for its load; two hide it behind the tile before', () => {
  const s = mla(128, 32, 4096);
  assert.ok(time(s, wgmma({ stages: 2 })) < time(s, wgmma({ stages: 1 })));
  assert.ok(time(s, mmaSync({ stages: 2 })) < time(s, mmaSync({ stages: 1 })));
});

test('alternating scores: whole-page loads wait every second page, box loads do not; a p.v left in flight shortens the chain', () => {
  const s = mla(128, 32, 4096);
  const page = time(s, wgmma({ scores: 'alternating' }));
  const boxes = time(s, wgmma({ scores: 'alternating', loads: 'boxes' }));
  const overlapped = time(s, wgmma({ scores: 'alternating', loads: 'boxes', overlap: 'softmax' }));
  assert.ok(boxes < page);
  assert.ok(overlapped <= boxes);
});

test('the FP8 cache reads 656 bytes a token where bf16 reads 1152, and pays a dequantization', () => {
  const s = mla(128, 16, 4096);
  const [bf16, fp8] = (['bf16', 'fp8'] as const).map((cache) => tileCost(s, decodeSchedule(mmaSync({ headsPerCta: 16, cache }))));
  assert.equal(bf16.bytes, 64 * 1152);
  assert.equal(fp8.bytes, 64 * 656);
  assert.ok(fp8.serial > bf16.serial);
});

test('MHA: a CTA reads its KV head\'s keys and values, 512 bytes a token; GQA groups share them', () => {
  const s = mhaShape({ B: 32, sq: 1, H: 32, Hkv: 4, L: 4096, lengths: 'fixed', dtype: 'f16' });
  const c = decodeSchedule(mmaSync({ headsPerCta: 8 }));
  assert.equal(tileCost(s, c).bytes, 64 * 512);
  assert.ok(time(s as never, mmaSync({ headsPerCta: 8 })) < time(s as never, mmaSync({ headsPerCta: 2 })));
});

test('every candidate of both families at DeepSeek-V3 and other shapes gets a finite estimate', () => {
  const problems = [
    { family: mlaDecode, problem: { B: 128, sq: 1, H: 16, L: 4096, lengths: 'fixed', dtype: 'f16' } },
    { family: mlaDecode, problem: { B: 3, sq: 2, H: 128, L: 5000, lengths: 'varied', dtype: 'f16' } },
    { family: mhaDecode, problem: { B: 64, sq: 1, H: 32, Hkv: 8, L: 2048, lengths: 'fixed', dtype: 'f16' } },
    { family: mhaDecode, problem: { B: 5, sq: 2, H: 16, Hkv: 1, L: 300, lengths: 'edges', dtype: 'f16' } },
  ];
  for (const { family, problem } of problems) {
    const target = family.targets.cuda!;
    const candidates = target.candidates!(problem as never, h200);
    assert.ok(candidates.length > 0);
    for (const c of candidates) assert.ok(Number.isFinite(target.model!.estimate(problem as never, c, h200).time), JSON.stringify(c));
  }
  // The shapes' own candidate lists, straight from the shape: also finite.
  for (const c of cudaDecodeCandidates(mla(128, 128, 4096, 2), h200)) assert.ok(Number.isFinite(time(mla(128, 128, 4096, 2), c)));
});

test('on the recorded H200 MLA sweeps the model orders configs better than chance (Spearman > 0.5 on most calls)', () => {
  const file = readResults('results/h200/mla-decode.json.br');
  const caps = replayCapabilities(file.device);
  const model = mlaDecode.targets.cuda!.model!;
  const errors = [...new Set(file.runs.map((r) => r.runId))].flatMap((call) =>
    modelError(model as never, caps, file.runs.filter((r) => r.runId === call && r.role === 'candidate' && r.status === 'ok')).filter((e) => e.rows.length >= 8));
  assert.ok(errors.length >= 8, `${errors.length} sweeps`);
  const good = errors.filter((e) => e.spearman > 0.5).length;
  assert.ok(good >= errors.length * 0.75, `${good} of ${errors.length} sweeps with Spearman > 0.5`);
});

test('transposed: 16 rows padded to 16, not 64; its products bound by the page read twice through shared memory, not the tensor cores', () => {
  const s = mla(128, 16, 4096);
  const transposed = tileCost(s, decodeSchedule(wgmma({ headsPerCta: 16, scores: 'transposed' })));
  const halves = tileCost(s, decodeSchedule(wgmma({ headsPerCta: 16, scores: 'halves' })));
  // The page (73,728 bytes) read by q.k and its values (65,536) by p.v, plus the TMA landing: ~1,700 cycles at 128 bytes a cycle.
  assert.ok(transposed.throughput > (73728 + 65536 + 73728) / 128 && transposed.throughput < halves.throughput, `${transposed.throughput} ${halves.throughput}`);
  assert.ok(transposed.serial < halves.serial, `${transposed.serial} ${halves.serial}`);
  assert.ok(time(s, wgmma({ headsPerCta: 16, scores: 'transposed' })) < time(s, wgmma({ headsPerCta: 16 })));
  // At 8 rows the products cost what 16 rows cost: the page's bytes through shared memory set them.
  const eight = tileCost(s, decodeSchedule(wgmma({ headsPerCta: 8, scores: 'transposed' })));
  assert.ok(eight.throughput > 0.8 * transposed.throughput, `${eight.throughput} ${transposed.throughput}`);
});
