// Seeded inputs of the grouped FP8 GEMM, quantized as DeepSeek-V3 quantizes (1x128 activation
// scales, 128x128 weight scales per expert). Padding rows and rows past masked_m hold real-looking
// data too, so a kernel that computes and stores them is caught by the zero check.
import { createRng, type Rng } from '../../core/rng.ts';
import { quantizeBlocks, SCALE_BLOCK } from '../fp8/quantize.ts';
import type { Workload } from '../types.ts';
import { bufferBytes, groupLayout, type GroupedProblem } from './problem.ts';

function activations(rows: number, K: number, rng: Rng): Float32Array {
  const outlier = Float32Array.from({ length: K }, () => (rng.next() < 0.01 ? 20 : 1));
  const x = new Float32Array(rows * K);
  for (let m = 0; m < rows; m++) for (let k = 0; k < K; k++) x[m * K + k] = rng.normal() * outlier[k];
  return x;
}

function expertWeights(N: number, K: number, rng: Rng): Float32Array {
  const blocksK = K / SCALE_BLOCK;
  const blockScale = Float32Array.from({ length: Math.ceil(N / SCALE_BLOCK) * blocksK }, () => 2 ** (rng.int(9) - 4) * 0.02);
  const w = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) w[n * K + k] = rng.normal() * blockScale[Math.floor(n / SCALE_BLOCK) * blocksK + Math.floor(k / SCALE_BLOCK)];
  }
  return w;
}

export function groupedWorkload(problem: GroupedProblem, seed: number): Workload {
  const rng = createRng(seed);
  const layout = groupLayout(problem);
  const { G, N, K } = problem;
  const A = quantizeBlocks(activations(layout.rows, K, rng), layout.rows, K, 1);
  const packedB = new Uint32Array((G * N * K) / 4);
  const scalesB: Float32Array[] = [];
  for (let g = 0; g < G; g++) {
    const B = quantizeBlocks(expertWeights(N, K, rng), N, K, SCALE_BLOCK);
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
    meta: { routing: problem.routing, layout: problem.layout, rowsPerExpert: layout.counts },
  };
}
