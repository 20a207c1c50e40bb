// The math, not the kernel: absorbed MLA over the latent cache (what every mla-decode template
// computes) equals explicit MLA with per-head up-projections W_UK and W_UV, for random small weights.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../core/rng.ts';
import { attentionInputs, referenceRow } from '../../../kernels/attention/reference.ts';
import { PAGE_SIZE } from '../../../kernels/attention/shape.ts';
import { attentionWorkload, hostValues } from '../../../kernels/attention/workload.ts';
import { LATENT_DIM, mlaShape, ROPE_DIM } from '../../../kernels/mla-decode/problem.ts';
import { absorbQuery, NOPE_DIM, projectOutput, unabsorbedHead, V_HEAD_DIM, type MlaWeights } from '../../../kernels/mla-decode/unabsorbed.ts';

test('absorbed attention over [c_KV, k_rope] then W_UV equals explicit MLA with up-projected keys and values', () => {
  const problem = { B: 2, sq: 2, H: 4, L: 70, lengths: 'varied', dtype: 'f32' } as const;
  const shape = mlaShape(problem);
  const workload = attentionWorkload(shape, 21);
  const rng = createRng(99);
  const small = () => (2 * rng.next() - 1) * 0.05;
  const weights: MlaWeights = {
    heads: shape.heads,
    wUK: Float64Array.from({ length: shape.heads * NOPE_DIM * LATENT_DIM }, small),
    wUV: Float64Array.from({ length: shape.heads * V_HEAD_DIM * LATENT_DIM }, small),
  };
  // Explicit per-head queries; the absorbed q buffer is built from them.
  const queries = Array.from({ length: shape.batch * shape.queryTokens * shape.heads }, () => ({
    nope: Array.from({ length: NOPE_DIM }, () => 2 * rng.next() - 1),
    rope: Array.from({ length: ROPE_DIM }, () => 2 * rng.next() - 1),
  }));
  const qAbsorbed = new Float32Array(queries.length * (LATENT_DIM + ROPE_DIM));
  queries.forEach((q, row) => qAbsorbed.set(absorbQuery(weights, row % shape.heads, q), row * (LATENT_DIM + ROPE_DIM)));
  const absorbed = { ...workload, buffers: { ...workload.buffers, q: { ...workload.buffers.q, data: qAbsorbed } } };
  const inputs = attentionInputs(shape, absorbed);
  const cache = hostValues(workload.buffers.kv.data!, shape.storage);
  let worst = 0;
  for (let b = 0; b < shape.batch; b++) {
    for (let i = 0; i < shape.queryTokens; i++) {
      const visible = shape.lengths[b] - shape.queryTokens + 1 + i;
      const tokens = Array.from({ length: visible }, (_, t) => {
        const row = (inputs.blockTable[b * inputs.maxPages + Math.floor(t / PAGE_SIZE)] * PAGE_SIZE + (t % PAGE_SIZE)) * (LATENT_DIM + ROPE_DIM);
        return { latent: cache.subarray(row, row + LATENT_DIM), rope: cache.subarray(row + LATENT_DIM, row + LATENT_DIM + ROPE_DIM) };
      });
      for (let h = 0; h < shape.heads; h++) {
        const explicit = unabsorbedHead(weights, h, queries[(b * shape.queryTokens + i) * shape.heads + h], tokens);
        const latent = referenceRow(shape, inputs, b, i, h);
        const o = projectOutput(weights, h, latent.o);
        // The absorbed query is stored in f32 (as the device reads it): agreement to f32 rounding.
        assert.ok(Math.abs(latent.lse - explicit.lse) < 1e-6, `lse b${b} i${i} h${h}: ${latent.lse} vs ${explicit.lse}`);
        o.forEach((x, d) => (worst = Math.max(worst, Math.abs(x - explicit.o[d]))));
      }
    }
  }
  assert.ok(worst < 1e-6, `largest difference ${worst}`);
});

test('the identity is not vacuous: absorbing the wrong projection (W_UV for W_UK) gives different scores', () => {
  const rng = createRng(5);
  const weights: MlaWeights = {
    heads: 1,
    wUK: Float64Array.from({ length: NOPE_DIM * LATENT_DIM }, () => rng.next() - 0.5),
    wUV: Float64Array.from({ length: V_HEAD_DIM * LATENT_DIM }, () => rng.next() - 0.5),
  };
  const q = { nope: Array.from({ length: NOPE_DIM }, () => rng.next() - 0.5), rope: Array.from({ length: ROPE_DIM }, () => rng.next() - 0.5) };
  const token = { latent: Array.from({ length: LATENT_DIM }, () => rng.next() - 0.5), rope: Array.from({ length: ROPE_DIM }, () => rng.next() - 0.5) };
  const other = { latent: Array.from({ length: LATENT_DIM }, () => rng.next() - 0.5), rope: Array.from({ length: ROPE_DIM }, () => rng.next() - 0.5) };
  const score = (qa: Float64Array, t: typeof token) =>
    (qa.slice(0, LATENT_DIM).reduce((s, x, d) => s + x * t.latent[d], 0) + t.rope.reduce((s, x, d) => s + x * qa[LATENT_DIM + d], 0)) / Math.sqrt(192);
  const explicit = unabsorbedHead(weights, 0, q, [token, other]);
  const right = absorbQuery(weights, 0, q);
  const wrong = absorbQuery({ ...weights, wUK: weights.wUV }, 0, q);
  const lse = (qa: Float64Array) => Math.log(Math.exp(score(qa, token)) + Math.exp(score(qa, other)));
  assert.ok(Math.abs(lse(right) - explicit.lse) < 1e-9);
  assert.ok(Math.abs(lse(wrong) - explicit.lse) > 1e-3);
});
