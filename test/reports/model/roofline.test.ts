import assert from 'node:assert/strict';
import { test } from 'node:test';
import { achievedFlops, attainable, boundBy, fractionOfRoof, intensity, ridgePoint } from '../../../reports/model/roofline.ts';

const roof = { peakFlops: 1000e12, bandwidth: 10e12 };

test('ridge point is peak over bandwidth', () => {
  assert.equal(ridgePoint(roof), 100);
  // H200 FP8: 1979 TFLOP/s over 4.8 TB/s.
  assert.ok(Math.abs(ridgePoint({ peakFlops: 1979e12, bandwidth: 4.8e12 }) - 412.2917) < 1e-3);
});

test('below the ridge the memory roof binds', () => {
  assert.equal(attainable(roof, 50), 500e12);
  assert.equal(boundBy(roof, 50), 'memory');
  assert.equal(fractionOfRoof(roof, 50, 250e12), 0.5);
});

test('above the ridge the compute roof binds', () => {
  assert.equal(attainable(roof, 200), 1000e12);
  assert.equal(boundBy(roof, 200), 'compute');
  assert.equal(fractionOfRoof(roof, 200, 750e12), 0.75);
});

test('intensity and achieved rate of a GEMM row', () => {
  // M=N=K=1024 in FP8 with f32 output: 2·1024³ FLOP over 1 MiB + 1 MiB + 4 MiB.
  const flops = 2 * 1024 ** 3;
  const bytes = 1024 * 1024 * (1 + 1 + 4);
  assert.ok(Math.abs(intensity(flops, bytes) - 341.3333) < 1e-3);
  assert.equal(achievedFlops(flops, 2), flops * 500);
  assert.equal(intensity(1, 0), Number.POSITIVE_INFINITY);
});
