import assert from 'node:assert/strict';
import { test } from 'node:test';
import { f16Bits, f16Value, packF16, roundF16, unpackF16 } from '../../../kernels/attention/f16.ts';

test('binary16 encodes exact values exactly and rounds to nearest even', () => {
  assert.equal(f16Bits(1), 0x3c00);
  assert.equal(f16Bits(-2), 0xc000);
  assert.equal(f16Bits(65504), 0x7bff);
  assert.equal(f16Bits(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(f16Bits(2 ** -14), 0x0400); // smallest normal
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
  assert.equal(f16Bits(1 + 2 ** -11), 0x3c00);
  assert.equal(f16Bits(1 + 3 * 2 ** -11), 0x3c02);
  assert.equal(f16Bits(70000), 0x7c00);
  assert.ok(Number.isNaN(f16Value(f16Bits(NaN))));
});

test('every binary16 value survives a round trip, and rounding lands on the nearest one', () => {
  for (let bits = 0; bits < 0x10000; bits++) {
    const v = f16Value(bits);
    if (Number.isNaN(v)) continue;
    assert.equal(f16Bits(v), bits === 0x8000 ? 0x8000 : bits, `bits ${bits.toString(16)}`);
  }
  for (const x of [0.1, -0.3333, 3.14159, 1e-6, 1234.5678]) {
    const r = roundF16(x);
    const step = Math.abs(r) * 2 ** -10;
    assert.ok(Math.abs(r - x) <= step / 2 + 2 ** -25, `${x} -> ${r}`);
  }
});

test('pairs pack little-endian, two per u32', () => {
  const words = packF16([1, -2, 0.5, 0]);
  assert.deepEqual([...words], [0xc0003c00, 0x00003800]);
  assert.deepEqual([...unpackF16(words)], [1, -2, 0.5, 0]);
});
