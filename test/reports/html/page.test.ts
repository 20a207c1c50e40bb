// The page built from the hostile-strings fixture, checked as text (the browser test checks it live).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderPage } from '../../../reports/html/page.ts';
import { loadResults } from '../../../reports/model/load.ts';
import { buildReportModel } from '../../../reports/model/report.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'fixtures', 'reports', name);

test('results strings never reach the page as markup', async () => {
  const page = await renderPage(buildReportModel(loadResults([fixture('hostile-strings-fixture.json')])));
  assert.ok(!page.includes('<script>window.__pwned'));
  assert.ok(!page.includes('<img src=x'));
  assert.ok(!page.includes('<i>64</i>'));
  assert.ok(page.includes('&lt;script&gt;window.__pwned = 1&lt;/script&gt;'));
  // Five script elements: specs, vega, vega-lite, vega-embed, the embed call.
  assert.equal(page.match(/<script[\s>]/g)?.length, 5);
  // "$&" in a config value is inserted literally, and a results string holding a chart marker stays text.
  assert.ok(page.includes('tag=$&amp; $1 &lt;!--svg:c1--&gt;'));
  assert.ok(!page.includes('<!--svg:'));
});

test('the page needs no network: no external src or href, and a CSP forbidding fetches', async () => {
  const page = await renderPage(buildReportModel(loadResults([fixture('h200-fixture.json')])));
  const markup = page.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
  assert.ok(!/\s(src|href)="(?!#)/.test(markup), 'no element loads or links outside the page');
  assert.ok(page.includes(`default-src 'none'`));
  // Each chart placeholder was filled with its build-time SVG.
  const charts = page.match(/data-chart="c\d+"><svg/g)?.length ?? 0;
  assert.equal(charts, page.match(/data-chart="c\d+"/g)?.length);
  assert.ok(charts >= 6);
});

test('the page opens with the headline, then the figures at a glance', async () => {
  const page = await renderPage(buildReportModel(loadResults([fixture('h200-fixture.json')])));
  assert.ok(page.indexOf('<section id="headline">') < page.indexOf('<section id="glance">'));
  assert.ok(page.indexOf('<section id="headline">') < page.indexOf('<section id="roofline">'));
  const summary = page.slice(page.indexOf('<section id="glance">'), page.indexOf('<section id="roofline">'));
  assert.ok(summary.includes('55.6% of the dense FP8 datasheet peak'), summary);
  assert.ok(summary.includes('56.9x less'));
  assert.ok(summary.includes('$5.576M at $2/GPU-hour'));
  assert.ok(summary.includes('17.3% of the dense FP8 peak'));
  assert.ok(summary.includes('projected'));
});
