// CPU reference of paged decode attention, in f64, reading the same paged buffers the kernel reads
// (so a wrong page lookup or a read past a sequence's length differs from it). Empty rows (no
// visible token) give o = 0 and lse = -Infinity, the documented convention of every template here.
import type { Workload } from '../types.ts';
import { PAGE_SIZE, visibleTokens, type AttentionShape } from './shape.ts';
import { valueReader, type ValueReader } from './workload.ts';

export interface RowRef {
  o: Float64Array;
  lse: number;
}

export interface AttentionInputs {
  q: ValueReader;
  keys: ValueReader;
  /** Absent when values live in the key rows (MLA). */
  values?: ValueReader;
  blockTable: Int32Array;
  maxPages: number;
}

export function attentionInputs(shape: AttentionShape, workload: Workload): AttentionInputs {
  const b = workload.buffers;
  const blockTable = b.blockTable.data as Int32Array;
  return {
    q: valueReader(b.q.data!, shape.storage),
    keys: valueReader((shape.valuesInKeys ? b.kv : b.k).data!, shape.storage),
    values: shape.valuesInKeys ? undefined : valueReader(b.v.data!, shape.storage),
    blockTable,
    maxPages: blockTable.length / shape.batch,
  };
}

/** Output row (b, i, head) of the attention: softmax(scale * q.K^T) V over the visible tokens. */
export function referenceRow(shape: AttentionShape, inputs: AttentionInputs, b: number, i: number, head: number): RowRef {
  const { keyDim, valueDim, kvHeads } = shape;
  const g = Math.floor(head / (shape.heads / kvHeads));
  const qBase = ((b * shape.queryTokens + i) * shape.heads + head) * keyDim;
  const visible = visibleTokens(shape.lengths[b], shape.queryTokens, i);
  const o = new Float64Array(valueDim);
  if (visible === 0) return { o, lse: -Infinity };
  const slot = (t: number): number => {
    const page = inputs.blockTable[b * inputs.maxPages + Math.floor(t / PAGE_SIZE)];
    return (page * PAGE_SIZE + (t % PAGE_SIZE)) * kvHeads + g;
  };
  const scores = new Float64Array(visible);
  let max = -Infinity;
  for (let t = 0; t < visible; t++) {
    const kBase = slot(t) * keyDim;
    let s = 0;
    for (let d = 0; d < keyDim; d++) s += inputs.q(qBase + d) * inputs.keys(kBase + d);
    scores[t] = s * shape.scale;
    max = Math.max(max, scores[t]);
  }
  let sum = 0;
  for (let t = 0; t < visible; t++) {
    const p = Math.exp(scores[t] - max);
    sum += p;
    const values = inputs.values ?? inputs.keys;
    const vBase = slot(t) * (inputs.values ? valueDim : keyDim);
    for (let d = 0; d < valueDim; d++) o[d] += p * values(vBase + d);
  }
  for (let d = 0; d < valueDim; d++) o[d] /= sum;
  return { o, lse: max + Math.log(sum) };
}
