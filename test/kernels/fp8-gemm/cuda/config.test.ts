// The config sum type: combinations that used to be forbidden by constraints cannot be written (each
// `@ts-expect-error` below fails the type check if the line ever compiles), and a config read as JSON
// (today's form, or the flat form of old results files) is converted or refused with a reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../../core/errors.ts';
import type { HopperGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { fromFlat, parseCudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/parse.ts';

const tile = { blockM: 128, blockN: 128, stages: 5, mathWarpgroups: 2, raster: 'along-m', cluster: 1, out: 'bf16', epilogue: 'threads', grid: 'full' } as const;
const turn = { ...tile, blockM: 256, stages: 3, epilogue: 'tma', loop: 'in-turn', turnUnroll: 4 } as const;

test('invalid combinations cannot be written', () => {
  const written: HopperGemmConfig[] = [
    { ...tile, loop: 'two-sets', overlapStore: true },
    { ...tile, loop: 'one-set', scales: 'ring', waitAhead: true, stagger: true },
    { ...tile, loop: 'one-set', scales: 'tma', waitAhead: true },
    { ...turn, scales: 'ring', waitAhead: true },
    { ...turn, scales: 'scale-warp', epilogue: 'tma-by-sub-tile' },
    { ...tile, loop: 'two-sets', grid: 'split-tail', swapAB: true },
    { ...tile, loop: 'two-sets', cluster: 2, clusterAlong: 'm' },
    // @ts-expect-error: stagger is one set's option
    { ...tile, loop: 'two-sets', stagger: true },
    // @ts-expect-error: the overlapped store left one set (docs/experiments/one-set-overlap-store.md)
    { ...tile, loop: 'one-set', scales: 'ring', overlapStore: true },
    // @ts-expect-error: staged scales and the stagger do not go together
    { ...tile, loop: 'one-set', scales: 'scale-warp', stagger: true },
    // @ts-expect-error: in turn, waiting ahead reads the scales from the ring
    { ...turn, scales: 'tma', waitAhead: true },
    // @ts-expect-error: turnUnroll is the in-turn loop's
    { ...tile, loop: 'one-set', scales: 'ring', turnUnroll: 2 },
    // @ts-expect-error: the in-turn trip is 2 or 4 blocks
    { ...turn, scales: 'ring', turnUnroll: 3 },
    // @ts-expect-error: swapped A and B store through the threads epilogue
    { ...tile, loop: 'two-sets', swapAB: true, epilogue: 'tma' },
    // @ts-expect-error: swapped A and B take a loop over every sub-tile at once
    { ...turn, scales: 'ring', swapAB: true, epilogue: 'threads' },
    // @ts-expect-error: the split tail deals K blocks to single CTAs
    { ...tile, loop: 'two-sets', grid: 'split-tail', cluster: 2, clusterAlong: 'm' },
    // @ts-expect-error: the split tail has no next block to overlap with the store
    { ...tile, loop: 'two-sets', grid: 'split-tail', overlapStore: true },
    // @ts-expect-error: the split tail takes scales from the ring
    { ...tile, loop: 'one-set', scales: 'tma', grid: 'split-tail' },
    // @ts-expect-error: a cluster of 2 says along which side
    { ...tile, loop: 'two-sets', cluster: 2 },
    // @ts-expect-error: without a cluster there is no direction
    { ...tile, loop: 'two-sets', clusterAlong: 'n' },
    // @ts-expect-error: tryAhead left the code (docs/experiments/try-ahead.md)
    { ...turn, scales: 'scale-warp', tryAhead: true },
  ];
  assert.equal(written.length, 21);
});

test('the flat form of old results converts field by field', () => {
  const flat = { blockM: 256, blockN: 128, stages: 3, mathWarpgroups: 2, accBuffers: 1, overlapStore: false, stagger: false, raster: 'along-m', cluster: 2, clusterAlong: 'n', out: 'bf16', epilogue: 'tma', subTilesInTurn: true, smemScales: true, tmaScales: true, balancedGrid: true };
  assert.deepEqual(fromFlat(flat), { ...turn, scales: 'tma', cluster: 2, clusterAlong: 'n', grid: 'balanced' });
  assert.deepEqual(fromFlat({ ...flat, cluster: 1, subTilesInTurn: false, smemScales: false, tmaScales: false, balancedGrid: false, accBuffers: 2, overlapStore: true }), {
    ...tile, blockM: 256, stages: 3, epilogue: 'tma', loop: 'two-sets', overlapStore: true,
  });
  // Old rows list clusterAlong 'n' without a cluster; it meant nothing and is dropped.
  assert.deepEqual(fromFlat({ blockM: 64, blockN: 16, stages: 10, mathWarpgroups: 1, accBuffers: 2, raster: 'along-m', cluster: 1, clusterAlong: 'n', out: 'bf16', splitTail: true, swapAB: true }), {
    blockM: 64, blockN: 16, stages: 10, mathWarpgroups: 1, raster: 'along-m', out: 'bf16', loop: 'two-sets', epilogue: 'threads', grid: 'split-tail', cluster: 1, swapAB: true,
  });
  assert.deepEqual(fromFlat({ ...flat, storeBySubTile: true, smemScales: false, tmaScales: false, turnUnroll: 2, rasterGroup: 4, ffmaYield: 4 }), {
    ...turn, scales: 'ring', turnUnroll: 2, epilogue: 'tma-by-sub-tile', cluster: 2, clusterAlong: 'n', grid: 'balanced', rasterGroup: 4, ffmaYield: 4,
  });
  assert.deepEqual(fromFlat({ kernel: 'simt', blockM: 64, out: 'f32', accBuffers: 1 }), { kernel: 'simt', out: 'f32' });
});

test('a config read as JSON is refused with the reason, removed flags naming their experiment', () => {
  const old = { blockM: 128, blockN: 128, stages: 5, mathWarpgroups: 2, accBuffers: 1, raster: 'along-m', cluster: 1, out: 'bf16' };
  const refused = (value: Record<string, unknown>, reason: RegExp) => assert.throws(() => parseCudaGemmConfig(value), (e: unknown) => e instanceof UsageError && reason.test(e.message));
  refused({ ...old, overlapStore: true }, /docs\/experiments\/one-set-overlap-store\.md/);
  refused({ ...old, blockM: 256, subTilesInTurn: true, smemScales: true, tryAhead: true }, /docs\/experiments\/try-ahead\.md/);
  refused({ ...old, scalePrefetch: 16 }, /docs\/experiments\/scale-prefetch\.md/);
  refused({ ...old, accBuffers: 2, stagger: true }, /two accumulator sets .* without waitAhead or stagger/);
  refused({ ...old, blockM: 256, subTilesInTurn: true, stagger: true }, /stagger is one set's option/);
  refused({ ...old, swapAB: true, epilogue: 'tma' }, /threads epilogue/);
  refused({ ...old, splitTail: true, cluster: 2, clusterAlong: 'm' }, /split tail/);
  refused({ ...old, splitTail: true, balancedGrid: true }, /two grids/);
  refused({ ...old, tmaScales: true }, /needs smemScales/);
  refused({ ...old, blockM: 'wide' }, /blockM must be a whole number/);
  refused({ ...old, tiles: 3 }, /unknown field "tiles"/);
  refused({ ...tile, loop: 'one-set' }, /scales must be one of/);
  refused({ ...tile, loop: 'two-sets', scales: 'ring' }, /no scales field/);
  refused({ ...tile, loop: 'two-sets', overlapStore: false }, /written by leaving it out/);
  refused({ ...tile, loop: 'two-sets', cluster: 1, clusterAlong: 'n' }, /means nothing without a cluster/);
  refused({ ...tile, loop: 'two-sets', mainLoop: { kind: 'two-sets' } }, /unknown field "mainLoop"/);
  // Today's form round-trips.
  const today: HopperGemmConfig = { ...turn, scales: 'tma', cluster: 2, clusterAlong: 'n', grid: 'balanced', rasterGroup: 16 };
  assert.deepEqual(parseCudaGemmConfig(JSON.parse(JSON.stringify(today))), today);
  assert.deepEqual(parseCudaGemmConfig({ kernel: 'simt', out: 'bf16' }), { kernel: 'simt', out: 'bf16' });
});
