// The replay backend: recorded rows served through the sweep loop, deterministically; configs the
// recording lacks come back as rows that say so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../core/errors.ts';
import { openReplay } from '../../../harness/replay/open.ts';
import { fp8Gemm } from '../../../kernels/fp8-gemm/index.ts';
import { runSweep } from '../../../tuner/sweep.ts';
import { gridFamily, gridRecording, gridReplay } from '../../tuner/recorded.ts';

test('the same config and problem give the same row and samples, whatever was asked before', async () => {
  const backend = gridReplay();
  const first = await runSweep({ family: gridFamily, problem: { n: 1 }, backend, strategy: 'random', budget: 20, seed: 3 });
  const again = await runSweep({ family: gridFamily, problem: { n: 1 }, backend, strategy: 'random', budget: 20, seed: 4 });
  const byConfig = new Map(again.map((r) => [JSON.stringify(r.config), r]));
  const common = first.filter((r) => byConfig.has(JSON.stringify(r.config)));
  assert.ok(common.length > 0);
  for (const row of common) assert.deepEqual(byConfig.get(JSON.stringify(row.config))!.samplesMs, row.samplesMs);
  assert.deepEqual(await runSweep({ family: gridFamily, problem: { n: 1 }, backend, strategy: 'random', budget: 20, seed: 3 }), first);
  assert.ok(first.every((r) => r.replayed === true && r.status === 'ok'));
});

test('a config the recording lacks is an invalid row naming the replay, never an exception', async () => {
  const backend = gridReplay(gridRecording({ missing: (c) => c.a === 6 }));
  const rows = await runSweep({ family: gridFamily, problem: { n: 1 }, backend, configs: [{ a: 6, b: 2, c: 'y' }, { a: 5, b: 2, c: 'y' }] });
  assert.deepEqual(rows.map((r) => r.status), ['invalid', 'ok']);
  assert.match(rows[0].error!, /never ran this config/);
  // Another space on a replay (here a file of configs): what the recording never ran is invalid the same way.
  const listed = await runSweep({ family: gridFamily, problem: { n: 1 }, backend, space: { kind: 'file', path: 'configs.json', configs: [{ a: 6, b: 1, c: 'x' }, { a: 1, b: 1, c: 'x' }] } });
  assert.deepEqual(listed.map((r) => r.status), ['invalid', 'ok']);
  assert.match(listed[0].error!, /recorded: the replayed recording .* never ran this config/);
});

test('the replay space is the recorded configs, narrowed by --param', async () => {
  const rows = await runSweep({ family: gridFamily, problem: { n: 1 }, backend: gridReplay(), strategy: 'exhaustive', params: { a: ['1', '2'], c: ['y'] } });
  assert.equal(rows.length, 2 * 6);
  assert.ok(rows.every((r) => (r.config.a === 1 || r.config.a === 2) && r.config.c === 'y'));
  await assert.rejects(runSweep({ family: gridFamily, problem: { n: 1 }, backend: gridReplay(), params: { z: ['1'] } }), UsageError);
});

test('a recorded H200 sweep (one call of the curated file) replays through the fp8-gemm family, its space and its CUDA model', async () => {
  const backend = openReplay('results/h200/fp8-gemm.json.br', 'h200-run52');
  assert.equal(backend.language, 'cuda');
  assert.equal(backend.caps.cuda?.smCount, 132);
  const problem = { M: 4096, N: 2112, K: 7168 };
  const recorded = backend.recording.configs('fp8-gemm', problem);
  const rows = await runSweep({ family: fp8Gemm, problem, backend, strategy: 'model', budget: 10, seed: 1 });
  assert.equal(rows.length, 10);
  for (const row of rows) assert.deepEqual(row.samplesMs, backend.recording.row('fp8-gemm', problem, row.config)!.samplesMs);
  assert.ok(rows.every((r) => recorded.some((c) => JSON.stringify(c) === JSON.stringify(r.config))));
  assert.ok(rows.every((r) => r.runId === 'h200-run52'), 'every row served from the call replayed');
});

test('a file of several calls: one call replays its own rows; all calls pool them, first row per config', () => {
  const all = openReplay('results/lavapipe/fp8-gemm.json');
  const exhaustive = openReplay('results/lavapipe/fp8-gemm.json', 'lavapipe-fp8-gemm-small-exhaustive');
  const problem = { M: 128, N: 128, K: 512 };
  assert.equal(exhaustive.recording.configs('fp8-gemm', problem).length, 64);
  assert.ok(all.recording.configs('fp8-gemm', problem).length > 64);
  assert.notEqual(all.device.fingerprint, exhaustive.device.fingerprint);
  assert.throws(() => openReplay('results/lavapipe/fp8-gemm.json', 'no-such-call'), /holds no call "no-such-call"/);
});

test('a missing or malformed recording is a usage error', () => {
  assert.throws(() => openReplay('results/nope.json'), UsageError);
  assert.throws(() => openReplay('package.json'), UsageError);
});
