// Analytic time of the WGSL FP8 GEMM for one config: what one workgroup tile does, counted from the
// template (kernels/fp8-gemm/wgsl.ts) and priced by the adapter's list (kernels/wgsl-cost.ts), then
// the tiles spread over the workgroups that run at once.
//
// Per 4-value K word an invocation loads TM + TN words of A and B, decodes them, and takes TM x TN
// dot products of four. On a CPU adapter every load by invocation is a scalar loop over the lanes,
// an order of magnitude dearer than a vector multiply-add, so the register tile (TM x TN outputs
// per TM + TN loads) is what buys speed; staging through workgroup memory only adds a copy and two
// barriers a K step (workgroup memory is the same memory, no cheaper to read), and a decode table
// is four gathers a word where bit arithmetic is vector instructions. With a barrier in the kernel
// the accumulators live in the coroutine frame: each update goes out to memory and back.
import type { Capabilities } from '../../../core/capabilities.ts';
import { wgslPrices, workgroupCost, type WorkgroupWork } from '../../wgsl-cost.ts';
import { makespan } from '../../makespan.ts';
import type { CostEstimate, CostModel } from '../../types.ts';
import type { GemmProblem } from '../problem.ts';
import { invocations, type GemmConfig } from '../space.ts';

/** Vector instructions of the template's parts, per vector of invocations (each counted in its WGSL). */
export const WGSL_GEMM_OPS = {
  /** e4m3 -> f32 of one word (four codes, a vec4 of components): ~15 operations per component (fp8/wgsl.ts). */
  decodeBits: 60,
  /** e4m3 -> f16 of one word: 22 integer operations on one component, and the four halves widened to f32 registers. */
  decodeBitsF16: 26,
  /** A table decode: the four byte indices; the four lookups are workgroup-memory accesses. */
  decodeTableIndex: 7,
  /** One dot product of four in f32 and its accumulation: four products, four adds. */
  dotF32: 8,
  /**
   * In f16 on a CPU without f16 arithmetic (AVX2 and F16C): each of the seven operations computed in f32
   * and rounded to f16 by a conversion pair (21), then widened and accumulated.
   */
  dotF16: 23,
  /** An accumulator kept in the coroutine frame (a barrier in the kernel): out to memory and back. */
  framed: 2,
  /** Promotion of one output per K block: two scale products and the add. */
  promote: 3,
} as const;

/** The tile parts of a GEMM config both WGSL GEMM templates share (grouped-gemm has no vec, decode or arith choice). */
export type WgslGemmTile = Pick<GemmConfig, 'BM' | 'BN' | 'TM' | 'TN' | 'BK' | 'stage'> & Partial<Pick<GemmConfig, 'vec' | 'decode' | 'arith'>>;

/** What one workgroup of a BM x BN tile does over K, its vector instructions counted for vectors of `lanes`. */
export function gemmTileWork(K: number, c: WgslGemmTile, lanes: number): WorkgroupWork {
  const o = WGSL_GEMM_OPS;
  const vec = c.vec ?? 1;
  const threads = (c.BM / c.TM) * (c.BN / c.TN);
  const words = Math.ceil(K / 4);
  const kBlocks = Math.ceil(K / 128);
  const staged = c.stage === 'workgroup';
  const table = c.decode === 'table';
  const f16 = c.arith === 'f16';
  // Per invocation over K: operand loads, each `vec` words.
  const loads = ((c.TM + c.TN) * words) / vec;
  const operands = { accesses: threads * loads, components: threads * loads * vec };
  // Staged: the tile's rows copied in by all invocations, a barrier before and after each K step.
  const copies = ((c.BM + c.BN) * words) / vec;
  const barriers = (staged ? 2 * Math.ceil(K / c.BK) : 0) + (table ? 1 : 0);
  // Table: four lookups a word, and the 256 entries copied in first.
  const lookups = table ? threads * (c.TM + c.TN) * words * 4 + 256 : 0;
  const decodeOps = (c.TM + c.TN) * words * (table ? o.decodeTableIndex : f16 ? o.decodeBitsF16 : o.decodeBits);
  const dotOps = c.TM * c.TN * words * ((f16 ? o.dotF16 : o.dotF32) + (barriers > 0 ? o.framed : 0));
  const promoteOps = c.TM * c.TN * kBlocks * o.promote;
  // Scales per K block (TM of A, TM x TN of B) and the TM x TN stores of the outputs.
  const scalars = threads * (kBlocks * (c.TM + c.TM * c.TN) + c.TM * c.TN);
  return {
    invocations: threads,
    vectorOps: (decodeOps + dotOps + promoteOps) * Math.ceil(threads / lanes),
    storage: {
      accesses: (staged ? copies : operands.accesses) + scalars,
      components: (staged ? copies * vec : operands.components) + scalars,
    },
    workgroup: {
      accesses: (staged ? operands.accesses + copies : 0) + lookups,
      components: (staged ? operands.components + copies * vec : 0) + lookups,
    },
    barriers,
  };
}

export function estimateWgslGemm(problem: GemmProblem, config: GemmConfig, caps: Capabilities): CostEstimate {
  const prices = wgslPrices(caps);
  const tiles = Math.ceil(problem.M / config.BM) * Math.ceil(problem.N / config.BN);
  const work = gemmTileWork(problem.K, config, prices.lanes);
  const perTile = workgroupCost(work, prices);
  const time = makespan([perTile], prices.concurrent, tiles);
  const memory = workgroupCost({ ...work, vectorOps: 0, barriers: 0 }, { ...prices, entry: 0, launch: 0 });
  return {
    time,
    bound: memory > work.vectorOps ? 'issue' : 'compute',
    terms: { tiles, waves: Math.ceil(tiles / prices.concurrent), threads: invocations(config), vectorOps: work.vectorOps, memory, barriers: work.barriers, perTile },
  };
}

export const wgslGemmModel: CostModel<GemmProblem, GemmConfig> = { estimate: estimateWgslGemm };
