// Sharded sweeps: split in 2 and merged, a sweep's rows are the unsharded sweep's (exhaustive and a
// seeded random sample, on a replayed lavapipe recording); adaptive strategies get disjoint parts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { resultsFile } from '../../core/results.ts';
import type { ResultRow } from '../../core/results.ts';
import { openReplay } from '../../harness/replay/open.ts';
import { fp8Gemm } from '../../kernels/fp8-gemm/index.ts';
import { mergeResults } from '../../tuner/merge.ts';
import { parseShard, type Shard } from '../../tuner/shard.ts';
import { runSweep } from '../../tuner/sweep.ts';
import { gridFamily, gridReplay } from './recorded.ts';

const recording = 'results/lavapipe/fp8-gemm.json';
const call = 'lavapipe-fp8-gemm-small-exhaustive';
const problem = { M: 128, N: 128, K: 512 };

async function sweepFile(strategy: string, budget: number | undefined, shard?: Shard) {
  const backend = openReplay(recording, call);
  const rows = await runSweep({ family: fp8Gemm, problem, backend, strategy, budget, seed: 7, shard });
  return resultsFile(backend.device, rows, 'test', { sweep: { strategy, shard: shard ?? null } });
}

for (const [strategy, budget] of [['exhaustive', undefined], ['exhaustive', 21], ['random', 30]] as const) {
  test(`${strategy}${budget ? ` --budget ${budget}` : ''} in 2 shards, merged, equals the unsharded sweep's rows`, async () => {
    const whole = await sweepFile(strategy, budget);
    const shards = [await sweepFile(strategy, budget, { index: 2, count: 2 }), await sweepFile(strategy, budget, { index: 1, count: 2 })];
    assert.ok(shards.every((s) => s.runs.length > 0 && s.runs.length < whole.runs.length));
    const merged = mergeResults(shards.map((file, i) => ({ path: `shard${i}`, file })));
    assert.deepEqual(merged.runs, whole.runs);
  });
}

test('an adaptive strategy sharded: disjoint configs, budgets that add up', async () => {
  const rows = await Promise.all([1, 2, 3].map((index) => runSweep({ family: gridFamily, problem: { n: 1 }, backend: gridReplay(), strategy: 'anneal', budget: 31, seed: 1, shard: { index, count: 3 } })));
  const keys = rows.flat().map((r: ResultRow) => JSON.stringify(r.config));
  assert.equal(new Set(keys).size, keys.length, 'no config in two shards');
  assert.deepEqual(rows.map((r) => r.length), [11, 10, 10]);
});

test('merge refuses files from other hardware; --shard rejects what is not i/n', async () => {
  const a = await sweepFile('random', 4);
  const b = { ...a, device: { ...a.device, fingerprint: 'other' } };
  assert.throws(() => mergeResults([{ path: 'a', file: a }, { path: 'b', file: b }]), UsageError);
  for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3']) assert.throws(() => parseShard(bad), UsageError, bad);
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
});
