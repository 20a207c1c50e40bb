import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactSvg, specToSvg } from '../../../reports/html/charts.ts';

test('the build-time SVG: geometry to two decimals, marks without their role attributes, labels and text whole', async () => {
  const mark = '<path aria-label="blockN: 128; best median ms: 0.106912002" role="graphics-symbol" aria-roledescription="rect mark" d="M196.36363636363637,0h32.72727272727273v32.5Z"/>';
  assert.equal(compactSvg(`<g>${mark}<text x="1.23456">0.123456 ms</text></g>`),
    '<g><path aria-label="blockN: 128; best median ms: 0.106912002" d="M196.36,0h32.72v32.5Z"/><text x="1.23">0.123456 ms</text></g>');
  const svg = await specToSvg({ data: { values: [{ a: 1 / 3, b: 2 / 3 }, { a: 0.5, b: 0.25 }] }, mark: 'rect', encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } } });
  assert.match(svg, /^<svg/);
  assert.doesNotMatch(svg, /role="graphics-symbol"/);
  assert.doesNotMatch(svg.replace(/aria-label="[^"]*"/g, ''), /<[^>]*\d+\.\d{3,}[^>]*>/);
});
