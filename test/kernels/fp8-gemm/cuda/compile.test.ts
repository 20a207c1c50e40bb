// CI (nvcc, no GPU): every instance of the default CUDA config space (swapped A and B: at M=128) and
// every candidate of the H200 sweep (and the split tail's, waitAhead's and staged scales' shapes) compiles for sm_90a (and the portable SIMT kernel for sm_80), and ptxas
// reports no local-memory spills (stack frame, spill stores or loads) and no warnings (an ignored
// setmaxnreg, serialized WGMMAs). Skipped with a message where nvcc is absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileAll } from '../../../../harness/cuda/compile.ts';
import { cudaCacheDir, findNvcc } from '../../../../harness/cuda/toolchain.ts';
import { candidateConfigs } from '../../../../kernels/fp8-gemm/cuda/candidates.ts';
import type { HopperGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { cudaGemmSpace, simtSpace } from '../../../../kernels/fp8-gemm/cuda/space.ts';
import { gemmCuda } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { searchSpace } from '../../../../tuner/space.ts';
import { H200_CAPS } from './caps.ts';

const nvcc = findNvcc();

test('every default-space instance and sweep candidate compiles for sm_90a (SIMT: sm_80) without spills', { skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false }, async () => {
  if ('missing' in nvcc) return;
  const problem = { M: 4096, N: 7168, K: 2048 };
  const search = searchSpace(cudaGemmSpace(problem, H200_CAPS));
  // The sm_90a space, the H200 sweep's candidates (wider tiles, deeper pipelines, three math
  // warpgroups) and the portable SIMT kernel's (sm_80 machine code + PTX).
  const inSpace = search.all.filter((c) => search.violations(c).length === 0);
  // Swapped A and B are in the space only for small M: the M=128 space's swapped instances.
  const small = searchSpace(cudaGemmSpace({ ...problem, M: 128 }, H200_CAPS));
  const swapped = small.all.filter((c) => c.kernel === undefined && c.swapAB && small.violations(c).length === 0);
  const seen = new Set([...inSpace, ...swapped].map((c) => JSON.stringify(c)));
  // The candidates of the DeepSeek-V3 shapes and of shapes nobody tuned for (N and K off the
  // 128 grid, M from 1 to 3000): generated from the problem, so other shapes bring other tiles.
  const untuned = [{ M: 1, N: 1000, K: 1280 }, { M: 8, N: 576, K: 7168 }, { M: 37, N: 2304, K: 7168 }, { M: 512, N: 2112, K: 7168 }, { M: 3000, N: 7168, K: 2304 }];
  const candidates = [...[64, 128, 4096].map((M) => ({ ...problem, M })), ...untuned].flatMap((p) => candidateConfigs(p, H200_CAPS)).filter((c) => {
    const key = JSON.stringify(c);
    return !seen.has(key) && seen.add(key) !== undefined;
  });
  // The split tail (not a default instance nor a candidate): its tile shapes in the GPU test.
  const tile = { blockM: 128, blockN: 128, stages: 6, mathWarpgroups: 2, raster: 'along-m', cluster: 1, out: 'bf16', epilogue: 'tma', grid: 'full' } as const;
  const split = { ...tile, loop: 'one-set', scales: 'ring', grid: 'split-tail' } as const;
  const splits: HopperGemmConfig[] = [split, { ...split, blockN: 192, stages: 4 }, { ...split, blockN: 160, stages: 4, epilogue: 'threads' }];
  // Waiting ahead: in turn, a 128-column tile with the TMA epilogue and a 112-column pair with the
  // threads epilogue and two scale blocks; one set, 192 columns, a pair along M.
  const turn = { ...tile, blockM: 256, stages: 3, loop: 'in-turn', turnUnroll: 4, scales: 'ring', waitAhead: true } as const;
  const one = { ...tile, loop: 'one-set', scales: 'ring', waitAhead: true } as const;
  const ahead: HopperGemmConfig[] = [
    turn, { ...turn, blockN: 112, epilogue: 'threads', cluster: 2, clusterAlong: 'n' },
    { ...one, blockN: 192, stages: 4 }, { ...one, cluster: 2, clusterAlong: 'm', stages: 5 },
  ];
  // Staged scales: 128 and 112 columns (two scale blocks), a pair along N; the producer's scale warp
  // must fit its 56 registers without spilling.
  const staged = { ...tile, blockM: 256, stages: 3, loop: 'in-turn', turnUnroll: 4, scales: 'scale-warp' } as const;
  const stagedScales: HopperGemmConfig[] = [
    staged, { ...staged, blockN: 112, epilogue: 'threads', cluster: 2, clusterAlong: 'n' },
    // Stored by sub-tile with a fourth stage, f32 out (three stages), two blocks per trip.
    { ...staged, scales: 'ring', epilogue: 'tma-by-sub-tile', stages: 4, turnUnroll: 2 }, { ...staged, scales: 'ring', epilogue: 'tma-by-sub-tile', out: 'f32' },
    // Loaded by the TMA thread: 128 columns (two blocks per trip, TMA store), 112 (two scale blocks) in a pair along N.
    { ...staged, scales: 'tma', turnUnroll: 2 }, { ...staged, scales: 'tma', blockN: 112, epilogue: 'threads', cluster: 2, clusterAlong: 'n' },
    // One set: 192 columns by TMA waiting ahead, 128 by the scale warp.
    { ...one, blockN: 192, stages: 4, scales: 'tma' }, { ...tile, loop: 'one-set', scales: 'scale-warp', stages: 5 },
  ];
  const valid = [...inSpace, ...swapped, ...candidates, ...splits, ...ahead, ...stagedScales, ...searchSpace(simtSpace()).all];
  assert.ok(valid.length > 50, `the default space has ${valid.length} valid instances`);
  const sources = valid.map((c) => gemmCuda(problem, c, H200_CAPS));
  const outcomes = await compileAll(nvcc, sources, cudaCacheDir());
  const problems = outcomes.flatMap((o, i) => {
    const config = JSON.stringify(valid[i]);
    if (!o.ok) return [`${config}: ${o.error}`];
    const r = o.report;
    const bad = r.spillStoreBytes > 0 || r.spillLoadBytes > 0 || r.stackBytes > 0 || r.warnings.length > 0;
    return bad ? [`${config}: stack ${r.stackBytes} B, spills ${r.spillStoreBytes}/${r.spillLoadBytes} B ${r.warnings.join(' ')}`] : [];
  });
  assert.deepEqual(problems, []);
});
