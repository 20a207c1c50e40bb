// Inputs at GPU sizes: codes drawn through views of at most 1 GiB (a 256-expert layer's weights pass
// the 4 GiB a Uint8Array can view), the same codes whatever the views' size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillCodes } from '../../../../kernels/fp8-gemm/cuda/workload.ts';

test('codes filled through small views are the codes of one view, odd lengths and offsets included', () => {
  const table = Uint8Array.from({ length: 1 << 16 }, (_, i) => (i * 7919) & 255);
  for (const words of [1, 2, 3, 250]) {
    const backing = new Uint32Array(words + 2);
    const whole = backing.subarray(1, 1 + words);
    fillCodes(whole, table, 42);
    assert.ok(backing[0] === 0 && backing[words + 1] === 0, 'nothing outside the view');
    for (const chunk of [2, 6, 64, 1000]) {
      const pieces = new Uint32Array(words);
      fillCodes(pieces, table, 42, chunk);
      assert.deepEqual(pieces, Uint32Array.from(whole), `${words} words, chunks of ${chunk}`);
    }
  }
});
