import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeLabels, type LogAxes } from '../../../reports/charts/label-layout.ts';

const axes: LogAxes = { width: 640, height: 440, x: [1, 10_000], y: [1, 10_000] };

test('labels of points that sit on top of each other are spread so no two boxes overlap', () => {
  const requests = Array.from({ length: 8 }, (_, i) => ({ x: 100 * (1 + i * 0.01), y: 500, text: `4096x7168x${i}` }));
  const placed = placeLabels(requests, axes);
  assert.equal(placed.length, 8);
  const rows = placed.map((p) => Math.round((axes.height * Math.log(p.labelY)) / Math.log(10_000)));
  assert.equal(new Set(rows).size, 8, `label rows ${rows}`);
  assert.ok(placed.some((p) => p.moved));
});

test('a label near the right edge turns to the left of its point; a lone label is not moved', () => {
  const [right] = placeLabels([{ x: 9_000, y: 100, text: 'a long label' }], axes);
  assert.equal(right.align, 'right');
  assert.ok(right.labelX < 9_000);
  const [lone] = placeLabels([{ x: 10, y: 10, text: 'x' }], axes);
  assert.equal(lone.moved, false);
});

test('a label steps aside from another mark', () => {
  const [free] = placeLabels([{ x: 10, y: 10, text: 'label' }], axes);
  const [blocked] = placeLabels([{ x: 10, y: 10, text: 'label' }], axes, [{ x: 10 * 1.05, y: 10 * 1.01 }]);
  assert.equal(free.moved, false);
  assert.equal(blocked.moved, true);
});

test('a label keeps clear of a roof\'s name written leftwards from the right edge', () => {
  const [label] = placeLabels([{ x: 5_000, y: 1_000, text: '4096x7168x16384' }], axes, [{ x: 10_000, y: 1_000, text: 'measured matmul' }]);
  assert.equal(label.moved, true);
});
