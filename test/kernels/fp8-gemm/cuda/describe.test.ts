import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeCudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/describe.ts';
import type { HopperGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';

const tile = { blockM: 128, blockN: 128, stages: 5, mathWarpgroups: 2, raster: 'along-m', cluster: 1, out: 'bf16', epilogue: 'threads', grid: 'full' } as const;
const base = { ...tile, loop: 'one-set', scales: 'ring' } as const satisfies HopperGemmConfig;

test('a config in one line names the tile, the pipeline, the main loop and every option that is on', () => {
  assert.equal(describeCudaGemmConfig(base), '128x128 s5 wg2 1 set along-m threads');
  const turn = { ...tile, blockM: 256, stages: 3, loop: 'in-turn', turnUnroll: 2, scales: 'scale-warp', cluster: 2, clusterAlong: 'n', grid: 'balanced', epilogue: 'tma', rasterGroup: 16 } as const satisfies HopperGemmConfig;
  assert.equal(describeCudaGemmConfig(turn), '256x128 s3 wg2 in turn x2 scales by scale warp pair along n balanced along-m/16 tma');
  assert.equal(
    describeCudaGemmConfig({ ...tile, loop: 'two-sets', overlapStore: true, out: 'f32', cluster: 4, clusterAlong: 'n' }),
    '128x128 s5 wg2 2 sets overlapped store pairs of 4 along n along-m threads f32',
  );
  assert.equal(describeCudaGemmConfig({ kernel: 'simt', out: 'f32' }), 'simt f32');
  // Configs that differ in one option print differently.
  const variants: HopperGemmConfig[] = [
    base, { ...base, waitAhead: true }, { ...base, swapAB: true }, { ...base, grid: 'split-tail' }, { ...base, stagger: true }, { ...base, ffmaYield: 2 },
    { ...base, fault: 'wrong-b-scale' }, { ...turn, scales: 'tma' }, { ...turn, epilogue: 'tma-by-sub-tile' }, { ...turn, turnUnroll: 4 }, { ...tile, loop: 'two-sets' },
  ];
  assert.equal(new Set(variants.map(describeCudaGemmConfig)).size, variants.length);
});
