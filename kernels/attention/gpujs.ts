// Paged decode attention (mla-decode, mha-decode) as plain gpu.js kernels: scores of every (query
// row, token), then each output dim re-reads its row's scores for the softmax, then the
// log-sum-exp. No splits, no tiles, no staging: the block table is followed token by token, as a
// JavaScript developer would write it. MLA passes its latent cache as both keys and values.
import { PAGE_SIZE, queryRows, type AttentionShape } from './shape.ts';
import { hostValues } from './workload.ts';
import type { HostArray, Workload } from '../types.ts';
import type { GpuJsBaseline, GpuJsContext } from '../gpujs.ts';

interface DecodeThis {
  thread: { x: number; y: number };
  constants: { SQ: number; H: number; GROUP: number; HKV: number; DK: number; VSTRIDE: number; MAXP: number; LMAX: number; SCALE: number; PAGE: number };
}

/** Score of a masked pair; gpu.js has no infinities to pass around. */
const MASKED = -1e30;

export function decodeBaseline(runtime: GpuJsContext, shape: AttentionShape, workload: Workload): GpuJsBaseline {
  const rows = queryRows(shape);
  const lmax = Math.max(1, ...shape.lengths);
  const q = hostValues(workload.buffers.q.data!, shape.storage);
  const keys = hostValues((shape.valuesInKeys ? workload.buffers.kv : workload.buffers.k).data!, shape.storage);
  const values = shape.valuesInKeys ? keys : hostValues(workload.buffers.v.data!, shape.storage);
  const blockTable = Float32Array.from(workload.buffers.blockTable.data as Int32Array);
  const lengths = Float32Array.from(workload.buffers.lengths.data as Int32Array);
  const constants = {
    SQ: shape.queryTokens, H: shape.heads, GROUP: shape.heads / shape.kvHeads, HKV: shape.kvHeads,
    DK: shape.keyDim, VSTRIDE: shape.valuesInKeys ? shape.keyDim : shape.valueDim,
    MAXP: blockTable.length / shape.batch, LMAX: lmax, SCALE: shape.scale, PAGE: PAGE_SIZE,
  };
  const scoreKernel = runtime.gpu.createKernel(
    function (this: DecodeThis, q: number[], keys: number[], blockTable: number[], lengths: number[]) {
      const row = this.thread.y;
      const t = this.thread.x;
      const g = Math.floor((row % this.constants.H) / this.constants.GROUP);
      const b = Math.floor(row / (this.constants.SQ * this.constants.H));
      const i = Math.floor(row / this.constants.H) % this.constants.SQ;
      const visible = lengths[b] - this.constants.SQ + 1 + i;
      let s = -1e30;
      if (t < visible) {
        const page = blockTable[b * this.constants.MAXP + Math.floor(t / this.constants.PAGE)];
        const base = ((page * this.constants.PAGE + (t % this.constants.PAGE)) * this.constants.HKV + g) * this.constants.DK;
        let dot = 0;
        for (let d = 0; d < this.constants.DK; d++) dot += q[row * this.constants.DK + d] * keys[base + d];
        s = dot * this.constants.SCALE;
      }
      return s;
    },
    { output: [lmax, rows], constants },
  );
  const outputKernel = runtime.gpu.createKernel(
    function (this: DecodeThis, scores: number[][], values: number[], blockTable: number[], lengths: number[]) {
      const row = this.thread.y;
      const d = this.thread.x;
      const g = Math.floor((row % this.constants.H) / this.constants.GROUP);
      const b = Math.floor(row / (this.constants.SQ * this.constants.H));
      const i = Math.floor(row / this.constants.H) % this.constants.SQ;
      const visible = lengths[b] - this.constants.SQ + 1 + i;
      let m = -1e30;
      for (let t = 0; t < this.constants.LMAX; t++) {
        if (t < visible) m = Math.max(m, scores[row][t]);
      }
      let sum = 0;
      let acc = 0;
      for (let t = 0; t < this.constants.LMAX; t++) {
        if (t < visible) {
          const p = Math.exp(scores[row][t] - m);
          const page = blockTable[b * this.constants.MAXP + Math.floor(t / this.constants.PAGE)];
          sum += p;
          // Value rows: the 576-dim latent rows for MLA, whose first 512 dims are the values.
          acc += p * values[((page * this.constants.PAGE + (t % this.constants.PAGE)) * this.constants.HKV + g) * this.constants.VSTRIDE + d];
        }
      }
      let out = 0;
      if (sum > 0) out = acc / sum;
      return out;
    },
    { output: [shape.valueDim, rows], constants },
  );
  const lseKernel = runtime.gpu.createKernel(
    function (this: DecodeThis, scores: number[][], lengths: number[]) {
      const row = this.thread.x;
      const b = Math.floor(row / (this.constants.SQ * this.constants.H));
      const i = Math.floor(row / this.constants.H) % this.constants.SQ;
      const visible = lengths[b] - this.constants.SQ + 1 + i;
      let m = -1e30;
      for (let t = 0; t < this.constants.LMAX; t++) {
        if (t < visible) m = Math.max(m, scores[row][t]);
      }
      let sum = 0;
      for (let t = 0; t < this.constants.LMAX; t++) {
        if (t < visible) sum += Math.exp(scores[row][t] - m);
      }
      let lse = -1e30;
      if (sum > 0) lse = m + Math.log(sum);
      return lse;
    },
    { output: [rows], constants },
  );
  return {
    run: async (): Promise<Record<string, HostArray>> => {
      const scores = await runtime.call<Float32Array[]>(scoreKernel, q, keys, blockTable, lengths);
      const o2d = await runtime.call<Float32Array[]>(outputKernel, scores, values, blockTable, lengths);
      const lse1d = await runtime.call<Float32Array>(lseKernel, scores, lengths);
      const o = new Float32Array(rows * shape.valueDim);
      for (let r = 0; r < rows; r++) o.set(o2d[r], r * shape.valueDim);
      // The families' convention for a row with no visible token is lse = -Infinity.
      const lse = Float32Array.from(lse1d, (x) => (x <= MASKED / 2 ? -Infinity : x));
      return { o, lse };
    },
  };
}
