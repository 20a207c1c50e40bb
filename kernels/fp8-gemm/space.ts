// The WGSL FP8 GEMM config space as data (STYLE.md, habit 1): candidate values per parameter and
// named constraints checked against the adapter's limits before anything is compiled.
import type { Capabilities } from '../../core/capabilities.ts';
import type { Constraint, Space } from '../types.ts';
import type { GemmProblem } from './problem.ts';

export type GemmConfig = {
  /** Workgroup tile: output rows and columns one workgroup computes. */
  readonly BM: number;
  readonly BN: number;
  /** Per-invocation tile (register blocking): outputs one invocation accumulates. */
  readonly TM: number;
  readonly TN: number;
  /** K step staged through workgroup memory per barrier pair; divides the 128-wide scale block. */
  readonly BK: number;
  /** u32 words per load: 1 (4 e4m3 values) or 4 (a vec4<u32>, 16 values). */
  readonly vec: number;
  /** Stage A/B tiles through workgroup memory, or read every operand from storage. */
  readonly stage: 'none' | 'workgroup';
  /** e4m3 decode by bit arithmetic or through a 256-entry table in workgroup memory. */
  readonly decode: 'bits' | 'table';
  /** Products in f32, or in f16 (exact for e4m3 products; partial sums of 4 to 16 rounded to f16). */
  readonly arith: 'f32' | 'f16';
  /** A deliberately broken variant, never in the space: used to prove verification catches it. */
  readonly fault?: 'skip-last-k-block';
};

const nextPow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

export function workgroupStorageBytes(c: GemmConfig): number {
  const staged = c.stage === 'workgroup' ? (c.BM + c.BN) * c.BK : 0; // BK e4m3 bytes per tile row
  const table = c.decode === 'table' ? 256 * 4 : 0;
  return staged + table;
}

export const invocations = (c: GemmConfig): number => (c.BM / c.TM) * (c.BN / c.TN);

export function gemmSpace(problem: GemmProblem, caps: Capabilities): Space<GemmConfig> {
  const constraints: Constraint<GemmConfig>[] = [
    {
      name: 'register-tile-divides-workgroup-tile',
      why: 'TM must divide BM and TN must divide BN',
      ok: (c) => c.BM % c.TM === 0 && c.BN % c.TN === 0,
    },
    {
      name: 'invocations-within-limit',
      why: `(BM/TM)*(BN/TN) invocations must not exceed the adapter's ${caps.maxInvocationsPerWorkgroup}`,
      ok: (c) =>
        invocations(c) <= caps.maxInvocationsPerWorkgroup &&
        c.BN / c.TN <= caps.maxWorkgroupSize[0] &&
        c.BM / c.TM <= caps.maxWorkgroupSize[1],
    },
    {
      name: 'at-least-one-subgroup',
      why: `a workgroup smaller than the adapter's smallest subgroup (${caps.subgroupMinSize ?? 4}) leaves lanes idle`,
      ok: (c) => invocations(c) >= (caps.subgroupMinSize ?? 4),
    },
    {
      name: 'register-tile-fits',
      why: 'TM*TN accumulators (twice: per block and total) must stay in registers: TM*TN <= 32',
      ok: (c) => c.TM * c.TN <= 32,
    },
    {
      name: 'workgroup-storage-within-limit',
      why: `staged tiles and the decode table must fit the adapter's ${caps.maxWorkgroupStorageBytes} bytes of workgroup storage`,
      ok: (c) => workgroupStorageBytes(c) <= caps.maxWorkgroupStorageBytes,
    },
    {
      name: 'tile-within-problem',
      why: 'a workgroup tile larger than the (power-of-two rounded) problem computes only padding',
      ok: (c) => c.BM <= Math.max(16, nextPow2(problem.M)) && c.BN <= Math.max(16, nextPow2(problem.N)),
    },
    {
      name: 'k-step-only-when-staged',
      why: 'without staging the K step changes nothing: keep BK=128 there',
      ok: (c) => c.stage === 'workgroup' || c.BK === 128,
    },
    {
      name: 'vector-divides-k-step',
      why: 'vec words per load must divide the BK/4 words of a K step',
      ok: (c) => (c.BK / 4) % c.vec === 0,
    },
    {
      name: 'f16-needs-shader-f16',
      why: 'f16 arithmetic needs the shader-f16 feature',
      ok: (c) => c.arith === 'f32' || caps.shaderF16,
    },
    {
      name: 'f16-decodes-by-bits',
      why: 'the f16 path decodes e4m3 straight into f16 bits; a table would add a conversion',
      ok: (c) => c.arith === 'f32' || c.decode === 'bits',
    },
  ];
  return {
    params: {
      BM: [16, 32, 64, 128],
      BN: [16, 32, 64, 128],
      TM: [1, 2, 4, 8],
      TN: [1, 2, 4, 8],
      BK: [32, 64, 128],
      vec: [1, 4],
      stage: ['none', 'workgroup'],
      decode: ['bits', 'table'],
      arith: ['f32', 'f16'],
    },
    constraints,
  };
}
