// The grouped FP8 GEMM config space: workgroup and register tiles, the K step and staging, as data
// with named constraints against the adapter and the layout (a tile never spans two experts).
import type { Capabilities } from '../../core/capabilities.ts';
import type { Constraint, Space } from '../types.ts';
import type { GroupedProblem } from './problem.ts';

export interface GroupedConfig {
  readonly BM: number;
  readonly BN: number;
  readonly TM: number;
  readonly TN: number;
  /** K step per staging round; divides the 128-wide scale block. */
  readonly BK: number;
  readonly stage: 'none' | 'workgroup';
  /** A deliberately broken variant, never in the space: the last 128-wide K block is skipped. */
  readonly fault?: 'skip-last-k-block';
}

const nextPow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));
export const invocations = (c: GroupedConfig): number => (c.BM / c.TM) * (c.BN / c.TN);
export const workgroupStorageBytes = (c: GroupedConfig): number => (c.stage === 'workgroup' ? (c.BM + c.BN) * c.BK : 0);

export function groupedSpace(problem: GroupedProblem, caps: Capabilities): Space<GroupedConfig> {
  const constraints: Constraint<GroupedConfig>[] = [
    { name: 'register-tile-divides-workgroup-tile', why: 'TM must divide BM and TN must divide BN', ok: (c) => c.BM % c.TM === 0 && c.BN % c.TN === 0 },
    {
      name: 'tile-within-one-expert',
      why: `a row tile must not span two experts: BM must divide the ${problem.align}-row alignment`,
      ok: (c) => problem.align % c.BM === 0,
    },
    {
      name: 'invocations-within-limit',
      why: `(BM/TM)*(BN/TN) invocations must not exceed the adapter's ${caps.maxInvocationsPerWorkgroup}`,
      ok: (c) => invocations(c) <= caps.maxInvocationsPerWorkgroup && c.BN / c.TN <= caps.maxWorkgroupSize[0] && c.BM / c.TM <= caps.maxWorkgroupSize[1],
    },
    { name: 'at-least-a-subgroup', why: `at least ${caps.subgroupMinSize ?? 4} invocations`, ok: (c) => invocations(c) >= (caps.subgroupMinSize ?? 4) },
    { name: 'register-tile-fits', why: 'TM*TN <= 16 accumulators (twice: per block and total)', ok: (c) => c.TM * c.TN <= 16 },
    {
      name: 'workgroup-storage-within-limit',
      why: `staged tiles must fit the adapter's ${caps.maxWorkgroupStorageBytes} bytes of workgroup storage`,
      ok: (c) => workgroupStorageBytes(c) <= caps.maxWorkgroupStorageBytes,
    },
    { name: 'tile-within-problem', why: 'a column tile wider than the (power-of-two rounded) N computes only padding', ok: (c) => c.BN <= Math.max(16, nextPow2(problem.N)) },
    { name: 'k-step-only-when-staged', why: 'without staging the K step changes nothing: keep BK=128 there', ok: (c) => c.stage === 'workgroup' || c.BK === 128 },
  ];
  return {
    params: { BM: [16, 32, 64], BN: [16, 32, 64, 128], TM: [1, 2, 4], TN: [1, 2, 4], BK: [32, 128], stage: ['none', 'workgroup'] },
    constraints,
  };
}
