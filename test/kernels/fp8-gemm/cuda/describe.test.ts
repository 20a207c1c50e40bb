import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeCudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/describe.ts';
import type { CudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/space.ts';

const base: CudaGemmConfig = { blockM: 128, blockN: 128, stages: 5, mathWarpgroups: 2, accBuffers: 1, overlapStore: false, stagger: false, raster: 'along-m', cluster: 1, clusterAlong: 'n', out: 'bf16' };

test('a config in one line names the tile, the pipeline and every option that is on', () => {
  assert.equal(describeCudaGemmConfig(base), '128x128 s5 wg2 1 set along-m threads');
  const turn: CudaGemmConfig = { ...base, blockM: 256, stages: 3, subTilesInTurn: true, turnUnroll: 2, smemScales: true, cluster: 2, balancedGrid: true, epilogue: 'tma', rasterGroup: 16 };
  assert.equal(describeCudaGemmConfig(turn), '256x128 s3 wg2 1 set in turn x2 staged scales pair along n balanced along-m/16 tma');
  assert.equal(describeCudaGemmConfig({ ...base, accBuffers: 2, overlapStore: true, out: 'f32', cluster: 4 }), '128x128 s5 wg2 2 sets overlapped store pairs of 4 along n along-m threads f32');
  // Configs that differ in one option print differently.
  const variants: CudaGemmConfig[] = [base, { ...base, waitAhead: true }, { ...base, swapAB: true }, { ...base, splitTail: true }, { ...base, stagger: true }, { ...base, ffmaYield: 2 }, { ...base, fault: 'wrong-b-scale' }, { ...turn, tmaScales: true }, { ...turn, storeBySubTile: true }];
  assert.equal(new Set(variants.map(describeCudaGemmConfig)).size, variants.length);
});
