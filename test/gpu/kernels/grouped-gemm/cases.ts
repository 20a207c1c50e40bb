// The problems and configs the grouped GEMM GPU test sweeps (cuda.test.ts), in one place so that
// scripts/compile-ahead-tests.ts compiles the same sources here before a device session.
import type { Capabilities } from '../../../../core/capabilities.ts';
import { groupedCandidates } from '../../../../kernels/grouped-gemm/cuda/candidates.ts';
import type { GroupedCudaConfig } from '../../../../kernels/grouped-gemm/cuda/config.ts';
import { presets } from '../../../../kernels/grouped-gemm/presets.ts';
import type { GroupedProblem } from '../../../../kernels/grouped-gemm/problem.ts';

export interface GroupedCase {
  readonly problem: GroupedProblem;
  readonly configs: readonly GroupedCudaConfig[];
}

const tile = { blockM: 128, blockN: 128, mathWarpgroups: 2, stages: 4, raster: 'along-m', out: 'bf16' } as const;
export const one: GroupedCudaConfig = { ...tile, loop: 'one-set', scales: 'ring' };
/** Each main loop, 64- and 128-row tiles, f32 and bf16 out, the overlapped store. */
export const loopConfigs: GroupedCudaConfig[] = [
  one,
  { ...one, out: 'f32', stages: 3 },
  { ...tile, loop: 'two-sets' },
  { ...tile, loop: 'two-sets', overlapStore: true, raster: 'along-n' },
  { ...one, blockM: 64, mathWarpgroups: 1, blockN: 112, stages: 8 },
  { ...tile, blockM: 64, mathWarpgroups: 1, blockN: 64, stages: 8, loop: 'two-sets', overlapStore: true },
];

/** Zipf routing, 48 experts with 0..137 rows (three empty, one past a 128-row tile); N=200 (a partial tile and scale block); K even and odd in blocks. */
export const skewed = (layout: GroupedProblem['layout'], K: number): GroupedProblem => ({ G: 48, M: 12, N: 200, K, layout, routing: 'zipf', align: 32 });

/** The broken variants: padding rows stored, the last K block skipped. */
export const faultConfigs: GroupedCudaConfig[] = [{ ...one, fault: 'store-padding' }, { ...one, fault: 'skip-last-k-block' }];

/** Many waves over the 256-expert Zipf layer (contiguous), an EP=8 masked decode slice, a uniform contiguous shape: the candidates. */
export const presetNames = ['dsv3-layer-top8-g256-m128-n7168-k2048-zipf', 'dsv3-ep8-masked-g32-m64-n7168-k2048-zipf', 'dsv3-contiguous-g8-m4096-n7168-k2048-uniform'] as const;

/** The problems the dense-per-group baseline runs on. */
export const baselineProblems = (): GroupedProblem[] => [skewed('contiguous', 512), skewed('masked', 512), presets['dsv3-ep8-masked-g32-m64-n7168-k2048-uniform']];

/** Every case the test sweeps with our kernel, for a device's capabilities. */
export function groupedCases(caps: Capabilities): GroupedCase[] {
  const cases: GroupedCase[] = [];
  for (const layout of ['contiguous', 'masked'] as const) {
    for (const K of [512, 384]) cases.push({ problem: skewed(layout, K), configs: loopConfigs });
    cases.push({ problem: skewed(layout, 512), configs: faultConfigs });
  }
  for (const name of presetNames) cases.push({ problem: presets[name], configs: groupedCandidates(presets[name], caps) });
  return cases;
}
