// The configs the decode GPU tests sweep (test/gpu/kernels/decode-cases.ts) all lie in their family's
// CUDA space at the H200: a case the space rejects comes back `invalid` there and stops the test on
// the device (2026-12-05: a two-CTA FP8 case whose shared memory no longer fit, which ended the MLA
// test after 6 seconds of a device call). Checked here, without a GPU.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelFamily } from '../../../../kernels/types.ts';
import { mhaDecode } from '../../../../kernels/mha-decode/index.ts';
import { mlaDecode } from '../../../../kernels/mla-decode/index.ts';
import { decodeCompileCases } from '../../../gpu/kernels/decode-cases.ts';
import { H200_CAPS } from '../../fp8-gemm/cuda/caps.ts';

const families: Record<string, KernelFamily<object, object, object>> = {
  'mla-decode': mlaDecode as unknown as KernelFamily<object, object, object>,
  'mha-decode': mhaDecode as unknown as KernelFamily<object, object, object>,
};

test('every config of the decode GPU tests passes its space constraints at the H200', () => {
  let checked = 0;
  for (const { family, cases } of decodeCompileCases(H200_CAPS)) {
    const target = families[family]!.targets.cuda!;
    for (const { problem, configs } of cases) {
      const constraints = target.space(problem, H200_CAPS).constraints;
      for (const config of configs) {
        const failed = constraints.filter((k) => !k.ok(config)).map((k) => k.name);
        assert.deepEqual(failed, [], `${family} ${JSON.stringify(problem)} ${JSON.stringify(config)}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `${checked} configs`);
});
