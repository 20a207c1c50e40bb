// The candidates of one problem on one device: a short list of configs to measure when GPU time is
// short (at most CANDIDATE_BUDGET, the 64), generated from the problem and the device, not
// listed per size of M. Three steps:
// 1. tile-shapes.ts: every output tile the kernel can hold in registers for this problem, priced by
//    the analytic model (waves over the SM count, pipeline depth, L2 bytes per FLOP, the HBM floor);
// 2. the best-priced shapes, and the best shape of each kernel class the model prices within reach
//    of the best (the model is a ranking, not a measurement: a class it misjudges still gets measured);
// 3. variants.ts: each shape's main loops, epilogues, clusters and rasters in the order they led on
//    the H200, dealt round robin over the shapes (each shape's first variant before any shape's
//    second) until the budget is spent; every config with the deepest pipeline that fits, wide tiles
//    also one stage shorter (n=160: 4 over 5, n=192: 3 over 4 at M=4096 on the H200).
// The constraints (space.ts) have the last word on every config. At M <= 16 the GEMV kernel's
// candidates (gemv.ts: tensor-core MMAs over 16 token rows, split along K to fill the SMs) come first:
// there the weights' reading is the whole time, and the WGMMA tiles moved them at about a quarter of
// the HBM's rate (1.25 TB/s at M=1 on the H200).
import type { Capabilities } from '../../../core/capabilities.ts';
import type { GemmProblem } from '../problem.ts';
import type { CudaGemmConfig, HopperGemmConfig } from './config.ts';
import { gemvCandidates } from './gemv.ts';
import { cudaCaps, cudaGemmConstraints, sharedBytes } from './space.ts';
import { plainConfig, rankedShapes, type RankedShape, type TileClass } from './tile-shapes.ts';
import { shapeVariants, type Unstaged } from './variants.ts';

export type { Unstaged } from './variants.ts';

/** At most this many configs per problem: the budget of measured configs per tuned shape. */
export const CANDIDATE_BUDGET = 64;
/** Shapes taken from the top of the model's order, and how far behind the best a class's best may be priced and still be measured. */
const TOP_SHAPES = 6;
const CLASS_REACH = 1.6;
const MAX_STAGES = 10;

/** The deepest pipeline (at most MAX_STAGES) whose shared memory fits the device. */
export function deepestStages(config: Unstaged | HopperGemmConfig, caps: Capabilities): number {
  const limit = cudaCaps(caps).sharedPerBlockOptinBytes;
  let stages = 2;
  while (stages < MAX_STAGES && sharedBytes({ ...config, stages: stages + 1 } as HopperGemmConfig) <= limit) stages++;
  return stages;
}

/**
 * The shapes to measure, in order: the model's top few whole-tile shapes, then the best shape of
 * each class priced within reach of the best, then the rest in the model's order (they fill what the
 * budget leaves). The split tail is not among them (it stays in the default and full spaces): it
 * verified but lost every sweep it was in on the H200, at 0.40-1.00 of the best at M=64 and 128 (run
 * 29), and in all 16 sweeps of 2026-12-05 that had it (M from 1 to 1000, results/h200/fp8-gemm.json.br)
 * its best config was 1.29-3.57x slower than the best whole-tile config, while taking up to 11 of a
 * shape's 40 candidates. The model, which counts only its partial totals, prices it first.
 */
export function chosenShapes(problem: GemmProblem, caps: Capabilities): { chosen: RankedShape[]; rest: RankedShape[] } {
  const constraints = cudaGemmConstraints(problem, caps);
  const runnable = rankedShapes(problem, caps, (c) => deepestStages(c, caps)).filter((r) => {
    if (r.shape.splitTail) return false;
    const plain = plainConfig(r.shape, 2);
    return constraints.every((k) => k.ok({ ...plain, stages: deepestStages(plain, caps) }));
  });
  const chosen = runnable.slice(0, TOP_SHAPES);
  const best = Math.min(...runnable.map((r) => r.time));
  const classes = new Set<string>(chosen.map((r) => classOf(r)));
  for (const r of runnable) {
    if (r.time > best * CLASS_REACH) break;
    if (!classes.has(classOf(r))) {
      classes.add(classOf(r));
      chosen.push(r);
    }
  }
  return { chosen, rest: runnable.filter((r) => !chosen.includes(r)) };
}

const classOf = (r: RankedShape): `${TileClass}${'' | ' split'}` => `${r.shape.kind}${r.shape.splitTail ? ' split' : ''}`;

export function candidateConfigs(problem: GemmProblem, caps: Capabilities, out: HopperGemmConfig['out'] = 'bf16', budget = CANDIDATE_BUDGET): HopperGemmConfig[] {
  const constraints = cudaGemmConstraints(problem, caps);
  const { chosen, rest } = chosenShapes(problem, caps);
  const variantsOf = (r: RankedShape): HopperGemmConfig[] =>
    shapeVariants(r.shape, problem, caps, out).flatMap((variant) => {
      const stages = deepestStages(variant, caps);
      const deepest = { ...variant, stages } as HopperGemmConfig;
      return variant.blockN > 128 && stages > 3 ? [deepest, { ...variant, stages: stages - 1 } as HopperGemmConfig] : [deepest];
    }).filter((c) => constraints.every((k) => k.ok(c)));
  const configs: HopperGemmConfig[] = [];
  const seen = new Set<string>();
  const take = (config: HopperGemmConfig | undefined): void => {
    const key = JSON.stringify(config);
    if (config && configs.length < budget && !seen.has(key)) {
      seen.add(key);
      configs.push(config);
    }
  };
  // The chosen shapes' variants round robin; then the other shapes' first two, in the model's order.
  const lists = chosen.map(variantsOf);
  for (let i = 0; configs.length < budget && lists.some((list) => i < list.length); i++) lists.forEach((list) => take(list[i]));
  for (const r of rest) variantsOf(r).slice(0, 2).forEach(take);
  return configs;
}

/** The CUDA target's candidates: the GEMV kernel's where M is small enough for it, then the WGMMA configs up to the budget. */
export function cudaGemmCandidates(problem: GemmProblem, caps: Capabilities, out: HopperGemmConfig['out'] = 'bf16', budget = CANDIDATE_BUDGET): CudaGemmConfig[] {
  const gemv = gemvCandidates(problem, caps, out).slice(0, budget);
  return [...gemv, ...candidateConfigs(problem, caps, out, budget - gemv.length)];
}
