import assert from 'node:assert/strict';
import { test } from 'node:test';
import { widenOutput } from '../../../harness/cuda/widen.ts';

test('bf16 outputs widen exactly to f32; the unused half of the f32-sized buffer is ignored', () => {
  const values = [1, -2.5, 3.140625, 0, -0, 65280];
  const bytes = new Uint8Array(values.length * 4).fill(0xff); // poisoned tail, as the runner leaves it
  const halves = new Uint16Array(bytes.buffer, 0, values.length);
  values.forEach((v, i) => (halves[i] = new Uint32Array(new Float32Array([v]).buffer)[0] >>> 16));
  assert.deepEqual([...widenOutput(bytes, 'bf16')], values);
});

test('f32 outputs come back as they are', () => {
  const data = new Float32Array([1.5, -7, 1e-20]);
  assert.deepEqual([...widenOutput(new Uint8Array(data.buffer), 'f32')], [...data]);
});
