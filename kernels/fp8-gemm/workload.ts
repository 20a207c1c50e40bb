// Seeded inputs for the FP8 GEMM, quantized from real-valued data the way DeepSeek-V3 quantizes:
// activations with a few outlier channels (1x128 scales), weights with block-to-block magnitude
// spread (128x128 scales), so the scales matter and a kernel that drops one is caught.
import { createRng, type Rng } from '../../core/rng.ts';
import { quantizeBlocks, SCALE_BLOCK } from '../fp8/quantize.ts';
import type { Workload } from '../types.ts';
import { bufferBytes, type GemmProblem } from './problem.ts';
import { e4m3TableData } from './wgsl.ts';

function activations(M: number, K: number, rng: Rng): Float32Array {
  const outlier = Float32Array.from({ length: K }, () => (rng.next() < 0.01 ? 20 : 1));
  const x = new Float32Array(M * K);
  for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) x[m * K + k] = rng.normal() * outlier[k];
  return x;
}

function weights(N: number, K: number, rng: Rng): Float32Array {
  const blocksK = K / SCALE_BLOCK;
  const blockScale = Float32Array.from({ length: Math.ceil(N / SCALE_BLOCK) * blocksK }, () => 2 ** (rng.int(9) - 4) * 0.02);
  const w = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) w[n * K + k] = rng.normal() * blockScale[Math.floor(n / SCALE_BLOCK) * blocksK + Math.floor(k / SCALE_BLOCK)];
  }
  return w;
}

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
