// Verification of the grouped GEMM: every expert's valid rows against the fp8-gemm reference on
// that expert's slices (all of them for small problems; otherwise a seeded sample of each expert's
// elements, every N tile of its first and last rows among them, computed once per workload), and
// every padding row / row past masked_m untouched (never written): as the harness left it before the
// run, 0 on WebGPU (outputs cleared) or NaN on CUDA (the runner fills outputs with all-ones bytes, so
// that an element nothing wrote fails elsewhere). Padding rows of A hold codes like the others, so a
// kernel that stores them writes finite non-zero values there and is caught.
import { createRng, type Rng } from '../../core/rng.ts';
import type { Verification } from '../../core/results.ts';
import { compareElements } from '../../core/verify.ts';
import { gemmTolerance } from '../fp8-gemm/index.ts';
import { gemmReference } from '../fp8-gemm/reference.ts';
import type { HostArray, Workload } from '../types.ts';
import { groupLayout, kBlocks, nBlocks, type GroupedProblem } from './problem.ts';

/** Problems up to this many valid multiply-adds are checked whole. */
const FULL_CHECK_MACS = 2 ** 26;
/** Larger ones: about this many multiply-adds of reference in all, shared among the experts with rows. */
const SAMPLED_MACS = 2 ** 28;
/** At least this many random elements an expert beyond its first and last rows' samples. */
const MIN_RANDOM_PER_EXPERT = 64;

interface ExpertReference {
  readonly g: number;
  /** Flat indices into the expert's rows x N slice of the output. */
  readonly indices: readonly number[];
  readonly value: Float64Array;
  readonly absSum: Float64Array;
}

/** The reference of a workload, once: every config of a sweep is checked against the same elements. */
const references = new WeakMap<Workload, readonly ExpertReference[]>();

/**
 * An expert's sampled elements in a problem too large to check whole: its first and last rows at a
 * random column of every 128-wide N block and at the last column (so every N tile and both M edges
 * are covered), then random elements anywhere in its rows, up to `budget` in all.
 */
export function expertSample(count: number, N: number, budget: number, rng: Rng): number[] {
  const seen = new Set<number>();
  for (const r of new Set([0, count - 1])) {
    for (let n0 = 0; n0 < N; n0 += 128) seen.add(r * N + n0 + rng.int(Math.min(128, N - n0)));
    seen.add(r * N + N - 1);
  }
  const random = Math.max(MIN_RANDOM_PER_EXPERT, budget - seen.size);
  for (let i = 0; i < random; i++) seen.add(rng.int(count) * N + rng.int(N));
  return [...seen].sort((x, y) => x - y);
}

function referenceOf(problem: GroupedProblem, workload: Workload): readonly ExpertReference[] {
  const cached = references.get(workload);
  if (cached) return cached;
  const { N, K } = problem;
  const layout = groupLayout(problem);
  const KB = kBlocks(problem);
  const NB = nBlocks(problem);
  const words = K / 4;
  const buf = workload.buffers;
  const a = buf.a.data as Uint32Array;
  const b = buf.b.data as Uint32Array;
  const scaleA = buf.scaleA.data as Float32Array;
  const scaleB = buf.scaleB.data as Float32Array;
  const valid = layout.counts.reduce((x, c) => x + c, 0);
  const whole = valid * N * K <= FULL_CHECK_MACS;
  const experts = layout.counts.filter((c) => c > 0).length;
  const budget = Math.floor(SAMPLED_MACS / (K * Math.max(1, experts)));
  const rng = createRng(workload.seed ^ 0x5eed);
  const out: ExpertReference[] = [];
  layout.counts.forEach((count, g) => {
    if (count === 0) return;
    const r0 = layout.offsets[g];
    const indices = whole ? Array.from({ length: count * N }, (_, i) => i) : expertSample(count, N, budget, rng);
    const ref = gemmReference(
      { M: count, N, K },
      {
        a: a.subarray(r0 * words, (r0 + count) * words),
        b: b.subarray(g * N * words, (g + 1) * N * words),
        scaleA: scaleA.subarray(r0 * KB, (r0 + count) * KB),
        scaleB: scaleB.subarray(g * NB * KB, (g + 1) * NB * KB),
      },
      indices,
    );
    out.push({ g, indices, value: ref.value, absSum: ref.absSum });
  });
  references.set(workload, out);
  return out;
}

export interface GroupedVerifyOptions {
  /** Allowed error: of sum(|a*b|*scales) and of |value| (a bf16 output's rounding); default the f32 path's. */
  readonly tolerance?: { readonly ofAbsSum: number; readonly ofValue: number };
  /**
   * 'zero' (ours): rows no expert owns must read back as the harness left them (0, or NaN from the
   * CUDA runner's fill), never a stored value. 'unchecked': libraries whose contract leaves
   * them undefined (DeepGEMM, torch compute whole padded tiles); only valid rows are compared.
   */
  readonly padding?: 'zero' | 'unchecked';
}

export function verifyGrouped(problem: GroupedProblem, workload: Workload, outputs: Readonly<Record<string, HostArray>>, options: GroupedVerifyOptions = {}): Verification {
  const { N } = problem;
  const layout = groupLayout(problem);
  const c = outputs.c as Float32Array;
  // f32 products and sums, as fp8-gemm's f32 path.
  const tolerance = options.tolerance ?? { ofAbsSum: gemmTolerance(), ofValue: 0 };
  const expected: number[] = [];
  const actual: number[] = [];
  const allowed: number[] = [];
  for (const { g, indices, value, absSum } of referenceOf(problem, workload)) {
    const r0 = layout.offsets[g];
    indices.forEach((index, i) => {
      expected.push(value[i]);
      actual.push(c[r0 * N + index]);
      allowed.push(absSum[i] * tolerance.ofAbsSum + Math.abs(value[i]) * tolerance.ofValue + 1e-30);
    });
  }
  // Rows no expert owns must read back untouched (0 cleared, or NaN filled: nothing stored there).
  let untouchedFailures = 0;
  let untouchedChecked = 0;
  layout.counts.forEach((count, g) => {
    if (options.padding === 'unchecked') return;
    const end = problem.layout === 'masked' ? layout.mMax : (layout.offsets[g + 1] ?? layout.rows) - layout.offsets[g];
    for (let r = count; r < end; r++) {
      for (let n = 0; n < N; n++) {
        untouchedChecked++;
        const v = c[(layout.offsets[g] + r) * N + n];
        if (v !== 0 && !Number.isNaN(v)) untouchedFailures++;
      }
    }
  });
  const result = compareElements({ expected, actual, allowed, total: layout.rows * N });
  const failures = (result.failures ?? 0) + untouchedFailures;
  return { ...result, ok: result.ok && untouchedFailures === 0, failures, checked: (result.checked ?? 0) + untouchedChecked };
}
