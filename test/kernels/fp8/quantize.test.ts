// Block quantization with a partial last block along K: one scale per 1x128 (128x128) block, the last
// block's taken over the columns that exist, and every value recovered within e4m3's rounding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../core/rng.ts';
import { decodeE4m3, E4M3_MAX } from '../../../kernels/fp8/e4m3.ts';
import { quantizeBlocks, scaleBlocks } from '../../../kernels/fp8/quantize.ts';

const values = (rows: number, cols: number, seed: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * cols }, () => rng.normal() * 3);
};

/** The scale of block (rb, cb), computed directly: the block's largest magnitude over what exists, / 448. */
function directScale(x: Float32Array, rows: number, cols: number, blockRows: number, rb: number, cb: number): number {
  let amax = 0;
  for (let r = rb * blockRows; r < Math.min(rows, (rb + 1) * blockRows); r++) {
    for (let c = cb * 128; c < Math.min(cols, (cb + 1) * 128); c++) amax = Math.max(amax, Math.abs(x[r * cols + c]));
  }
  return Math.fround(amax / E4M3_MAX);
}

test('scale blocks along a length round up: the last block may be partial', () => {
  assert.deepEqual([128, 256, 272, 1008, 1000, 16].map(scaleBlocks), [1, 2, 3, 8, 8, 1]);
});

for (const blockRows of [1, 128]) {
  test(`a ${blockRows}x128 quantization of 272 columns has three blocks per row block, the last over 16 columns`, () => {
    const rows = 130;
    const cols = 272;
    const x = values(rows, cols, blockRows);
    // An outlier in the full block next to the tail: it must not leak into the tail's scale.
    x[5 * cols + 255] = 1000;
    const q = quantizeBlocks(x, rows, cols, blockRows);
    const rowBlocks = Math.ceil(rows / blockRows);
    assert.equal(q.scales.length, rowBlocks * 3);
    for (let rb = 0; rb < rowBlocks; rb++) {
      for (let cb = 0; cb < 3; cb++) assert.equal(q.scales[rb * 3 + cb], directScale(x, rows, cols, blockRows, rb, cb), `block ${rb},${cb}`);
    }
    const bytes = new Uint8Array(q.packed.buffer);
    assert.equal(bytes.length, rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const scale = q.scales[Math.floor(r / blockRows) * 3 + Math.floor(c / 128)];
        const back = decodeE4m3(bytes[r * cols + c]) * scale;
        // e4m3 keeps 3 mantissa bits: half an ulp is 2^-4 of the value, or 2^-10 of the scale below the normals.
        assert.ok(Math.abs(back - x[r * cols + c]) <= 2 ** -4 * Math.abs(x[r * cols + c]) + 2 ** -10 * scale * 1.0001, `(${r}, ${c}): ${back} vs ${x[r * cols + c]}`);
      }
    }
  });
}

test('the tail block uses the whole e4m3 range: its largest magnitude maps to 448', () => {
  const x = values(1, 144, 9);
  const q = quantizeBlocks(x, 1, 144, 1);
  const bytes = new Uint8Array(q.packed.buffer);
  const tailMax = Math.max(...Array.from(bytes.subarray(128, 144), (code) => Math.abs(decodeE4m3(code))));
  assert.equal(tailMax, E4M3_MAX);
});
