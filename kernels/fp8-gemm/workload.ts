// Seeded inputs for the FP8 GEMM, quantized from real-valued data the way DeepSeek-V3 quantizes:
// activations with a few outlier channels (1x128 scales), weights with block-to-block magnitude
// spread (128x128 scales), so the scales matter and a kernel that drops one is caught.
import { createRng } from '../../core/rng.ts';
import { quantizeBlocks, SCALE_BLOCK } from '../fp8/quantize.ts';
import { activations, weights } from '../fp8/synthetic.ts';
import type { Workload } from '../types.ts';
import { bufferBytes, type GemmProblem } from './problem.ts';
import { e4m3TableData } from './wgsl.ts';

export function gemmWorkload(problem: GemmProblem, seed: number): Workload {
  const rng = createRng(seed);
  const A = quantizeBlocks(activations(problem.M, problem.K, rng), problem.M, problem.K, 1);
  const B = quantizeBlocks(weights(problem.N, problem.K, rng), problem.N, problem.K, SCALE_BLOCK);
  const bytes = bufferBytes(problem);
  return {
    seed,
    buffers: {
      a: { role: 'input', bytes: bytes.a, data: A.packed },
      b: { role: 'input', bytes: bytes.b, data: B.packed },
      scaleA: { role: 'input', bytes: bytes.scaleA, data: A.scales },
      scaleB: { role: 'input', bytes: bytes.scaleB, data: B.scales },
      c: { role: 'output', bytes: bytes.c },
      e4m3Table: { role: 'input', bytes: 1024, data: e4m3TableData() },
    },
  };
}
