// Mann-Whitney U against values computed by hand (the arithmetic is in the comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitneyU, normalUpperTail } from '../../../core/stats/mann-whitney.ts';

const close = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('fully separated 3 vs 3: U = 0, exact p = 2 * 1/C(6,3) = 0.1', () => {
  const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
  assert.equal(r.u, 0);
  assert.equal(r.method, 'exact');
  close(r.pValue, 0.1, 1e-12);
});

test('the test is symmetric: U(x, y) + U(y, x) = n1 n2 and p is the same', () => {
  const a = mannWhitneyU([4, 5, 6], [1, 2, 3]);
  assert.equal(a.u, 9);
  close(a.pValue, 0.1, 1e-12);
});

test('fully separated 5 vs 5: exact p = 2 / C(10,5) = 2/252', () => {
  close(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).pValue, 2 / 252, 1e-12);
});

test('interleaved 2 vs 2: U = 1, U over the 6 orderings is 0,1,2,2,3,4, so p = 2 * 2/6', () => {
  const r = mannWhitneyU([1, 3], [2, 4]);
  assert.equal(r.u, 1);
  close(r.pValue, 2 / 3, 1e-12);
});

test('ties switch to the normal approximation with tie and continuity correction', () => {
  // pooled 1x 2x 2x 2y 3y 4y: ranks 1, 3, 3, 3, 5, 6; R_x = 7, U = 7 - 6 = 1; tie term 3^3 - 3 = 24;
  // var = 3*3/12 * (7 - 24/30) = 4.65; z = (|1 - 4.5| - 0.5) / sqrt(4.65) = 1.39122; p = 2(1 - Phi(z)) = 0.16416
  const r = mannWhitneyU([1, 2, 2], [2, 3, 4]);
  assert.equal(r.method, 'normal');
  assert.equal(r.u, 1);
  close(r.pValue, 0.16416, 2e-4);
});

test('identical samples give p = 1', () => {
  assert.equal(mannWhitneyU([1, 1, 1], [1, 1, 1]).pValue, 1);
});

test('exact and normal approximation agree on larger samples without ties', () => {
  // y = x + 4.5: x's values 5..19 beat 1..15 of y's, so U = 1 + ... + 15 = 120; mean 200,
  // sd = sqrt(20 * 20 * 41 / 12) = 36.968; z = (80 - 0.5) / 36.968 = 2.1505; normal p = 0.0315
  const x = Array.from({ length: 20 }, (_, i) => i);
  const exact = mannWhitneyU(x, x.map((v) => v + 4.5));
  assert.equal(exact.method, 'exact');
  assert.equal(exact.u, 120);
  close(exact.pValue, 0.0315, 2e-3);
});

test('exact p equals a count over every arrangement of 4 vs 5 ranks', () => {
  // Enumerate the C(9,4) = 126 ways the ranks can split; p = 2 * share with U <= observed.
  const x = [1, 4, 5, 8];
  const y = [2, 3, 6, 7, 9];
  const observed = mannWhitneyU(x, y);
  let atMost = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << 9; mask++) {
    const ranks = [...Array(9).keys()].filter((i) => mask & (1 << i)).map((i) => i + 1);
    if (ranks.length !== 4) continue;
    total++;
    const u = ranks.reduce((sum, r) => sum + r, 0) - 10;
    if (u <= Math.min(observed.u, 20 - observed.u)) atMost++;
  }
  assert.equal(total, 126);
  close(observed.pValue, Math.min(1, (2 * atMost) / total), 1e-12);
});

test('normal upper tail matches the table: 1 - Phi(1.96) = 0.025, 1 - Phi(0) = 0.5', () => {
  close(normalUpperTail(1.96), 0.0249979, 1e-6);
  close(normalUpperTail(0), 0.5, 1e-7);
});

test('empty input is a programming error', () => {
  assert.throws(() => mannWhitneyU([], [1]), RangeError);
});
