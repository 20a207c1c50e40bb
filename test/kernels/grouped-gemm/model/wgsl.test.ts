// The WGSL grouped GEMM model: the fp8-gemm tile for every tile that holds an expert's rows, only a
// launch for tiles in padding or past masked_m, and on the recorded lavapipe sweeps an order close to
// the measured one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../../../core/capabilities.ts';
import { readResults } from '../../../../core/results-file.ts';
import { replayCapabilities } from '../../../../harness/replay/backend.ts';
import { groupedGemm } from '../../../../kernels/grouped-gemm/index.ts';
import { estimateWgslGrouped } from '../../../../kernels/grouped-gemm/model/wgsl.ts';
import type { GroupedProblem } from '../../../../kernels/grouped-gemm/problem.ts';
import type { GroupedConfig } from '../../../../kernels/grouped-gemm/space.ts';
import { modelError } from '../../../../tuner/model-error.ts';

const lavapipe = { backend: 'webgpu', isCpu: true } as Capabilities;
const problem = (over: Partial<GroupedProblem> = {}): GroupedProblem => ({ G: 4, M: 40, N: 160, K: 256, layout: 'contiguous', routing: 'zipf', align: 32, ...over });
const config = (over: Partial<GroupedConfig> = {}): GroupedConfig => ({ BM: 16, BN: 64, TM: 4, TN: 2, BK: 128, stage: 'none', ...over });

test('tiles in an expert\'s padding exit at once: only the busy tiles cost a tile\'s work', () => {
  // 40 rows an expert on average, padded to 64: row tiles of 16 starting at 48 (or past masked_m) hold none.
  for (const layout of ['contiguous', 'masked'] as const) {
    const e = estimateWgslGrouped(problem({ layout, routing: 'uniform', align: 64 }), config(), lavapipe);
    assert.ok(e.terms.busyTiles < e.terms.tiles, layout);
    assert.ok(e.terms.idleTile * 20 < e.terms.perTile, layout);
  }
});

test('on a CPU a larger register tile is cheaper, and staging through workgroup memory costs more', () => {
  const p = problem();
  assert.ok(estimateWgslGrouped(p, config(), lavapipe).time < estimateWgslGrouped(p, config({ TM: 1, TN: 1, BN: 16 }), lavapipe).time);
  assert.ok(estimateWgslGrouped(p, config(), lavapipe).time < estimateWgslGrouped(p, config({ stage: 'workgroup' }), lavapipe).time);
});

test('on the recorded lavapipe sweeps the model orders configs close to the measured order (Spearman > 0.7)', () => {
  const file = readResults('results/lavapipe/grouped-gemm.json');
  const caps = replayCapabilities(file.device);
  for (const call of new Set(file.runs.map((r) => r.runId))) {
    const [e] = modelError(groupedGemm.targets.wgsl!.model! as never, caps, file.runs.filter((r) => r.runId === call));
    assert.ok(e.spearman > 0.7, `${call}: ${e.spearman}`);
  }
});
