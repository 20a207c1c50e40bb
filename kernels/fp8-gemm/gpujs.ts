// fp8-gemm as a plain gpu.js kernel: what a JavaScript developer writes without templates or
// tuning. gpu.js has no 8-bit types, so e4m3 codes are decoded to f32 on the host (through the
// exact codec table) and the kernel is the textbook triple loop with per-128 block scales.
import { E4M3_TABLE } from '../fp8/e4m3.ts';
import { SCALE_BLOCK, scaleBlocks } from '../fp8/quantize.ts';
import type { GemmProblem } from './problem.ts';
import type { HostArray, Workload } from '../types.ts';
import type { GpuJsBaseline, GpuJsContext } from '../gpujs.ts';

interface GemmThis {
  thread: { x: number; y: number };
  constants: { K: number; KB: number };
}

/**
 * `rows` x K codes decoded into rows of `width` values (K rounded up to whole 128-wide blocks), the
 * columns past K zero: a partial last block then adds only the columns that exist.
 */
function decode(packed: Uint32Array, rows: number, K: number, width: number): Float32Array {
  const bytes = new Uint8Array(packed.buffer, packed.byteOffset, rows * K);
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) out[r * width + k] = E4M3_TABLE[bytes[r * K + k]];
  return out;
}

export function fp8GemmBaseline(runtime: GpuJsContext, problem: GemmProblem, workload: Workload): GpuJsBaseline {
  const { M, N, K } = problem;
  const KB = scaleBlocks(K);
  const width = KB * SCALE_BLOCK;
  const a = decode(workload.buffers.a.data as Uint32Array, M, K, width);
  const b = decode(workload.buffers.b.data as Uint32Array, N, K, width);
  const scaleA = workload.buffers.scaleA.data as Float32Array;
  const scaleB = workload.buffers.scaleB.data as Float32Array;
  const kernel = runtime.gpu.createKernel(
    function (this: GemmThis, a: number[], b: number[], sa: number[], sb: number[]) {
      const m = this.thread.y;
      const n = this.thread.x;
      let total = 0;
      for (let kb = 0; kb < this.constants.KB; kb++) {
        let sum = 0;
        for (let k = 0; k < 128; k++) {
          sum += a[m * this.constants.K + kb * 128 + k] * b[n * this.constants.K + kb * 128 + k];
        }
        total += sum * sa[m * this.constants.KB + kb] * sb[Math.floor(n / 128) * this.constants.KB + kb];
      }
      return total;
    },
    { output: [N, M], constants: { K: width, KB } },
  );
  return {
    run: async (): Promise<Record<string, HostArray>> => {
      const rows = await runtime.call<ArrayLike<number>[]>(kernel, a, b, scaleA, scaleB);
      const c = new Float32Array(M * N);
      for (let m = 0; m < M; m++) c.set(rows[m], m * N);
      return { c };
    },
  };
}
