// The WGSL decode model on a CPU adapter: the q.k and p.v reads are about the same in every config;
// staging the step's rows pays only when a workgroup carries many query rows (the copy is per head
// group, the saved slot lookups per row); more heads a workgroup mean fewer copies and lookups; and
// on the recorded lavapipe sweeps the order is close to the measured one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../../../core/capabilities.ts';
import { readResults } from '../../../../core/results-file.ts';
import { replayCapabilities } from '../../../../harness/replay/backend.ts';
import { estimateWgslDecode } from '../../../../kernels/attention/model/wgsl.ts';
import type { DecodeConfig } from '../../../../kernels/attention/space.ts';
import { mhaDecode } from '../../../../kernels/mha-decode/index.ts';
import { mlaDecode } from '../../../../kernels/mla-decode/index.ts';
import { mlaShape } from '../../../../kernels/mla-decode/problem.ts';
import { CPU_PRICES, wgslPrices } from '../../../../kernels/wgsl-cost.ts';
import { modelError } from '../../../../tuner/model-error.ts';

const shape = mlaShape({ B: 2, sq: 1, H: 16, L: 256, lengths: 'fixed', dtype: 'f16' });
const config = (over: Partial<DecodeConfig>): DecodeConfig =>
  ({ headsPerWorkgroup: 16, tokensPerStep: 8, splits: 1, workgroupSize: 128, stage: 'workgroup', arithmetic: 'f32', reduce: 'serial', ...over });
const time = (c: DecodeConfig) => estimateWgslDecode(shape, c, CPU_PRICES).time;

test('staging the step\'s rows pays at 16 rows a workgroup and costs at one', () => {
  assert.ok(time(config({ stage: 'workgroup' })) < time(config({ stage: 'global' })));
  assert.ok(time(config({ headsPerWorkgroup: 1, stage: 'global' })) < time(config({ headsPerWorkgroup: 1, stage: 'workgroup' })));
});

test('more heads a workgroup: fewer copies of the rows and slot lookups, less time', () => {
  for (const stage of ['workgroup', 'global'] as const) {
    assert.ok(time(config({ stage, headsPerWorkgroup: 16 })) < time(config({ stage, headsPerWorkgroup: 2 })), stage);
  }
});

test('splits spread a sequence over more runners: with two runners and two sequences, two splits of four workgroups balance no worse', () => {
  const uneven = mlaShape({ B: 2, sq: 1, H: 16, L: 256, lengths: 'varied', dtype: 'f16' });
  const two = { ...CPU_PRICES, concurrent: 2 };
  const [one, split] = [1, 2].map((splits) => estimateWgslDecode(uneven, config({ splits }), two));
  assert.ok(split.terms.split <= one.terms.split);
  assert.ok(split.terms.workgroups === 2 * one.terms.workgroups);
});

test('on the recorded lavapipe decode sweeps the model orders configs close to the measured order (Spearman > 0.6)', () => {
  for (const [path, family] of [['results/lavapipe/mla-decode.json', mlaDecode], ['results/lavapipe/mha-decode.json', mhaDecode]] as const) {
    const file = readResults(path);
    const caps = replayCapabilities(file.device);
    assert.equal(wgslPrices(caps).serialLanes, true);
    const rows = file.runs.filter((r) => r.role === 'candidate' && r.kernel === family.name);
    const [e] = modelError(family.targets.wgsl!.model! as never, caps, rows);
    assert.ok(e.spearman > 0.6, `${path}: ${e.spearman}`);
  }
});
