// Opens a report built from the fixtures, and one built from the committed results, in real headless
// Chromium (Debian's, installed by scripts/setup-browser.sh) through playwright-core: every chart
// renders to a non-empty SVG (folded sections opened first), nothing is logged as a warning or an
// error, no network request is made, results strings stay text. For the committed results also: the
// page is at most 3 MB, and every ratio in the headline equals the one computed here, independently,
// from the same call's rows of the results files; screenshots of the headline and the roofline go to
// docs/report/.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readResults } from '../../core/results-file.ts';
import { RESULTS_SCHEMA, type ResultRow, type ResultsFile } from '../../core/results.ts';
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
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
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
  page.waitForFunction(`[...document.querySelectorAll('[data-chart]')].every((n) => n.hasAttribute('data-rendered'))`, null, { timeout: 120_000 });

/** Opens every folded section (CPU adapters, each sweep, the calls), so every chart has a box to measure. */
const openAllDetails = (page: Page) => page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true; })`);

/** Each chart's state and size, and its drawn marks (bars, points, lines, labels with a real size). */
const chartBoxes = (page: Page) =>
  page.$$eval('[data-chart]', (nodes) =>
    nodes.map((n) => {
      const svg = n.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: n.getAttribute('data-chart'),
        rendered: n.getAttribute('data-rendered'),
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

test('every chart renders interactively to a non-empty SVG, without errors or network', async () => {
  const { page, errors, requests } = await open(true);
  const total = await page.locator('[data-chart]').count();
  assert.ok(total >= 8, `expected the fixture report to have charts, found ${total}`);
  await allChartsSettled(page);
  await openAllDetails(page);
  const charts = await chartBoxes(page);
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

test('every table saves as CSV: its header and rows, cells as shown', async () => {
  const { page, errors } = await open(true);
  const buttons = await page.locator('table.data button.csv').count();
  assert.equal(buttons, await page.locator('table.data').count());
  const table = page.locator('table.data', { hasText: 'Datasheet peaks' });
  const [download] = await Promise.all([page.waitForEvent('download'), table.locator('button.csv').click()]);
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'GPU,FP8,BF16,FP32 (non-tensor),HBM bandwidth,HBM,L2,SMs');
  assert.equal(lines.length, 4);
  assert.ok(lines[3].startsWith('H200,1979 TFLOP/s'), lines[3]);
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

// The committed measurements (results/**/*.json and the brotli-compressed results/**/*.json.br, H200
// and CPU adapter): CI builds their report, keeps it in test-artifacts/report/ and checks it the same
// way (TILESWEEP_RESULTS_DIR points it at another folder). Other JSON kept beside them (benchmark
// summaries) is not a results file and is left out. Skipped only while no results file is committed.
const resultsDir = process.env.TILESWEEP_RESULTS_DIR ?? join(import.meta.dirname, '..', '..', 'results');
const screenshots = join(import.meta.dirname, '..', '..', 'docs', 'report');
const isResultsFile = (path: string): boolean => {
  try {
    return readResults(path).schema === RESULTS_SCHEMA;
  } catch {
    return false;
  }
};
const committed = existsSync(resultsDir)
  ? readdirSync(resultsDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json') || f.endsWith('.json.br'))
      .map((f) => join(resultsDir, f))
      .filter(isResultsFile)
      .sort()
  : [];

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// Shapes as the headline writes them: MxNxK for a GEMM, the numeric dimensions as k=v otherwise.
const sameShape = (p: Readonly<Record<string, unknown>>, shape: string) =>
  (typeof p.M === 'number' && typeof p.N === 'number' && typeof p.K === 'number' && Object.keys(p).length === 3
    ? `${p.M}x${p.N}x${p.K}`
    : Object.entries(p).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k}=${v}`).join(' ')) === shape;
const okRow = (r: ResultRow): r is ResultRow & { medianMs: number } => r.status === 'ok' && typeof r.medianMs === 'number' && r.verified?.ok !== false;
const library = (r: ResultRow) =>
  r.role === 'baseline'
    ? `${r.config.library ?? r.config.implementation} (baseline)`
    : `${r.config.library ?? r.config.implementation}${typeof r.config.dtype === 'string' && r.config.dtype !== 'e4m3' ? ` ${r.config.dtype.toUpperCase()}` : ''}`;

/**
 * The ratio a headline cell should show, computed from the call's own data: an older file's
 * interleaved rounds (cuBLASLt), or rows of the call with rounds on both sides, or the call's medians
 * (best candidate against the peer's fastest). Candidate values for each, so the test does not
 * re-implement the report's preference, only checks that what it shows is one of these.
 */
function sameCallRatios(file: ResultsFile, runId: string | undefined, shape: string, peer: string): number[] {
  const rows = file.runs.filter((r) => (runId ? r.runId === runId : r.runId === undefined) && sameShape(r.problem, shape) && okRow(r)) as (ResultRow & { medianMs: number })[];
  const out: number[] = [];
  if (peer === 'cuBLASLt' && Array.isArray(file.comparisons)) {
    for (const c of file.comparisons as { problem: Record<string, number>; interleaved?: { oursMs: number[]; cublasLtMs: number[] } }[]) {
      if (sameShape(c.problem, shape) && c.interleaved?.oursMs?.length) out.push(median(c.interleaved.cublasLtMs) / median(c.interleaved.oursMs));
    }
  }
  const kernels = new Set(rows.filter((r) => r.role !== 'candidate' && library(r) === peer).map((r) => r.kernel));
  const ours = rows.filter((r) => r.role === 'candidate' && kernels.has(r.kernel));
  const theirs = rows.filter((r) => r.role !== 'candidate' && library(r) === peer);
  if (ours.length && theirs.length) {
    const roundsOurs = ours.filter((r) => r.rounds?.length).sort((a, b) => median(a.rounds!) - median(b.rounds!))[0];
    const roundsTheirs = theirs.find((r) => r.rounds?.length);
    if (roundsOurs && roundsTheirs) out.push(median(roundsTheirs.rounds!) / median(roundsOurs.rounds!));
    out.push(Math.min(...theirs.map((r) => r.medianMs)) / Math.min(...ours.map((r) => r.medianMs)));
  }
  return out;
}

test('the report of the committed results: at most 3 MB, every chart drawn, headline ratios from the same call', { skip: committed.length === 0 && 'no results file committed under results/ yet' }, async (t) => {
  const out = join(artifacts, 'report');
  const { files } = await writeReport(committed, out);
  const bytes = statSync(files.html).size;
  assert.ok(bytes <= 3 * 2 ** 20, `index.html is ${bytes} bytes`);
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && requests.push(r.url()));
  await page.goto(pathToFileURL(files.html).href, { waitUntil: 'load' });
  await allChartsSettled(page);
  await mkdir(screenshots, { recursive: true });
  await page.locator('#headline > table.headline').first().screenshot({ path: join(screenshots, 'headline.png') });
  await page.locator('#roofline figure.chart').first().screenshot({ path: join(screenshots, 'roofline.png') });
  await openAllDetails(page);
  const charts = await chartBoxes(page);
  assert.ok(charts.length > 0);
  for (const c of charts) {
    assert.equal(c.rendered, 'interactive', `chart ${c.id} was not rendered by vega-embed`);
    assert.ok(c.marks > 0 && c.flatAreas === 0 && c.width > 50 && c.height > 50, `chart ${c.id} is empty: ${JSON.stringify(c)}`);
  }
  // Every ratio the headline tables show, with its shape, peer and call, read from the page.
  const shown = await page.$$eval('table.headline', (tables) =>
    tables.flatMap((t) => {
      const peers = [...t.querySelectorAll('thead tr:first-child th[colspan]')].map((th) => th.textContent!.trim());
      return [...t.querySelectorAll('tbody tr')].flatMap((tr) => {
        const shape = tr.querySelector('th')!.textContent!.trim();
        const ratioCells = [...tr.querySelectorAll('td')].slice(1).filter((_, i) => i % 2 === 1);
        return ratioCells.flatMap((td, i) => {
          const ratio = td.querySelector('b')?.textContent;
          const call = td.querySelector('a')?.getAttribute('title')?.split(', ')[0];
          return ratio && call ? [{ shape, peer: peers[i], ratio: ratio.replace('x', ''), call }] : [];
        });
      });
    }),
  );
  assert.ok(shown.length > 0, 'the headline shows same-call ratios');
  const byLabel = new Map(committed.map((path) => [path.split('/').at(-1)!.replace(/\.json(\.br)?$/, ''), path]));
  for (const s of shown) {
    const path = byLabel.get(s.call);
    const runId = path ? undefined : s.call;
    const files = path ? [readResults(path)] : committed.map((p) => readResults(p)).filter((f) => f.runs.some((r) => r.runId === runId));
    const expected = files.flatMap((f) => sameCallRatios(f, runId, s.shape, s.peer)).map((r) => r.toFixed(3));
    assert.ok(expected.includes(s.ratio), `${s.shape} ${s.peer} in ${s.call}: page shows ${s.ratio}, the call's rows give ${expected.join(', ') || 'nothing'}`);
  }
  // Chart marks link to their table rows: a headline bar and a roofline point each land on a row of the page.
  for (const mark of ['#headline figure.chart g.role-mark.mark-rect path', '#roofline figure.chart g.role-mark.mark-symbol path']) {
    await page.evaluate(`history.replaceState(null, '', location.pathname)`);
    // Dispatched to the mark itself: a label drawn over a point must not take the click in the test.
    await page.locator(mark).first().dispatchEvent('click');
    await page.waitForFunction(`location.hash.length > 1`, null, { timeout: 5_000 });
    const target = await page.evaluate(`(() => { const el = document.getElementById(decodeURIComponent(location.hash.slice(1))); return el ? el.tagName : null; })()`);
    assert.ok(target === 'TR' || target === 'DETAILS', `${mark} led to ${target}`);
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, []);
  t.diagnostic(`${committed.length} results files; index.html ${bytes} bytes; ${charts.length} charts drawn; ${shown.length} headline ratios equal to their calls' own`);
  await page.screenshot({ path: join(artifacts, 'report-results.png'), fullPage: true });
  await context.close();
});
