// Seeded inputs of the grouped FP8 GEMM, quantized as DeepSeek-V3 quantizes (1x128 activation
// scales, 128x128 weight scales per expert). Padding rows and rows past masked_m hold real-looking
// data too, so a kernel that computes and stores them is caught by the zero check.
import { createRng } from '../../core/rng.ts';
import { quantizeBlocks, SCALE_BLOCK } from '../fp8/quantize.ts';
import { activations, weights } from '../fp8/synthetic.ts';
import type { Workload } from '../types.ts';
import { bufferBytes, groupLayout, type GroupedProblem } from './problem.ts';

export function groupedWorkload(problem: GroupedProblem, seed: number): Workload {
  const rng = createRng(seed);
  const layout = groupLayout(problem);
  const { G, N, K } = problem;
  const A = quantizeBlocks(activations(layout.rows, K, rng), layout.rows, K, 1);
  const packedB = new Uint32Array((G * N * K) / 4);
  const scalesB: Float32Array[] = [];
  for (let g = 0; g < G; g++) {
    const B = quantizeBlocks(weights(N, K, rng), N, K, SCALE_BLOCK);
    packedB.set(B.packed, (g * N * K) / 4);
    scalesB.push(B.scales);
  }
  const scaleB = new Float32Array(scalesB.reduce((a, s) => a + s.length, 0));
  scalesB.forEach((s, g) => scaleB.set(s, g * s.length));
  const rowInfo =
    problem.layout === 'masked'
      ? Int32Array.from(layout.counts)
      : (() => {
          const index = new Int32Array(layout.rows).fill(-1);
          layout.counts.forEach((count, g) => index.fill(g, layout.offsets[g], layout.offsets[g] + count));
          return index;
        })();
  const bytes = bufferBytes(problem, layout);
  return {
    seed,
    buffers: {
      a: { role: 'input', bytes: bytes.a, data: A.packed },
      b: { role: 'input', bytes: bytes.b, data: packedB },
      scaleA: { role: 'input', bytes: bytes.scaleA, data: A.scales },
      scaleB: { role: 'input', bytes: bytes.scaleB, data: scaleB },
      c: { role: 'output', bytes: bytes.c },
      rowInfo: { role: 'input', bytes: bytes.rowInfo, data: rowInfo },
    },
    meta: {
      routing: problem.routing,
      ...(problem.route ? { route: `top-${problem.route.topK} of ${problem.route.experts} experts, experts 0..${problem.G - 1} here` } : {}),
      layout: problem.layout,
      rowsPerExpert: layout.counts,
    },
  };
}
