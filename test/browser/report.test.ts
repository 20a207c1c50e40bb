// Opens a report built from the fixtures in real headless Chromium (Debian's, installed by
// scripts/setup-browser.sh) through playwright-core: every chart renders to a non-empty SVG, nothing
// is logged as an error, no network request is made, results strings stay text, and a screenshot is
// kept in test-artifacts/.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RESULTS_SCHEMA } from '../../core/results.ts';
import { writeReport } from '../../reports/write.ts';

const chromiumPath = '/usr/bin/chromium';
const fixtures = ['h200-fixture.json', 'llvmpipe-fixture.json', 'hostile-strings-fixture.json'].map((f) =>
  join(import.meta.dirname, '..', 'fixtures', 'reports', f),
);
const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

let browser: Browser;
let dir: string;
let url: string;

before(async () => {
  assert.ok(existsSync(chromiumPath), `${chromiumPath} missing: run scripts/setup-browser.sh`);
  dir = await mkdtemp(join(tmpdir(), 'tilesweep-report-'));
  const { files } = await writeReport(fixtures, dir);
  url = pathToFileURL(files.html).href;
  // launch() gives each run a fresh temporary profile (it refuses a --user-data-dir argument).
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(javaScriptEnabled: boolean): Promise<Watched> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

/** Waits until the embed script has settled every chart (rendered or failed). Runs in the page, so it is a string. */
const allChartsSettled = (page: Page) =>
  page.waitForFunction(`[...document.querySelectorAll('[data-chart]')].every((n) => n.hasAttribute('data-rendered'))`, null, { timeout: 60_000 });

test('every chart renders interactively to a non-empty SVG, without errors or network', async () => {
  const { page, errors, requests } = await open(true);
  const total = await page.locator('[data-chart]').count();
  assert.ok(total >= 8, `expected the fixture report to have charts, found ${total}`);
  await allChartsSettled(page);
  const charts = await page.$$eval('[data-chart]', (nodes) =>
    nodes.map((n) => {
      const svg = n.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: n.getAttribute('data-chart'),
        rendered: n.getAttribute('data-rendered'),
        // Drawn mark items (bars, points, lines, labels) with a real size: axes and legends alone do not count.
        // Area marks (bars, cells, points) need both sides; lines, rules and labels one.
        marks: svg
          ? [...svg.querySelectorAll('.role-mark > *')].filter((m) => {
              const r = m.getBoundingClientRect();
              const kind = m.parentElement?.getAttribute('class') ?? '';
              return /mark-(line|rule|text)/.test(kind) ? r.width > 0 || r.height > 0 : r.width > 0 && r.height > 0;
            }).length
          : 0,
        // Every bar and heatmap cell has an area: a bar of zero width means a broken scale (e.g. log from 0).
        flatAreas: svg
          ? [...svg.querySelectorAll('.mark-rect > path')].filter((m) => {
              const r = m.getBoundingClientRect();
              return !(r.width > 0 && r.height > 0);
            }).length
          : 0,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
      };
    }),
  );
  for (const c of charts) {
    assert.equal(c.rendered, 'interactive', `chart ${c.id} was not rendered by vega-embed`);
    assert.ok(c.marks > 0 && c.flatAreas === 0 && c.width > 50 && c.height > 50, `chart ${c.id} is empty: ${JSON.stringify(c)}`);
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, []);
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
  await page.context().close();
});

test('a kernel name containing <script> renders as text and never runs', async () => {
  const { page, errors } = await open(true);
  await allChartsSettled(page);
  assert.equal(await page.evaluate('window.__pwned'), undefined);
  // Only the page's own scripts: the specs block, three libraries and the embed script.
  assert.equal(await page.locator('script').count(), 5);
  assert.equal(await page.locator('img').count(), 0);
  const cells = await page.locator('td', { hasText: '<script>window.__pwned = 1</script>' }).count();
  assert.ok(cells >= 1, 'the hostile kernel name should appear as text in a table cell');
  assert.ok((await page.locator('body').innerText()).includes('<img src=x onerror=alert(1)> (fixture)'));
  // Tooltips are HTML too: hovering the hostile point shows its name as text.
  await page.locator('figure.chart', { hasText: 'onerror' }).locator('.mark-symbol path').first().hover({ force: true });
  const tooltip = page.locator('#vg-tooltip-element');
  await tooltip.waitFor({ state: 'visible' });
  assert.ok((await tooltip.innerText()).includes('<script>window.__pwned = 1</script>'));
  assert.equal(await tooltip.locator('script, img, i').count(), 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('without JavaScript the tables and build-time SVG charts are there', async () => {
  const { page, requests } = await open(false);
  assert.ok((await page.locator('table.data').count()) >= 6);
  const staticSvgs = await page.$$eval('[data-chart] > svg', (svgs) => svgs.map((s) => s.querySelectorAll('path, rect, text').length));
  assert.equal(staticSvgs.length, await page.locator('[data-chart]').count());
  assert.ok(staticSvgs.every((n) => n > 5));
  assert.ok((await page.locator('body').innerText()).includes('70,272'));
  assert.deepEqual(requests, []);
  await page.screenshot({ path: join(artifacts, 'report-no-js.png') });
  await page.context().close();
});

// The committed measurements (results/**/*.json, H200 and CPU adapter): CI builds their report, keeps
// it in test-artifacts/report/ and checks it the same way (TILESWEEP_RESULTS_DIR points it at another
// folder). Other JSON kept beside them (benchmark summaries) is not a results file and is left out.
// Skipped only while no results file is committed.
const resultsDir = process.env.TILESWEEP_RESULTS_DIR ?? join(import.meta.dirname, '..', '..', 'results');
const isResultsFile = (path: string): boolean => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')).schema === RESULTS_SCHEMA;
  } catch {
    return false;
  }
};
const committed = existsSync(resultsDir)
  ? readdirSync(resultsDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(resultsDir, f))
      .filter(isResultsFile)
      .sort()
  : [];

test('the report of the committed results renders without errors or network', { skip: committed.length === 0 && 'no results file committed under results/ yet' }, async () => {
  const out = join(artifacts, 'report');
  const { files } = await writeReport(committed, out);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && requests.push(r.url()));
  await page.goto(pathToFileURL(files.html).href, { waitUntil: 'load' });
  await allChartsSettled(page);
  const states = await page.$$eval('[data-chart]', (nodes) => nodes.map((n) => n.getAttribute('data-rendered')));
  assert.ok(states.length > 0 && states.every((s) => s === 'interactive'), JSON.stringify(states));
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, []);
  await page.screenshot({ path: join(artifacts, 'report-results.png'), fullPage: true });
  await context.close();
});
