// Verification of the grouped GEMM: every expert's valid rows against the fp8-gemm reference on
// that expert's slices (all of them for small problems, a seeded sample of rows otherwise), and
// every padding row / row past masked_m untouched (never written): as the harness left it before the
// run, 0 on WebGPU (outputs cleared) or NaN on CUDA (the runner fills outputs with all-ones bytes, so
// that an element nothing wrote fails elsewhere). Padding rows of A hold codes like the others, so a
// kernel that stores them writes finite non-zero values there and is caught.
import { createRng } from '../../core/rng.ts';
import type { Verification } from '../../core/results.ts';
import { compareElements } from '../../core/verify.ts';
import { gemmTolerance } from '../fp8-gemm/index.ts';
import { gemmReference } from '../fp8-gemm/reference.ts';
import type { HostArray, Workload } from '../types.ts';
import { groupLayout, kBlocks, nBlocks, type GroupedProblem } from './problem.ts';

/** Problems up to this many valid multiply-adds are checked whole. */
const FULL_CHECK_MACS = 2 ** 26;
const SAMPLED_ROWS_PER_EXPERT = 4;

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
  const c = outputs.c as Float32Array;
  // f32 products and sums, as fp8-gemm's f32 path.
  const tolerance = options.tolerance ?? { ofAbsSum: gemmTolerance(), ofValue: 0 };
  const whole = problem.G * problem.M * N * K <= FULL_CHECK_MACS;
  const rng = createRng(workload.seed ^ 0x5eed);
  const expected: number[] = [];
  const actual: number[] = [];
  const allowed: number[] = [];
  layout.counts.forEach((count, g) => {
    if (count === 0) return;
    const r0 = layout.offsets[g];
    const rows = whole ? Array.from({ length: count }, (_, r) => r) : [...new Set([0, count - 1, ...Array.from({ length: SAMPLED_ROWS_PER_EXPERT }, () => rng.int(count))])];
    const indices = rows.flatMap((r) => Array.from({ length: N }, (_, n) => r * N + n));
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
    indices.forEach((index, i) => {
      expected.push(ref.value[i]);
      actual.push(c[r0 * N + index]);
      allowed.push(ref.absSum[i] * tolerance.ofAbsSum + Math.abs(ref.value[i]) * tolerance.ofValue + 1e-30);
    });
  });
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
