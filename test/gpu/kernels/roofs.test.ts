// Needs a CUDA GPU and nvcc. The roofs of a decode call (kernels/roofs/) through the runner: the
// driver's device-to-device copy verifies word for word and its read+write rate lies between 10% and
// 100% of the datasheet's HBM bandwidth where the device has a row; cuBLAS BF16 at 8192 cubed
// verifies against the sampled reference with a positive FLOP/s; both rows carry their own work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCuda } from '../../../harness/cuda/backend.ts';
import { DEFAULT_BUDGET } from '../../../harness/measure.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import { MLA_DECODE_PEERS, mlaDecodeCudaTarget } from '../../../kernels/mla-decode/cuda/index.ts';
import type { MlaProblem } from '../../../kernels/mla-decode/problem.ts';
import type { Peer } from '../../../kernels/types.ts';
import { matchDatasheet } from '../../../reports/devices/peaks.ts';
import { measureSideBySide, peerSide, type Side } from '../../../tuner/side-by-side.ts';

test('copy and cuBLAS BF16 roofs verify and measure beside an MLA problem', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 10_000 });
  try {
    const problem: MlaProblem = { B: 128, sq: 1, H: 16, L: 4096, lengths: 'fixed', dtype: 'f16' };
    const options = { family: mlaDecode, target: mlaDecodeCudaTarget, problem, backend, timing: { ...DEFAULT_BUDGET, timeMs: 200 } };
    const sides: Side[] = [];
    for (const name of ['copy', 'cublas-bf16-8192']) {
      const prepared = await peerSide(options, MLA_DECODE_PEERS.find((p) => p.name === name)! as Peer<object>);
      assert.ok('time' in prepared, `${name}: ${JSON.stringify(prepared)}`);
      sides.push(prepared as Side);
    }
    const [copy, gemm] = await measureSideBySide(sides, { rounds: 0 });
    for (const side of sides) await side.dispose();
    assert.deepEqual([copy.status, copy.verified?.ok, copy.flops, copy.bytes], ['ok', true, 0, 2 * 128 * 4096 * 1152]);
    const bandwidth = copy.bytes / (copy.medianMs! / 1e3);
    const sheet = matchDatasheet(backend.device.name);
    if (sheet) assert.ok(bandwidth > 0.1 * sheet.hbm.value && bandwidth < sheet.hbm.value, `copy at ${bandwidth / 1e9} GB/s`);
    assert.deepEqual([gemm.status, gemm.verified?.ok, gemm.flops], ['ok', true, 2 * 8192 ** 3]);
    assert.ok(gemm.flops / (gemm.medianMs! / 1e3) > 0);
  } finally {
    await backend.dispose();
  }
});
