// The decode kernels' sources of the configs measured on the H200 (docs/experiments/h200-decode-sessions.md,
// code 0bc6b95 and 066f276), pinned by hash: a refactor of the templates that changes a byte of them
// must say so here, and be measured again (the principle: a refactor keeps the measured bests).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { CudaDecodeConfig } from '../../../../kernels/attention/cuda/config.ts';
import { decodeCuda } from '../../../../kernels/attention/cuda/template.ts';
import { mlaShape, type MlaProblem } from '../../../../kernels/mla-decode/problem.ts';

const sha = (problem: MlaProblem, config: CudaDecodeConfig): string =>
  createHash('sha256').update(decodeCuda('mla-decode', problem, mlaShape(problem), config).code).digest('hex');

const memoryBound: MlaProblem = { B: 128, sq: 1, H: 16, L: 4096, lengths: 'fixed', dtype: 'f16' };
const computeBound: MlaProblem = { B: 128, sq: 2, H: 128, L: 4096, lengths: 'fixed', dtype: 'f16' };
// In the candidates' key order (the source's header names the config as it is written).
const mmaSync = (headsPerCta: number, splits: number): CudaDecodeConfig => ({ headsPerCta, tokensPerTile: 64, warps: 8, cache: 'bf16', schedule: 'even', splits, stages: 2 });
const wgmma = (headsPerCta: number, splits: number, scores?: 'whole' | 'halves'): CudaDecodeConfig =>
  ({ kernel: 'wgmma', headsPerCta, tokensPerTile: 64, warps: 8, cache: 'bf16', schedule: 'even', splits, ...(scores ? { scores } : {}), stages: 2 });

test('the measured best configs generate the sources they were measured with', () => {
  // mma.sync, the best of call 20261205T025426Z-0689a3 at H=16 (283.2 us).
  assert.equal(sha(memoryBound, mmaSync(16, 2)), 'e90c3936e4f591c91416ae97f565837eebddd80c1d2a5c6bc7a407cd01f1031c');
  // WGMMA, scores whole: the bests of calls 20261205T033247Z-e4973d (H=16) and 20261205T032816Z-f44e95 (H=128, s_q=2).
  assert.equal(sha(memoryBound, wgmma(16, 2)), '3c2fb7e75da142b6ca8db88c6c1d46ae63c4820dda4295d51e41ef2ddb6c1984');
  assert.equal(sha(computeBound, wgmma(32, 1)), 'b05dfeef4e3809e246d9ec86010a9729189fb0c2936369261474c9682c407b05');
  // Scores in halves is another text (the template does not ignore the field).
  assert.notEqual(sha(computeBound, wgmma(32, 1, 'whole')), sha(computeBound, { ...wgmma(32, 1), scores: 'halves' }));
  // WGMMA, scores in halves: the bests of call 20261205T052648Z-2d4b8c (twelfth session, code 72f5866) at
  // H=16 L=4096 (206.2 us), H=128 s_q=1 (387.5 us) and s_q=2 (790.8 us).
  const halves = (headsPerCta: number, splits: number): CudaDecodeConfig => wgmma(headsPerCta, splits, 'halves');
  assert.equal(sha(memoryBound, halves(16, 2)), '8e144b81404a99fbf2caca6d7d83df4ac91335b8269be8651bec3e24db81623f');
  assert.equal(sha({ ...computeBound, sq: 1 }, halves(64, 1)), '29e9aaac6175ad0da66ca989777414098f48109abcd12eec9523834f1f1147aa');
  assert.equal(sha(computeBound, halves(32, 1)), '5f6ab63d18765f248b10854856ee68448bc0bade9f429574576b58eb6e8b81ef');
});
