import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateConfigs, deepestStages } from '../../../../kernels/fp8-gemm/cuda/candidates.ts';
import type { CudaGemmConfig, HopperGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { cudaGemmConstraints, cudaGemmSpace, scaleStride, sharedBytes } from '../../../../kernels/fp8-gemm/cuda/space.ts';
import { SIMT_ENTRY_POINT } from '../../../../kernels/fp8-gemm/cuda/simt.ts';
import { ENTRY_POINT, gemmCuda, RASTER_GROUP, rasterArgument, scaleSpans } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { H200_CAPS } from './caps.ts';

// The tile without a main loop, and with one set (scales from the ring), two sets, the sub-tiles in turn.
const tile = { blockM: 128, blockN: 128, stages: 5, mathWarpgroups: 2, raster: 'along-m', cluster: 1, out: 'bf16', epilogue: 'threads', grid: 'full' } as const;
const base = { ...tile, loop: 'one-set', scales: 'ring' } as const satisfies HopperGemmConfig;
const twoSets = { ...tile, loop: 'two-sets' } as const satisfies HopperGemmConfig;
const turn = { ...tile, blockM: 256, stages: 3, epilogue: 'tma', loop: 'in-turn', turnUnroll: 4, scales: 'ring' } as const satisfies HopperGemmConfig;
const broken = (c: CudaGemmConfig, p: { M: number; N: number; K: number } = problem) => cudaGemmConstraints(p, H200_CAPS).filter((k) => !k.ok(c)).map((k) => k.name);
const problem = { M: 4096, N: 7168, K: 2048 };

test('the source starts with a comment naming family, problem and config', () => {
  const source = gemmCuda(problem, base, H200_CAPS);
  const first = source.code.split('\n')[0];
  assert.match(first, /^\/\/ tilesweep fp8-gemm/);
  assert.ok(first.includes(JSON.stringify(problem)) && first.includes(JSON.stringify(base)));
  assert.match(source.code, new RegExp(`${ENTRY_POINT}\\(`));
  assert.ok(source.flags?.some((f) => f.includes('sm_90a')));
});

test('the CUDA template and space read the device\'s figures and refuse to guess them', () => {
  const webgpu = { ...H200_CAPS, backend: 'webgpu' as const, cuda: undefined };
  assert.throws(() => gemmCuda(problem, base, webgpu), /CUDA device's capabilities/);
  assert.throws(() => cudaGemmSpace(problem, webgpu), /CUDA device's capabilities/);
  const fewerSms = { ...H200_CAPS, cuda: { ...H200_CAPS.cuda!, smCount: 78 } };
  assert.equal(gemmCuda(problem, base, fewerSms).launches[0].grid[0], 78);
});

test('the persistent grid never exceeds the SMs and is whole clusters', () => {
  const configs: HopperGemmConfig[] = [base, { ...base, cluster: 2, clusterAlong: 'm' }, { ...base, blockM: 64, blockN: 16, mathWarpgroups: 1, cluster: 4, clusterAlong: 'n' }];
  for (const c of configs) {
    const [launch] = gemmCuda({ M: 64, N: 2112, K: 7168 }, c, H200_CAPS).launches;
    assert.ok(launch.grid[0] <= 132 && launch.grid[0] % c.cluster === 0, JSON.stringify(launch.grid));
    assert.deepEqual(launch.cluster ?? [1, 1, 1], [c.cluster, 1, 1]);
  }
});

test('the shared operand of a cluster is loaded in 1/cluster slices', () => {
  const along = (clusterAlong: 'm' | 'n') => gemmCuda(problem, { ...base, cluster: 2, clusterAlong }, H200_CAPS).launches[0].params;
  const boxes = (params: ReturnType<typeof along>) => params.flatMap((p) => (p.kind === 'tensor-map' ? [p.boxRows] : []));
  assert.deepEqual(boxes(along('m')), [128, 64]);
  assert.deepEqual(boxes(along('n')), [64, 128]);
});

test('an N tile that does not divide 128 is told how many scale blocks it can straddle', () => {
  assert.equal(scaleSpans(128), 1);
  assert.equal(scaleSpans(32), 1);
  assert.equal(scaleSpans(112), 2);
  assert.equal(scaleSpans(144), 2);
  assert.equal(scaleSpans(176), 3);
  assert.equal(scaleSpans(192), 2);
  assert.equal(scaleSpans(256), 2);
  // Against every tile start of a wide N: the most 128-column blocks any tile touches.
  for (const n of [8, 16, 24, 48, 96, 112, 136, 144, 160, 176, 192, 200, 256]) {
    let most = 0;
    for (let n0 = 0; n0 < 128 * n; n0 += n) most = Math.max(most, Math.floor((n0 + n - 1) / 128) - Math.floor(n0 / 128) + 1);
    assert.equal(scaleSpans(n), most, `blockN ${n}`);
  }
});

test('constraints reject what cannot fit the SM: shared memory, registers, slices', () => {
  assert.deepEqual(broken(base), []);
  assert.ok(sharedBytes({ ...base, stages: 6 }) > 232448);
  assert.deepEqual(broken({ ...base, stages: 6 }), ['shared-memory-within-limit']);
  // One set fits up to n=192 (96 + 96 floats, ~40 more); ptxas spilled 200 and above (nvcc 13.0).
  assert.deepEqual(broken({ ...base, blockN: 192, stages: 4 }), []);
  assert.deepEqual(broken({ ...base, blockN: 200, stages: 3 }), ['accumulators-fit-registers']);
  assert.deepEqual(broken({ ...twoSets, blockN: 144, stages: 4 }), ['accumulators-fit-registers']);
  assert.deepEqual(broken({ ...twoSets, blockM: 128, mathWarpgroups: 1, blockN: 128 }), ['accumulators-fit-registers']);
  assert.deepEqual(broken({ ...base, blockN: 24, cluster: 2, clusterAlong: 'm' }), ['multicast-slice-is-whole-swizzle-atoms']);
  assert.deepEqual(broken({ ...base, blockM: 192, stages: 3 }), ['block-m-is-whole-m64-subtiles']);
  // Three math warpgroups get 152 registers each: 192x128 with one set fits, 192x144 and two sets do not.
  assert.deepEqual(broken({ ...base, blockM: 192, mathWarpgroups: 3, blockN: 128, stages: 4 }), []);
  assert.deepEqual(broken({ ...base, blockM: 192, mathWarpgroups: 3, blockN: 144, stages: 3 }), ['accumulators-fit-registers']);
  assert.deepEqual(broken({ ...twoSets, blockM: 192, mathWarpgroups: 3, blockN: 96 }), ['accumulators-fit-registers']);
  assert.deepEqual(broken({ ...twoSets, overlapStore: true }), []);
  assert.deepEqual(broken({ ...twoSets, overlapStore: true, cluster: 2, clusterAlong: 'm' }), ['overlap-store-without-cluster']);
  assert.deepEqual(broken({ ...base, stagger: true, blockM: 64, mathWarpgroups: 1 }), ['stagger-needs-two-warpgroups']);
  assert.deepEqual(broken({ ...twoSets, blockM: 64, mathWarpgroups: 1, blockN: 112 }), ['no-measured-spill']);
  assert.deepEqual(broken({ ...base, blockM: 64, mathWarpgroups: 1, blockN: 176, stages: 3 }), ['no-measured-spill']);
  assert.deepEqual(broken({ ...base, epilogue: 'tma', blockN: 112 }), ['tma-store-whole-slabs']);
  assert.deepEqual(broken({ ...base, epilogue: 'tma' }, { ...problem, N: 7170 }), ['tma-store-row-pitch']);
  assert.deepEqual(broken({ ...base, cluster: 4, clusterAlong: 'n' }), []);
  const pairsOnly = { ...H200_CAPS, cuda: { ...H200_CAPS.cuda!, maxClusterSize: 2 } };
  assert.deepEqual(cudaGemmConstraints(problem, pairsOnly).filter((k) => !k.ok({ ...base, cluster: 4, clusterAlong: 'n' })).map((k) => k.name), ['cluster-within-device']);
});

test('the overlapped store is two sets\' option, compiled in only for an even number of K blocks', () => {
  const overlap = (c: CudaGemmConfig, K: number) => /constexpr int OVERLAP_STORE = (\d);/.exec(gemmCuda({ ...problem, K }, c, H200_CAPS).code)?.[1];
  const two = { ...twoSets, overlapStore: true } as const;
  assert.equal(overlap(two, 2048), '1');
  assert.equal(overlap(two, 640), '0');
  assert.equal(overlap(twoSets, 2048), '0');
  // Off, and on with an odd number of K blocks, are the same source apart from the provenance line.
  const body = (c: CudaGemmConfig, K: number) => gemmCuda({ ...problem, K }, c, H200_CAPS).code.split('\n').slice(1).join('\n');
  assert.equal(body(two, 640), body(twoSets, 640));
});

test('the TMA epilogue adds a tensor map over C in 64-row x 128-byte boxes, and only then', () => {
  const maps = (c: CudaGemmConfig) => gemmCuda(problem, c, H200_CAPS).launches[0].params.flatMap((p) => (p.kind === 'tensor-map' ? [p] : []));
  assert.equal(maps(base).length, 2);
  assert.doesNotMatch(gemmCuda(problem, base, H200_CAPS).code, /CUtensorMap mapC/);
  const [, , bf16] = maps({ ...base, epilogue: 'tma' });
  assert.deepEqual(bf16, { kind: 'tensor-map', buffer: 'c', rows: 4096, cols: 7168, boxRows: 64, boxCols: 64, elementBytes: 2 });
  const [, , f32] = maps({ ...base, epilogue: 'tma', out: 'f32' });
  assert.equal(f32.boxCols, 32);
  assert.equal(f32.elementBytes, 4);
  assert.match(gemmCuda(problem, { ...base, epilogue: 'tma' }, H200_CAPS).code, /CUtensorMap mapC/);
  // Unpadded slabs: a smaller staging than the padded rows, so one more stage fits for 128x128.
  assert.ok(sharedBytes({ ...base, epilogue: 'tma', stages: 6 }) <= 232448);
});

test('the split tail adds zeroed scratch (counters and a tile of partials per CTA) as the last parameter', () => {
  const split = { ...base, epilogue: 'tma', stages: 6, grid: 'split-tail' } as const;
  const source = gemmCuda(problem, split, H200_CAPS);
  const params = source.launches[0].params;
  const ctas = source.launches[0].grid[0];
  assert.equal(ctas, 132);
  assert.deepEqual(params.at(-1), { kind: 'scratch', bytes: 4 * (264 + 132 * 128 * 128) });
  assert.match(source.code, /constexpr int SPLIT_TAIL = 1;/);
  assert.match(source.code, /int raster, float\* __restrict__ scratch\)/);
  const plain = gemmCuda(problem, { ...split, grid: 'full' }, H200_CAPS);
  assert.ok(plain.launches[0].params.every((p) => p.kind !== 'scratch'));
  assert.match(plain.code, /constexpr int SPLIT_TAIL = 0;/);
  assert.deepEqual(broken({ ...split, loop: 'two-sets', scales: undefined }), ['no-measured-spill']);
});

test('the split tail takes every SM even when the tiles are fewer', () => {
  const small = { ...twoSets, blockM: 64, blockN: 64, mathWarpgroups: 1, stages: 10, grid: 'split-tail' } as const;
  const decode = { M: 64, N: 7168, K: 16384 };
  assert.equal(gemmCuda(decode, small, H200_CAPS).launches[0].grid[0], 132);
  assert.equal(gemmCuda(decode, { ...small, grid: 'full' }, H200_CAPS).launches[0].grid[0], 112);
  assert.deepEqual(broken(small, decode), []);
});

test('swapped A and B: B\'s map, scales and size first, the kernel\'s frame for the grid, transposed staging', () => {
  const decode = { M: 64, N: 2112, K: 7168 };
  const swap = { ...twoSets, blockM: 64, blockN: 16, mathWarpgroups: 1, stages: 10, swapAB: true } as const;
  const source = gemmCuda(decode, swap, H200_CAPS);
  const [launch] = source.launches;
  assert.deepEqual(launch.params.map((p) => ('buffer' in p ? `${p.kind}:${p.buffer}` : `${p.kind}:${'value' in p ? p.value : ''}`)), [
    'tensor-map:b', 'tensor-map:a', 'pointer:scaleB', 'pointer:scaleA', 'pointer:c', 'i32:2112', 'i32:64', 'i32:7168', 'i32:16',
  ]);
  const maps = launch.params.flatMap((p) => (p.kind === 'tensor-map' ? [[p.rows, p.boxRows]] : []));
  assert.deepEqual(maps, [[2112, 64], [64, 16]]);
  // 2112 / 64 weight tiles x 64 / 16 token tiles = 132 CTAs.
  assert.equal(launch.grid[0], 132);
  assert.match(source.code, /constexpr int SWAP_AB = 1;/);
  assert.match(source.code, /constexpr int SPANS = 4;/);
  // Each of the one math warpgroup's 16 staging rows holds its 64 values (bf16) and 16 bytes of padding.
  assert.equal(launch.sharedBytes, sharedBytes(swap));
  assert.equal(sharedBytes(swap) - sharedBytes({ ...swap, swapAB: undefined }), 16 * (64 * 2 + 16) - 64 * (16 * 2 + 16));
  assert.deepEqual(broken(swap, decode), []);
  assert.deepEqual(broken(swap, { ...decode, M: 4096 }), ['swap-for-small-m']);
  assert.deepEqual(broken({ ...swap, blockN: 72 }, decode), ['swap-for-small-m']);
  assert.deepEqual(broken({ ...base, blockM: 64, mathWarpgroups: 1, blockN: 64, swapAB: true }, decode), []);
});

test('ffmaYield asks the compile for a cubin edit, and only then', () => {
  assert.deepEqual(gemmCuda(problem, { ...base, ffmaYield: 2 }, H200_CAPS).sassPatch, { ffmaYieldEvery: 2 });
  assert.equal(gemmCuda(problem, base, H200_CAPS).sassPatch, undefined);
  assert.deepEqual(broken({ ...base, ffmaYield: 0.5 }), ['ffma-yield-spacing']);
});

test('every candidate of the DeepSeek-V3 shapes satisfies the constraints', () => {
  for (const M of [64, 128, 4096]) {
    const list = candidateConfigs({ M, N: 7168, K: 2048 }, H200_CAPS);
    assert.ok(list.length > 0);
    // Each main loop where its tiles are priced near the best: two sets (with and without the
    // overlapped store) on 64 and 128-row tiles, one set on wide tiles, the sub-tiles in turn on
    // 256-row tiles only where M has them.
    const loops = new Set(list.map((c) => `${c.loop}${c.loop === 'two-sets' && c.overlapStore ? ' overlapped' : ''}`));
    for (const loop of ['one-set', 'two-sets', 'two-sets overlapped']) assert.ok(loops.has(loop), `M=${M}: ${loop}`);
    assert.equal(loops.has('in-turn'), M > 192, `M=${M}`);
    for (const c of list) assert.deepEqual(broken(c, { M, N: 7168, K: 2048 }), [], JSON.stringify(c));
  }
});

test('GPUs below compute capability 9.0 get the portable SIMT kernel, built as sm_80 code plus PTX', () => {
  const ampere = { ...H200_CAPS, cuda: { ...H200_CAPS.cuda!, computeCapability: '8.0' } };
  const space = cudaGemmSpace(problem, ampere);
  assert.deepEqual(space.configs, [{ kernel: 'simt', out: 'bf16' }, { kernel: 'simt', out: 'f32' }]);
  const source = gemmCuda({ M: 300, N: 200, K: 512 }, { kernel: 'simt', out: 'bf16' }, ampere);
  const [launch] = source.launches;
  assert.equal(launch.entryPoint, SIMT_ENTRY_POINT);
  assert.deepEqual(launch.grid, [4, 5, 1]);
  assert.ok(source.flags?.some((f) => f.includes('compute_80')));
  assert.match(source.code.split('\n')[0], /"kernel":"simt"/);
  assert.ok(cudaGemmSpace(problem, H200_CAPS).configs?.every((c) => c.kernel !== 'simt'));
});

test('the default space lists valid configs of every default loop, swapped ones only at small M', () => {
  const space = cudaGemmSpace(problem, H200_CAPS);
  const configs = space.configs ?? [];
  assert.ok(configs.length > 50, `${configs.length} configs`);
  for (const c of configs) assert.deepEqual(broken(c), [], JSON.stringify(c));
  assert.deepEqual(new Set(configs.map((c) => (c.kernel === undefined ? c.loop : c.kernel))), new Set(['two-sets', 'one-set']));
  assert.ok(configs.every((c) => c.kernel !== undefined || !c.swapAB));
  const small = cudaGemmSpace({ ...problem, M: 64 }, H200_CAPS).configs ?? [];
  assert.ok(small.some((c) => c.kernel === undefined && c.swapAB));
  // The params are the values the listed configs take (for --param and neighbour steps).
  assert.deepEqual([...(space.params as Record<string, readonly unknown[]>).loop].sort(), ['one-set', 'two-sets']);
});

test('a balanced grid launches as few clusters as finish in the same waves; otherwise min(tiles, SMs)', () => {
  const grid = (c: CudaGemmConfig, p = { M: 4096, N: 7168, K: 16384 }) => gemmCuda(p, c, H200_CAPS).launches[0].grid[0];
  // 16 x 56 = 896 tiles: 7 waves of 132, or 128 CTAs with 7 tiles each (DeepGEMM's 128 SMs).
  assert.equal(grid(turn), 132);
  assert.equal(grid({ ...turn, grid: 'balanced' }), 128);
  // Pairs along N: 448 cluster tiles over at most 66 clusters, 7 waves: 64 clusters, 128 CTAs.
  assert.equal(grid({ ...turn, cluster: 2, clusterAlong: 'n', grid: 'balanced' }), 128);
  // Fewer tiles than SMs: one wave either way.
  assert.equal(grid({ ...turn, grid: 'balanced' }, { M: 512, N: 2048, K: 512 }), 32);
  // 1792 tiles of 128x128: 14 waves, 128 CTAs.
  assert.equal(grid({ ...base, grid: 'balanced' }), 128);
});

test('sub-tiles in turn: one accumulator set for 256-row tiles, compiled in only when asked; waiting ahead there or with one set', () => {
  assert.deepEqual(broken(turn), []);
  // All sub-tiles at once needs a set each: 2 x 64 + 2 x 64 + 40 registers do not fit 232.
  assert.deepEqual(broken({ ...base, blockM: 256, stages: 3, epilogue: 'tma' }), ['accumulators-fit-registers']);
  assert.deepEqual(broken({ ...turn, blockM: 128 }), ['in-turn-two-sub-tiles']);
  assert.match(gemmCuda(problem, turn, H200_CAPS).code, /constexpr int WAIT_AHEAD = 0;/);
  assert.match(gemmCuda(problem, { ...turn, waitAhead: true }, H200_CAPS).code, /constexpr int WAIT_AHEAD = 1;/);
  assert.deepEqual(broken({ ...base, waitAhead: true }), []);
});

test('only the chosen main loop is emitted, with only its own options as constants', () => {
  const code = (c: CudaGemmConfig) => gemmCuda(problem, c, H200_CAPS).code;
  // Each loop's mark: the in-turn block, the two-set pair of helpers, the one-set stagger.
  const marks = (c: CudaGemmConfig) => ['turn_block', 'wait_and_release', 'staggered', 'OVERLAP_STORE', 'TURN_UNROLL', 'STAGGER', 'ACC_BUFFERS', 'IN_TURN', 'TRY_AHEAD'].filter((m) => code(c).includes(m));
  assert.deepEqual(marks(turn), ['turn_block', 'TURN_UNROLL']);
  assert.deepEqual(marks(twoSets), ['wait_and_release', 'OVERLAP_STORE']);
  assert.deepEqual(marks(base), ['staggered', 'STAGGER']);
  assert.match(code(turn), /float acc\[1\]\[SUB_TILES\]\[ACC\];/);
  assert.match(code(twoSets), /float acc\[2\]\[SUB_TILES\]\[ACC\];/);
  // The producer's spare block is the overlapped store's: in the two-set kernels only.
  assert.match(code({ ...twoSets, overlapStore: true }), /a spare copy of the first/);
  assert.doesNotMatch(code(base), /a spare copy of the first/);
});

test('raster groups: the launch argument carries the direction and the group width (8 unless said), checked', () => {
  const raster = (c: CudaGemmConfig) => gemmCuda(problem, c, H200_CAPS).launches[0].params.flatMap((p) => (p.kind === 'i32' ? [p.value] : [])).at(-1);
  assert.equal(raster(base), 16);
  assert.equal(raster({ ...base, raster: 'along-n' }), 17);
  assert.equal(raster({ ...base, rasterGroup: 16 }), 32);
  assert.equal(raster({ ...base, raster: 'along-n', rasterGroup: 3 }), 7);
  assert.equal(rasterArgument({ raster: 'along-m', rasterGroup: RASTER_GROUP }), raster(base));
  // The same kernel either way (only the header line naming the config differs): the group is not compiled in.
  const body = (c: CudaGemmConfig) => gemmCuda(problem, c, H200_CAPS).code.split('\n').slice(1).join('\n');
  assert.equal(body({ ...base, rasterGroup: 16 }), body(base));
  assert.deepEqual(broken({ ...base, rasterGroup: 16 }), []);
  for (const bad of [0, 65, 2.5]) assert.deepEqual(broken({ ...base, rasterGroup: bad }), ['raster-group-size']);
});

test('staged scales: in turn or one set, a register split that fits the SM, the stage\'s scales in shared memory', () => {
  const staged = { ...turn, scales: 'scale-warp' } as const;
  assert.deepEqual(broken(staged), []);
  assert.deepEqual(broken({ ...base, scales: 'scale-warp' }), []);
  // 56 registers for the producer, 224 for each math thread: 128 x 56 + 256 x 224 = 64512 of 65536.
  const code = gemmCuda(problem, staged, H200_CAPS).code;
  assert.match(code, /regs_dec<56>/);
  assert.match(code, /regs_inc<224>/);
  assert.match(code, /constexpr int SMEM_SCALES = 1;/);
  assert.match(gemmCuda(problem, turn, H200_CAPS).code, /regs_dec<40>[\s\S]*regs_inc<232>/);
  // Three stages of 256 + 4 floats beside the tiles.
  assert.equal(sharedBytes(staged) - sharedBytes(turn), 3 * 260 * 4);
});

test('the in-turn trip: four K blocks or two, as the config says', () => {
  assert.match(gemmCuda(problem, turn, H200_CAPS).code, /constexpr int TURN_UNROLL = 4;/);
  assert.match(gemmCuda(problem, { ...turn, turnUnroll: 2 }, H200_CAPS).code, /constexpr int TURN_UNROLL = 2;/);
  assert.deepEqual(broken({ ...turn, turnUnroll: 2 }), []);
});

test('storing by sub-tile: half the TMA staging for two sub-tiles per warpgroup, so 256x128 takes a fourth stage', () => {
  const bySub = { ...turn, epilogue: 'tma-by-sub-tile' } as const;
  assert.equal(sharedBytes(turn) - sharedBytes(bySub), 256 * 128 * 2 / 2);
  const { stages: _s, ...unstagedTurn } = turn;
  assert.equal(deepestStages(unstagedTurn, H200_CAPS), 3);
  assert.equal(deepestStages({ ...unstagedTurn, epilogue: 'tma-by-sub-tile' }, H200_CAPS), 4);
  assert.deepEqual(broken({ ...bySub, stages: 4 }), []);
  assert.deepEqual(broken({ ...turn, stages: 4 }), ['shared-memory-within-limit']);
  // One sub-tile per warpgroup: nothing to split.
  assert.deepEqual(broken({ ...base, epilogue: 'tma-by-sub-tile' }), ['store-by-sub-tile-two-sub-tiles']);
  assert.match(gemmCuda(problem, bySub, H200_CAPS).code, /constexpr int STORE_BY_SUB_TILE = 1;/);
  assert.match(gemmCuda(problem, turn, H200_CAPS).code, /constexpr int STORE_BY_SUB_TILE = 0;/);
});

test('scales by TMA: staged scales loaded with the stage, the activation scales from the copy the runner makes; no scale warp', () => {
  const byTma = { ...turn, scales: 'tma' } as const;
  assert.deepEqual(broken(byTma), []);
  assert.deepEqual(broken({ ...byTma, blockM: 384, mathWarpgroups: 3 as 2, stages: 2 }).includes('tma-scales-one-box'), true);
  const { code, launches } = gemmCuda(problem, byTma, H200_CAPS);
  assert.match(code, /constexpr int TMA_SCALES = 1;/);
  // 40 producer registers and 232 per math thread, as without staged scales.
  assert.match(code, /regs_dec<40>[\s\S]*regs_inc<232>/);
  // The map follows C's, in the kernel's parameter order.
  assert.match(code, /CUtensorMap mapC,\s*const __grid_constant__ CUtensorMap mapSA,\s*const float\* __restrict__ scaleA/);
  const maps = launches[0].params.flatMap((p) => (p.kind === 'tensor-map' ? [p] : []));
  assert.deepEqual(maps.map((m) => m.buffer), ['a', 'b', 'c', 'scaleA']);
  // Activation scales rows fastest ([K/128][M]) in boxes of the tile's 256 rows.
  assert.deepEqual(maps[3], { kind: 'tensor-map', buffer: 'scaleA', rows: 16, cols: 4096, boxRows: 1, boxCols: 256, elementBytes: 4, swizzle: 'none', copy: 'transpose' });
  // Per stage 256 rows and 4 floats for the weight scales, rounded up to 128 bytes (288 floats), and
  // 128 bytes of alignment, against the scale warp's 256 + 4 floats.
  assert.equal(sharedBytes(byTma) - sharedBytes(turn), 3 * 288 * 4 + 128);
  assert.equal(scaleStride({ ...byTma, blockN: 112 }), 288);
  assert.equal(scaleStride({ ...turn, scales: 'scale-warp' }), 260);
  // Without it, no map and no change to the kernel's parameters.
  assert.equal(gemmCuda(problem, { ...turn, scales: 'scale-warp' }, H200_CAPS).launches[0].params.filter((p) => p.kind === 'tensor-map').length, 3);
});
