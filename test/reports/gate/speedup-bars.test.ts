// Bars against a baseline kernel of the same call (gate --speedup): MLA's time against the tuned MHA
// that bench --baselines measured beside it at the same model size, within one call only, paired by
// the decode shape (batch, s_q, heads, lengths; MHA with one KV head per query head). A bar that
// matches nothing fails; GQA is not MHA.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { judgeSpeedupBars, parseSpeedupBar, renderSpeedupBars } from '../../../reports/gate/speedup-bars.ts';

const verified = { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 };
const shape = { B: 128, sq: 1, H: 128, L: 4096, lengths: 'fixed', dtype: 'f16' };
const row = (kernel: string, role: ResultRow['role'], ms: number, extra: Partial<ResultRow> = {}): ResultRow => ({
  kernel, problem: kernel === 'mha-decode' ? { ...shape, Hkv: 128 } : { ...shape }, config: { headsPerCta: 16, cache: 'bf16' }, role, status: 'ok',
  samplesMs: [ms], medianMs: ms, verified, timer: 'cuda-event', flops: 1, bytes: 1, runId: 'a', ...(role === 'baseline' ? { comparedWith: 'mla-decode' } : {}), ...extra,
});
const bar = parseSpeedupBar('mha-decode@B=128,H=128,L=4096,sq=1>=30');

test('MLA 40x faster than the MHA beside it passes 30; 25x fails', () => {
  const [pass] = judgeSpeedupBars([row('mla-decode', 'candidate', 0.5), row('mla-decode', 'candidate', 0.6), row('mha-decode', 'baseline', 20)], [bar]);
  assert.deepEqual([pass.pass, pass.value, pass.speedups[0].oursMs], [true, 40, 0.5]);
  const [fail] = judgeSpeedupBars([row('mla-decode', 'candidate', 0.8), row('mha-decode', 'baseline', 20)], [bar]);
  assert.deepEqual([fail.pass, fail.value], [false, 25]);
  assert.match(renderSpeedupBars([fail]), /^FAIL speedup over mha-decode@B=128,H=128,L=4096,sq=1>=30 \(call a\): least ratio 25\.00[^]*below the bar/);
});

test('an MHA row of another call, a GQA row, or a gpu.js baseline is not paired; the bar then fails', () => {
  for (const other of [
    row('mha-decode', 'baseline', 20, { runId: 'b' }),
    row('mha-decode', 'baseline', 20, { problem: { ...shape, Hkv: 8 } }),
    row('mla-decode', 'baseline', 20, { config: { implementation: 'gpu.js' } }),
  ]) {
    const [v] = judgeSpeedupBars([row('mla-decode', 'candidate', 0.5), other], [bar]);
    assert.deepEqual([v.pass, v.value], [false, undefined], JSON.stringify(other.problem));
  }
});

test('malformed speedup bars are bad usage', () => {
  for (const text of ['mha-decode', 'mha-decode>=', '>=30', 'mha-decode@H>=30', 'mha-decode>=0']) assert.throws(() => parseSpeedupBar(text), /bad speedup bar/, text);
  assert.deepEqual(parseSpeedupBar('mha-decode>=30'), { text: 'mha-decode>=30', baseline: 'mha-decode', where: {}, min: 30 });
});
