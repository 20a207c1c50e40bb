// Analytic time of the WGSL FP8 GEMM for one config, in ALU-operation units: waves of workgroup tiles
// over the adapter's concurrent workgroups, each tile the sum of its invocations' multiply-adds, e4m3
// decodes and loads (from storage, or staged through workgroup memory with a barrier pair per K step),
// divided over the lanes the invocations fill. Register tiling (TM x TN outputs per invocation) is
// what buys arithmetic intensity here: each loaded and decoded value feeds TN or TM products.
//
// WebGPU reports no count of compute units nor rates, so the model takes a CPU adapter (lavapipe:
// workgroups on threads, invocations across SIMD lanes) as 8 concurrent workgroups of 8 lanes and a
// GPU as 64 of 32; the per-operation costs below are relative (a multiply-add is 1). They were set
// from what each operation compiles to, then checked against the recorded lavapipe sweeps
// (model-error.ts reports the fit: rank correlation and error after scaling).
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CostEstimate, CostModel } from '../../types.ts';
import type { GemmProblem } from '../problem.ts';
import { invocations, type GemmConfig } from '../space.ts';

export const WGSL_COSTS = {
  /** e4m3 -> f32 by bit arithmetic: unpack, shift, mask, select for subnormals. */
  decodeBits: 4,
  /** A lookup in a workgroup-memory table: a gather, slow on SIMD lanes. */
  decodeTable: 12,
  /** A u32 load from storage; a vec4 load costs one and brings four words. */
  storageLoad: 4,
  /** A u32 load from workgroup memory. */
  workgroupLoad: 2,
  /** One barrier, per invocation. */
  barrier: 16,
  /** f16 products: packed but converted back to f32 for the sums. */
  f16Factor: 0.9,
} as const;

const device = (caps: Capabilities) => (caps.isCpu ? { workgroups: 8, lanes: 8 } : { workgroups: 64, lanes: 32 });

export function estimateWgslGemm(problem: GemmProblem, config: GemmConfig, caps: Capabilities): CostEstimate {
  const c = WGSL_COSTS;
  const { workgroups, lanes } = device(caps);
  const threads = invocations(config);
  const tiles = Math.ceil(problem.M / config.BM) * Math.ceil(problem.N / config.BN);
  const waves = Math.ceil(tiles / workgroups);
  const K = problem.K;
  // Per invocation, per K element: TM x TN products, TM + TN values decoded (each e4m3 once per use site).
  const macs = config.TM * config.TN * K * (config.arith === 'f16' ? c.f16Factor : 1);
  const decode = (config.TM + config.TN) * K * (config.decode === 'table' ? c.decodeTable : c.decodeBits);
  const words = ((config.TM + config.TN) * K) / 4;
  const loads = config.stage === 'workgroup'
    ? (words / config.vec) * c.workgroupLoad +
      // The tile's share of copying into workgroup memory, and a barrier pair per K step.
      (((config.BM + config.BN) * K) / 4 / config.vec / threads) * c.storageLoad + (2 * K / config.BK) * c.barrier
    : (words / config.vec) * c.storageLoad;
  const perInvocation = macs + decode + loads;
  // Invocations run lanes at a time: a workgroup that leaves lanes empty pays for them.
  const perTile = perInvocation * Math.ceil(threads / lanes);
  const time = waves * perTile;
  const bound = decode + loads > macs ? 'issue' : 'compute';
  return { time, bound, terms: { tiles, waves, threads, macs, decode, loads, perTile } };
}

export const wgslGemmModel: CostModel<GemmProblem, GemmConfig> = { estimate: estimateWgslGemm };
