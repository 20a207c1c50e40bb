// The bar of issue 4 as data: per shape the speed ratio of the best verified tilesweep config over
// cuBLASLt's block-scaled FP8 (time of cuBLASLt / time of ours, both measured in the same run), and
// the geometric means over all shapes and over the M=4096 shapes. A peer measured more than once in
// the run (before and after our sweep) counts at its fastest, and the spread between its measurements
// is reported beside the ratio. Where cuBLASLt was also timed by our runner in rounds alternating with
// our best (sweep --interleave), the ratio of the rounds' medians is kept per shape; with every shape
// so measured, the bar is judged on those (both sides in the same power state: results/h200/NOTES.md).
import type { Config, ResultRow } from '../../core/results.ts';
import type { EnergyMeasurement } from '../../harness/cuda/energy.ts';
import type { GemmProblem } from '../../kernels/fp8-gemm/problem.ts';

/** Alternating rounds on the same buffers (scripts/h200/interleave.ts): each round's median, ours then cuBLASLt's. */
export interface Interleaved {
  oursMs: number[];
  cublasLtMs: number[];
  /** Energy per launch in alternating rounds after the timed ones (sweep --energy-ms). */
  energy?: { ours: EnergyMeasurement[]; cublasLt: EnergyMeasurement[] };
  /** Why the energy rounds were not measured. */
  energyError?: string;
}

export interface Comparison {
  problem: GemmProblem;
  bestMs?: number;
  bestConfig?: Config;
  cublasLtMs?: number;
  cublasBf16Ms?: number;
  /** Slowest over fastest verified cuBLASLt median of this shape, when it was measured more than once. */
  cublasLtSpread?: number;
  interleaved?: Interleaved;
}

export interface BarSummary {
  shapes: number;
  compared: number;
  geomeanVsCublasLt?: number;
  geomeanVsCublasLtM4096?: number;
  ratios: { M: number; N: number; K: number; vsCublasLt?: number; vsCublasBf16?: number; cublasLtSpread?: number; interleaved?: number; joulesVsCublasLt?: number }[];
  /** Geometric means of the interleaved ratios (median of cuBLASLt's rounds over the median of ours), where measured. */
  geomeanInterleaved?: number;
  geomeanInterleavedM4096?: number;
  /**
   * Geometric means of cuBLASLt's joules per launch over ours (median of each side's energy rounds),
   * where measured: above 1, ours spends less energy on the same GEMM.
   */
  geomeanJoulesVsCublasLt?: number;
  geomeanJoulesVsCublasLtM4096?: number;
  /**
   * The bar: >= 1.0 over all 18 shapes and >= 1.15 over the M=4096 ones, judged on the
   * interleaved ratios when every shape has one (both sides in the same power state), else on the
   * ratios against cuBLASLt's fastest measurement.
   */
  meetsBar: boolean;
  judgedOn: 'interleaved' | 'fastest-peer';
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const medianJoules = (xs: readonly EnergyMeasurement[]): number => median(xs.map((e) => e.joulesPerLaunch));
const geomean = (xs: number[]): number | undefined => (xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length) : undefined);

const judge = (all: number[], large: number[]): { meetsBar: boolean } => ({
  meetsBar: all.length === 18 && (geomean(all) ?? 0) >= 1 && large.length === 6 && (geomean(large) ?? 0) >= 1.15,
});

export function compareWithPeers(comparisons: readonly Comparison[]): BarSummary {
  const ratios = comparisons.map(({ problem, bestMs, cublasLtMs, cublasBf16Ms, cublasLtSpread, interleaved }) => ({
    ...problem,
    vsCublasLt: bestMs && cublasLtMs ? cublasLtMs / bestMs : undefined,
    vsCublasBf16: bestMs && cublasBf16Ms ? cublasBf16Ms / bestMs : undefined,
    ...(cublasLtSpread ? { cublasLtSpread } : {}),
    ...(interleaved?.oursMs.length ? { interleaved: median(interleaved.cublasLtMs) / median(interleaved.oursMs) } : {}),
    ...(interleaved?.energy?.ours.length && interleaved.energy.cublasLt.length ? { joulesVsCublasLt: medianJoules(interleaved.energy.cublasLt) / medianJoules(interleaved.energy.ours) } : {}),
  }));
  const joules = ratios.flatMap((r) => (r.joulesVsCublasLt ? [r.joulesVsCublasLt] : []));
  const joulesLarge = ratios.filter((r) => r.M === 4096).flatMap((r) => (r.joulesVsCublasLt ? [r.joulesVsCublasLt] : []));
  const paired = ratios.flatMap((r) => (r.interleaved ? [r.interleaved] : []));
  const pairedLarge = ratios.filter((r) => r.M === 4096).flatMap((r) => (r.interleaved ? [r.interleaved] : []));
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
    ...(paired.length ? { geomeanInterleaved: geomean(paired) } : {}),
    ...(pairedLarge.length ? { geomeanInterleavedM4096: geomean(pairedLarge) } : {}),
    ...(joules.length ? { geomeanJoulesVsCublasLt: geomean(joules) } : {}),
    ...(joulesLarge.length ? { geomeanJoulesVsCublasLtM4096: geomean(joulesLarge) } : {}),
    ...judge(paired.length === ratios.length ? paired : all, paired.length === ratios.length ? pairedLarge : large),
    judgedOn: paired.length === ratios.length && paired.length > 0 ? 'interleaved' : 'fastest-peer',
  };
}

const sameShape = (a: GemmProblem, b: Readonly<Record<string, number | string>>): boolean => a.M === b.M && a.N === b.N && a.K === b.K;

/** The verified rows of one peer library for one shape, over every measurement given. */
export function peerRows(rows: readonly ResultRow[], problem: GemmProblem, library: string): ResultRow[] {
  return rows.filter((r) => r.role === 'peer' && r.status === 'ok' && r.config.library === library && r.medianMs !== undefined && sameShape(problem, r.problem));
}

/** The peer's fastest verified median for the shape (undefined when it was never measured). */
export function fastestPeerMs(rows: readonly ResultRow[], problem: GemmProblem, library: string): number | undefined {
  const times = peerRows(rows, problem, library).map((r) => r.medianMs!);
  return times.length ? Math.min(...times) : undefined;
}

/** Each comparison with its peers taken at their fastest over all the given peer rows. */
export function againstFastestPeers(comparisons: readonly Comparison[], peers: readonly ResultRow[]): Comparison[] {
  return comparisons.map((c) => {
    const lt = peerRows(peers, c.problem, 'cuBLASLt').map((r) => r.medianMs!);
    const { cublasLtSpread: _old, ...rest } = c;
    return {
      ...rest,
      cublasLtMs: fastestPeerMs(peers, c.problem, 'cuBLASLt'),
      cublasBf16Ms: fastestPeerMs(peers, c.problem, 'cuBLAS'),
      ...(lt.length > 1 ? { cublasLtSpread: Math.max(...lt) / Math.min(...lt) } : {}),
    };
  });
}
