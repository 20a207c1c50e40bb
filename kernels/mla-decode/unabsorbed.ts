// Explicit (unabsorbed) MLA attention and the absorption that turns it into the latent form the
// decode kernels compute (../shared/reference/deepseek-v3.md, "MLA in decode"): per head h, keys
// k_nope = W_UK[h] c_KV and values v = W_UV[h] c_KV are 128-dim up-projections of the 512-dim
// latent c_KV; the 64-dim RoPE key is shared by all heads. Absorbing W_UK into the query and W_UV
// into the output leaves attention over the latent cache itself: key [c_KV, k_rope], value c_KV.
import { LATENT_DIM, ROPE_DIM, UNABSORBED_QK_DIM } from './problem.ts';

export const NOPE_DIM = UNABSORBED_QK_DIM - ROPE_DIM; // qk_nope_head_dim, 128
export const V_HEAD_DIM = 128;

/** Per-head up-projections, row-major: wUK[h] is [128, 512], wUV[h] is [128, 512]. */
export interface MlaWeights {
  heads: number;
  wUK: Float64Array;
  wUV: Float64Array;
}

/** One head's explicit query: the 128 no-RoPE dims and the 64 RoPE dims. */
export interface HeadQuery {
  nope: ArrayLike<number>;
  rope: ArrayLike<number>;
}

/** A latent cache token: 512-dim c_KV and the 64-dim shared RoPE key. */
export interface LatentToken {
  latent: ArrayLike<number>;
  rope: ArrayLike<number>;
}

const matVec = (w: Float64Array, offset: number, rows: number, cols: number, x: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += w[offset + r * cols + c] * x[c];
    out[r] = s;
  }
  return out;
};

/** Explicit MLA for one head: up-project every cached token, then ordinary attention (scale 1/sqrt(192)). */
export function unabsorbedHead(weights: MlaWeights, head: number, query: HeadQuery, tokens: readonly LatentToken[]): { o: Float64Array; lse: number } {
  const block = NOPE_DIM * LATENT_DIM;
  const scale = 1 / Math.sqrt(UNABSORBED_QK_DIM);
  const scores = tokens.map((t) => {
    const kNope = matVec(weights.wUK, head * block, NOPE_DIM, LATENT_DIM, t.latent);
    let s = 0;
    for (let d = 0; d < NOPE_DIM; d++) s += query.nope[d] * kNope[d];
    for (let d = 0; d < ROPE_DIM; d++) s += query.rope[d] * t.rope[d];
    return s * scale;
  });
  const max = Math.max(...scores);
  const o = new Float64Array(V_HEAD_DIM);
  let sum = 0;
  tokens.forEach((t, i) => {
    const p = Math.exp(scores[i] - max);
    sum += p;
    const v = matVec(weights.wUV, head * V_HEAD_DIM * LATENT_DIM, V_HEAD_DIM, LATENT_DIM, t.latent);
    for (let d = 0; d < V_HEAD_DIM; d++) o[d] += p * v[d];
  });
  for (let d = 0; d < V_HEAD_DIM; d++) o[d] /= sum;
  return { o, lse: max + Math.log(sum) };
}

/** The absorbed 576-dim query of one head: [W_UK[h]^T q_nope, q_rope]. */
export function absorbQuery(weights: MlaWeights, head: number, query: HeadQuery): Float64Array {
  const out = new Float64Array(LATENT_DIM + ROPE_DIM);
  const offset = head * NOPE_DIM * LATENT_DIM;
  for (let r = 0; r < NOPE_DIM; r++) {
    for (let c = 0; c < LATENT_DIM; c++) out[c] += weights.wUK[offset + r * LATENT_DIM + c] * query.nope[r];
  }
  for (let d = 0; d < ROPE_DIM; d++) out[LATENT_DIM + d] = query.rope[d];
  return out;
}

/** The head's 128-dim output from the 512-dim latent output: W_UV[h] o_latent. */
export const projectOutput = (weights: MlaWeights, head: number, latentOut: ArrayLike<number>): Float64Array =>
  matVec(weights.wUV, head * V_HEAD_DIM * LATENT_DIM, V_HEAD_DIM, LATENT_DIM, latentOut);
