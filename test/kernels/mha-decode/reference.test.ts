// GQA and MQA are MHA with K/V heads shared: the reference over a GQA cache equals the reference
// over an MHA cache in which each KV head is copied to the query heads of its group.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../core/errors.ts';
import { attentionInputs, referenceRow } from '../../../kernels/attention/reference.ts';
import { kvElementsPerToken } from '../../../kernels/attention/shape.ts';
import { attentionWorkload } from '../../../kernels/attention/workload.ts';
import { attentionKind, mhaProblem, mhaShape } from '../../../kernels/mha-decode/problem.ts';
import { mlaShape } from '../../../kernels/mla-decode/problem.ts';

function replicate(cache: Float32Array, slots: number, kvHeads: number, heads: number, dim: number): Float32Array {
  const out = new Float32Array(slots * heads * dim);
  for (let s = 0; s < slots; s++) {
    for (let h = 0; h < heads; h++) {
      const g = Math.floor(h / (heads / kvHeads));
      out.set(cache.subarray((s * kvHeads + g) * dim, (s * kvHeads + g + 1) * dim), (s * heads + h) * dim);
    }
  }
  return out;
}

for (const Hkv of [2, 1]) {
  test(`${Hkv === 1 ? 'MQA' : 'GQA'} (H=4, H_kv=${Hkv}) equals MHA over a cache with each KV head copied to its group`, () => {
    const grouped = mhaShape({ B: 2, sq: 2, H: 4, Hkv, L: 90, lengths: 'varied', dtype: 'f32' });
    const full = { ...grouped, kvHeads: 4 };
    const w = attentionWorkload(grouped, 13);
    const slots = (w.buffers.k.data as Float32Array).length / (Hkv * 128);
    const copied = {
      ...w,
      buffers: {
        ...w.buffers,
        k: { ...w.buffers.k, data: replicate(w.buffers.k.data as Float32Array, slots, Hkv, 4, 128) },
        v: { ...w.buffers.v, data: replicate(w.buffers.v.data as Float32Array, slots, Hkv, 4, 128) },
      },
    };
    const a = attentionInputs(grouped, w);
    const b = attentionInputs(full, copied);
    for (let s = 0; s < 2; s++) {
      for (let i = 0; i < 2; i++) {
        for (let h = 0; h < 4; h++) {
          const x = referenceRow(grouped, a, s, i, h);
          const y = referenceRow(full, b, s, i, h);
          assert.equal(x.lse, y.lse);
          assert.deepEqual([...x.o], [...y.o]);
        }
      }
    }
    // And heads of different groups do see different keys.
    if (Hkv === 2) assert.notEqual(referenceRow(grouped, a, 0, 0, 0).lse, referenceRow(grouped, a, 0, 0, 2).lse);
  });
}

test('--shape: H_kv defaults to H (MHA), must divide H; the kind follows from H_kv', () => {
  assert.equal(attentionKind(mhaProblem({ B: 1, H: 16, L: 64 })), 'mha');
  assert.equal(attentionKind(mhaProblem({ B: 1, H: 16, Hkv: 4, L: 64 })), 'gqa');
  assert.equal(attentionKind(mhaProblem({ B: 1, H: 16, Hkv: 1, L: 64 })), 'mqa');
  assert.throws(() => mhaProblem({ B: 1, H: 16, Hkv: 3, L: 64 }), (e: unknown) => e instanceof UsageError && /Hkv=3 must divide H=16/.test(e.message));
  assert.throws(() => mhaProblem({ B: 1, H: 16, L: 64, sq: 3 }), UsageError);
  assert.throws(() => mhaProblem({ B: 1, H: 16, L: 64, varied: 1, edges: 1 }), UsageError);
});

test('KV elements cached per token: MLA 576 whatever the heads, MHA 2 x H x 128 (32768 at 128 heads)', () => {
  const mla = mlaShape({ B: 1, sq: 1, H: 128, L: 64, lengths: 'fixed', dtype: 'f16' });
  const mha = mhaShape({ B: 1, sq: 1, H: 128, Hkv: 128, L: 64, lengths: 'fixed', dtype: 'f16' });
  const gqa = mhaShape({ B: 1, sq: 1, H: 128, Hkv: 8, L: 64, lengths: 'fixed', dtype: 'f16' });
  assert.equal(kvElementsPerToken(mla), 576);
  assert.equal(kvElementsPerToken(mha), 32768);
  assert.equal(kvElementsPerToken(gqa), 2 * 8 * 128);
});
