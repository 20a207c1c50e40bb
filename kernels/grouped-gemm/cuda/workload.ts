// Inputs of the CUDA grouped GEMM at GPU sizes (up to a GB of e4m3 per problem), built as the FP8
// GEMM's CUDA inputs are (fp8-gemm/cuda/workload.ts: codes from a table of quantized normals, scales
// as DeepSeek-V3's activations and weights have them), in the family's buffers and layout: A's rows
// sorted by expert (contiguous, padded) or [G][M_max] (masked), B [G][N][K], scaleB [G][N/128][K/128],
// rowInfo as the family has it (per-row expert with -1 on padding, or masked_m), and `counts`, the rows
// per group, from which the kernel builds its schedule on the device. Padding rows hold codes and
// scales like the others, so a kernel that stores them is caught by the zero check.
import { drawFp8Operands } from '../../fp8-gemm/cuda/workload.ts';
import type { Workload } from '../../types.ts';
import { bufferBytes, groupLayout, kBlocks, nBlocks, type GroupedProblem } from '../problem.ts';

/** The per-row expert index of the contiguous layout (-1 on padding rows), or masked_m. */
export function rowInfo(problem: GroupedProblem): Int32Array {
  const layout = groupLayout(problem);
  if (problem.layout === 'masked') return Int32Array.from(layout.counts);
  const index = new Int32Array(layout.rows).fill(-1);
  layout.counts.forEach((count, g) => index.fill(g, layout.offsets[g], layout.offsets[g] + count));
  return index;
}

export function fastGroupedWorkload(problem: GroupedProblem, seed: number): Workload {
  const layout = groupLayout(problem);
  const bytes = bufferBytes(problem, layout);
  const { a, b, scaleA, scaleB } = drawFp8Operands(
    { aBytes: bytes.a, bBytes: bytes.b, scaleARows: layout.rows, scaleBBlocks: problem.G * nBlocks(problem), kBlocks: kBlocks(problem) },
    seed,
  );
  const counts = Int32Array.from(layout.counts);
  return {
    seed,
    buffers: {
      a: { role: 'input', bytes: bytes.a, data: a },
      b: { role: 'input', bytes: bytes.b, data: b },
      scaleA: { role: 'input', bytes: bytes.scaleA, data: scaleA },
      scaleB: { role: 'input', bytes: bytes.scaleB, data: scaleB },
      c: { role: 'output', bytes: bytes.c },
      rowInfo: { role: 'input', bytes: bytes.rowInfo, data: rowInfo(problem) },
      counts: { role: 'input', bytes: 4 * problem.G, data: counts },
    },
    meta: {
      generator: 'grouped-gemm/cuda fastGroupedWorkload: e4m3 codes from a quantized-normal table',
      routing: problem.routing,
      ...(problem.route ? { route: `top-${problem.route.topK} of ${problem.route.experts} experts, experts 0..${problem.G - 1} here` } : {}),
      layout: problem.layout,
      rowsPerExpert: layout.counts,
    },
  };
}
