// Needs a CUDA GPU with sm_90a (H200/H100) and nvcc. The sm_90a decode kernels (MLA over the bf16
// and the FP8 latent cache, by mma.sync and by WGMMA, MHA and GQA over paged K and V; even and
// balanced split plans) verify against the CPU reference at the
// edge lengths (0, 1, 63, 64, 65, 129, L-1, L), for s_q 1 and 2, one and several splits, every tile
// size, pipeline depth and warp count of the space's corners; every candidate of a varied-length
// batch verifies; deliberately broken variants (a split that loses its last tile, no masking) come
// back as `mismatch`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCuda } from '../../../harness/cuda/backend.ts';
import type { CudaDecodeConfig } from '../../../kernels/attention/cuda/space.ts';
import { mhaDecode } from '../../../kernels/mha-decode/index.ts';
import type { MhaProblem } from '../../../kernels/mha-decode/problem.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import type { MlaProblem } from '../../../kernels/mla-decode/problem.ts';
import { sweep } from '../sweep.ts';

const timing = { warmupIterations: 1, timeMs: 5, minSamples: 3, maxSamples: 5 };
const base: CudaDecodeConfig = { headsPerCta: 16, tokensPerTile: 64, stages: 2, warps: 4, schedule: 'even', splits: 1, cache: 'bf16' };

function assertVerified(rows: Awaited<ReturnType<typeof sweep>>): void {
  for (const row of rows) {
    assert.equal(row.status, 'ok', `${JSON.stringify(row.problem)} ${JSON.stringify(row.config)}: ${row.error}`);
    assert.ok(row.verified?.ok && (row.medianMs ?? 0) > 0, JSON.stringify(row.config));
  }
}

test('sm_90a MLA decode: edge lengths, s_q 1 and 2, both caches, splits, tiles, stages and warps verify; broken variants do not', { timeout: 900_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 5000 });
  try {
    // Eight warps: 32 query rows (16 heads, s_q 2) keep 64 accumulators a thread.
    const mla: CudaDecodeConfig = { ...base, warps: 8 };
    const configs: CudaDecodeConfig[] = [
      mla,
      { ...mla, splits: 4 },
      { ...mla, cache: 'fp8' },
      { ...mla, cache: 'fp8', splits: 3, stages: 2 },
      { ...mla, tokensPerTile: 32, stages: 3, splits: 2 },
      { ...mla, tokensPerTile: 16, stages: 4, splits: 8 },
      { ...mla, stages: 1, warps: 16 },
      { ...base, headsPerCta: 8, splits: 2 },
      { ...base, headsPerCta: 4, warps: 16, cache: 'fp8' },
      // Two CTAs an SM (registers capped at half the file).
      { ...mla, headsPerCta: 8, tokensPerTile: 32, stages: 2, splits: 2, ctasPerSm: 2 },
      { ...base, headsPerCta: 8, cache: 'fp8', ctasPerSm: 2 },
    ];
    for (const sq of [1, 2]) {
      // edges: lengths 300, 0, 1, 63, 64, 65, 129, 299 (empty sequences, partial and exactly full pages).
      const problem: MlaProblem = { B: 8, sq, H: 16, L: 300, lengths: 'edges', dtype: 'f16' };
      assertVerified(await sweep({ family: mlaDecode, problem, backend, configs, timing }));
    }
    // Four 16-row m-tiles a CTA (64 heads, s_q 1; 32 heads, s_q 2) with 16 warps.
    for (const [H, sq] of [[64, 1], [64, 2]]) {
      const problem: MlaProblem = { B: 8, sq, H, L: 200, lengths: 'edges', dtype: 'f16' };
      const wide: CudaDecodeConfig[] = [{ ...base, headsPerCta: 64 / sq, warps: 16, stages: 1 }, { ...base, headsPerCta: 64 / sq, warps: 16, tokensPerTile: 32, stages: 2, schedule: 'balanced', splits: 3 }, { ...base, headsPerCta: 32 / sq, warps: 8, tokensPerTile: 32, stages: 2, splits: 2, cache: 'fp8' }];
      assertVerified(await sweep({ family: mlaDecode, problem, backend, configs: wide, timing }));
    }
    // The WGMMA kernel, scores whole, in halves and alternating: one and two stages, even and balanced plans,
    // 16 heads (s_q 1 and 2) and 64 query rows a CTA.
    const wgmma: CudaDecodeConfig = { ...mla, kernel: 'wgmma' };
    for (const [H, sq] of [[16, 1], [16, 2], [64, 1], [32, 2]]) {
      const problem: MlaProblem = { B: 8, sq, H, L: 300, lengths: 'edges', dtype: 'f16' };
      const heads = Math.min(H, 64 / sq);
      const variants: CudaDecodeConfig[] = [
        { ...wgmma, headsPerCta: heads }, { ...wgmma, headsPerCta: heads, stages: 1, splits: 3 },
        { ...wgmma, headsPerCta: heads, schedule: 'balanced', splits: 5 }, { ...wgmma, headsPerCta: Math.max(1, heads / 2), splits: 2 },
        // Scores in halves: each warpgroup's 32 tokens, maxima and probabilities exchanged.
        { ...wgmma, scores: 'halves', headsPerCta: heads }, { ...wgmma, scores: 'halves', headsPerCta: heads, stages: 1, splits: 3 },
        { ...wgmma, scores: 'halves', headsPerCta: heads, schedule: 'balanced', splits: 5 },
        // Scores alternating: the warpgroups take the pages in turn (odd and even page counts, one stage and two).
        { ...wgmma, scores: 'alternating', headsPerCta: heads }, { ...wgmma, scores: 'alternating', headsPerCta: heads, stages: 1, splits: 3 },
        { ...wgmma, scores: 'alternating', headsPerCta: heads, schedule: 'balanced', splits: 5 },
      ];
      assertVerified(await sweep({ family: mlaDecode, problem, backend, configs: variants, timing }));
    }
    // Every candidate of a varied-length DeepSeek-V3 shard (sampled rows verified).
    const shard: MlaProblem = { B: 32, sq: 2, H: 16, L: 2048, lengths: 'varied', dtype: 'f16' };
    assertVerified(await sweep({ family: mlaDecode, problem: shard, backend, configs: mlaDecode.targets.cuda!.candidates!(shard, backend.caps), timing }));

    const problem: MlaProblem = { B: 8, sq: 2, H: 16, L: 300, lengths: 'edges', dtype: 'f16' };
    const faults = await sweep({
      family: mlaDecode, problem, backend, timing,
      configs: [
        { ...mla, fault: 'drop-last-tile' }, { ...mla, splits: 4, fault: 'drop-last-tile' }, { ...mla, fault: 'no-mask' }, { ...mla, cache: 'fp8', fault: 'no-mask' },
        { ...mla, schedule: 'balanced', splits: 5, fault: 'drop-last-tile' }, { ...mla, kernel: 'wgmma', fault: 'drop-last-tile' }, { ...mla, kernel: 'wgmma', fault: 'no-mask' },
        { ...mla, kernel: 'wgmma', scores: 'halves', fault: 'no-mask' }, { ...mla, kernel: 'wgmma', scores: 'alternating', fault: 'no-mask' },
        { ...mla, kernel: 'wgmma', scores: 'alternating', fault: 'drop-last-tile' },
      ],
    });
    for (const row of faults) assert.equal(row.status, 'mismatch', `${JSON.stringify(row.config)}: ${row.status} ${row.error}`);
  } finally {
    await backend.dispose();
  }
});

test('sm_90a MHA / GQA / MQA decode: edge lengths, s_q 1 and 2, head groups and splits verify; broken variants do not', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 5000 });
  try {
    for (const [H, Hkv] of [[4, 4], [16, 2], [8, 1]]) {
      for (const sq of [1, 2]) {
        const problem: MhaProblem = { B: 8, sq, H, Hkv, L: 300, lengths: 'edges', dtype: 'f16' };
        const group = H / Hkv;
        const configs: CudaDecodeConfig[] = [
          { ...base, headsPerCta: 1, stages: 4 },
          { ...base, headsPerCta: group, stages: 3, splits: 4 },
          { ...base, headsPerCta: group, tokensPerTile: 32, warps: 8, stages: 2, splits: 2 },
          { ...base, headsPerCta: group, tokensPerTile: 16, warps: 16, stages: 1 },
          { ...base, headsPerCta: group, schedule: 'balanced', splits: 7, stages: 3 },
        ];
        assertVerified(await sweep({ family: mhaDecode, problem, backend, configs, timing }));
      }
    }
    const shard: MhaProblem = { B: 32, sq: 1, H: 32, Hkv: 4, L: 2048, lengths: 'varied', dtype: 'f16' };
    assertVerified(await sweep({ family: mhaDecode, problem: shard, backend, configs: mhaDecode.targets.cuda!.candidates!(shard, backend.caps), timing }));
    const problem: MhaProblem = { B: 8, sq: 2, H: 16, Hkv: 2, L: 300, lengths: 'edges', dtype: 'f16' };
    const faults = await sweep({
      family: mhaDecode, problem, backend, timing,
      configs: [{ ...base, headsPerCta: 8, fault: 'drop-last-tile' }, { ...base, headsPerCta: 8, fault: 'no-mask' }],
    });
    for (const row of faults) assert.equal(row.status, 'mismatch', `${JSON.stringify(row.config)}: ${row.status} ${row.error}`);
  } finally {
    await backend.dispose();
  }
});
