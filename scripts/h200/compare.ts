// The bar of issue 4 as data: per shape the speed ratio of the best verified tilesweep config over
// cuBLASLt's block-scaled FP8 (time of cuBLASLt / time of ours, both measured in the same run), and
// the geometric means over all shapes and over the M=4096 shapes.
import type { Config } from '../../core/results.ts';
import type { GemmProblem } from '../../kernels/fp8-gemm/problem.ts';

export interface Comparison {
  problem: GemmProblem;
  bestMs?: number;
  bestConfig?: Config;
  cublasLtMs?: number;
  cublasBf16Ms?: number;
}

export interface BarSummary {
  shapes: number;
  compared: number;
  geomeanVsCublasLt?: number;
  geomeanVsCublasLtM4096?: number;
  ratios: { M: number; N: number; K: number; vsCublasLt?: number; vsCublasBf16?: number }[];
  /** The bar: >= 1.0 over all 18 shapes and >= 1.15 over the M=4096 ones. */
  meetsBar: boolean;
}

const geomean = (xs: number[]): number | undefined => (xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length) : undefined);

export function compareWithPeers(comparisons: readonly Comparison[]): BarSummary {
  const ratios = comparisons.map(({ problem, bestMs, cublasLtMs, cublasBf16Ms }) => ({
    ...problem,
    vsCublasLt: bestMs && cublasLtMs ? cublasLtMs / bestMs : undefined,
    vsCublasBf16: bestMs && cublasBf16Ms ? cublasBf16Ms / bestMs : undefined,
  }));
  const all = ratios.flatMap((r) => (r.vsCublasLt ? [r.vsCublasLt] : []));
  const large = ratios.filter((r) => r.M === 4096).flatMap((r) => (r.vsCublasLt ? [r.vsCublasLt] : []));
  const geomeanVsCublasLt = geomean(all);
  const geomeanVsCublasLtM4096 = geomean(large);
  return {
    shapes: comparisons.length,
    compared: all.length,
    geomeanVsCublasLt,
    geomeanVsCublasLtM4096,
    ratios,
    meetsBar: all.length === 18 && (geomeanVsCublasLt ?? 0) >= 1 && large.length === 6 && (geomeanVsCublasLtM4096 ?? 0) >= 1.15,
  };
}
