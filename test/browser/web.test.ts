// The web page (web/) in real headless Chromium with WebGPU (Debian's chromium, --enable-unsafe-webgpu:
// SwiftShader, timestamp-query, no shader-f16), served by `tilesweep serve` from 127.0.0.1 as a user
// would: a small sweep of every WGSL family finishes with every row verified; the downloaded results
// validate against the schema and `tilesweep report` and `gate` accept them; the dispatch table holds
// the fastest verified config per problem; nothing is logged as an error. Then a device destroyed from
// outside mid-sweep is shown as lost and the rows measured before it stay downloadable; a browser without
// an adapter is told so. Screenshots of a running sweep and of the finished page are kept in
// test-artifacts/web/ (copies of a run: docs/web/).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page, type Worker } from 'playwright-core';
import { resultsErrors } from '../../core/results-schema.ts';
import type { ResultRow, ResultsFile } from '../../core/results.ts';
import type { DispatchTable } from '../../web/dispatch.ts';

const chromiumPath = '/usr/bin/chromium';
const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'bin', 'tilesweep.js');
const artifacts = join(repo, 'test-artifacts', 'web');

/** One small problem per WGSL family that SwiftShader (no shader-f16) runs in seconds. */
const SWEEPS = [
  { kernel: 'fp8-gemm', preset: 'tiny' },
  { kernel: 'mla-decode', preset: 'tiny-f32' },
  { kernel: 'mha-decode', preset: 'tiny-mha-f32' },
  { kernel: 'grouped-gemm', preset: 'tiny-contiguous' },
  { kernel: 'copy', preset: 'small' },
] as const;
const BUDGET = 3;

let server: ChildProcess;
let url: string;
let browser: Browser;
let dir: string;

before(async () => {
  assert.ok(existsSync(chromiumPath), `${chromiumPath} missing: run scripts/setup-browser.sh`);
  dir = await mkdtemp(join(tmpdir(), 'tilesweep-web-'));
  await mkdir(artifacts, { recursive: true });
  server = spawn(process.execPath, [cli, 'serve', '--port', '0', '--out', join(dir, 'site')], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) resolve(match[1]);
    });
    server.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    server.on('exit', (code) => reject(new Error(`tilesweep serve exited ${code}: ${err}`)));
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  worker: Worker;
  errors: string[];
  requests: string[];
}

async function open(): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  const workerCreated = page.waitForEvent('worker');
  await page.goto(url, { waitUntil: 'load' });
  const worker = await workerCreated;
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', await page.locator('#adapter').innerText());
  return { page, worker, errors, requests };
}

async function startSweep(page: Page, kernel: string, preset: string, budget: number): Promise<void> {
  await page.selectOption('select[name=kernel]', kernel);
  await page.selectOption('select[name=preset]', preset);
  await page.selectOption('select[name=strategy]', 'random');
  await page.fill('input[name=budget]', String(budget));
  await page.fill('input[name=timeMs]', '20');
  await page.click('#start');
}

const outcome = async (page: Page): Promise<string> => {
  await page.waitForFunction(() => document.body.dataset.outcome !== undefined, null, { timeout: 300_000 });
  return (await page.evaluate(() => document.body.dataset.outcome))!;
};

async function downloadJson<T>(page: Page, button: string, name: string): Promise<{ value: T; path: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const path = join(dir, name);
  await download.saveAs(path);
  return { value: JSON.parse(readFileSync(path, 'utf8')) as T, path };
}

const run = promisify(execFile);

test('a small sweep of every WGSL family verifies every row; its results and dispatch table download and the CLI accepts them', { timeout: 900_000 }, async () => {
  const { page, errors, requests } = await open();
  const adapter = await page.locator('#adapter').innerText();
  assert.match(adapter, /timestamp-query\s+yes/);
  assert.match(adapter, /shader-f16\s+no/);
  assert.match(await page.locator('#notices').innerText(), /Timer: GPU timestamps[\s\S]*No shader-f16/);
  // A preset with f16 operands is not offered on an adapter without shader-f16.
  await page.selectOption('select[name=kernel]', 'mla-decode');
  const presets = await page.locator('select[name=preset] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  assert.ok(presets.includes('tiny-f32'), presets.join(' '));
  assert.equal(await page.locator('select[name=preset] option[value=tiny]').evaluate((o) => (o as HTMLOptionElement).disabled), true, 'tiny (f16) is greyed out');

  const perFamily: Record<string, number> = {};
  for (const [i, { kernel, preset }] of SWEEPS.entries()) {
    const before = await page.locator('#rows tbody tr').count();
    await startSweep(page, kernel, preset, BUDGET);
    if (i === 1) {
      // Mid-sweep, with the first family's points and best-so-far line already drawn.
      await page.waitForFunction((n) => document.querySelectorAll('#rows tbody tr').length > n, before, { timeout: 120_000 });
      await page.evaluate(() => document.querySelector('#progress')!.scrollIntoView());
      await page.screenshot({ path: join(artifacts, 'running.png') });
    }
    assert.equal(await outcome(page), 'done', await page.locator('#status').innerText());
    perFamily[kernel] = (await page.locator('#rows tbody tr').count()) - before;
  }
  await page.evaluate(() => document.querySelector('#progress')!.scrollIntoView());
  await page.screenshot({ path: join(artifacts, 'finished.png') });

  const { value: file, path } = await downloadJson<ResultsFile>(page, '#download-results', 'results.json');
  assert.equal(resultsErrors(file), undefined);
  assert.equal(file.device.backend, 'webgpu');
  for (const { kernel } of SWEEPS) {
    const rows = file.runs.filter((r) => r.kernel === kernel);
    assert.equal(rows.length, perFamily[kernel], `${kernel}: the file holds the rows the page showed`);
    assert.equal(rows.length, BUDGET, `${kernel}: ${BUDGET} configs measured`);
    for (const row of rows) {
      assert.equal(row.status, 'ok', `${kernel} ${JSON.stringify(row.config)}: ${row.error}`);
      assert.equal(row.verified?.ok, true, `${kernel} ${JSON.stringify(row.config)} verified`);
      assert.equal(row.timer, 'gpu-timestamp');
      assert.ok(row.medianMs! > 0 && row.samplesMs!.length > 0);
      assert.ok(row.runId && file.calls?.[row.runId], 'every row names a call of the file');
    }
  }
  assert.equal(Object.keys(file.calls!).length, SWEEPS.length, 'one call per sweep');
  console.log(`rows per family, all ok and verified: ${JSON.stringify(perFamily)}`);

  const { value: tables } = await downloadJson<DispatchTable[]>(page, '#download-dispatch', 'dispatch.json');
  assert.deepEqual(tables.map((t) => t.kernel), SWEEPS.map((s) => s.kernel).sort());
  for (const table of tables) {
    assert.equal(table.schema, 'tilesweep.dispatch/1');
    assert.equal(table.entries.length, 1);
    const fastest = file.runs.filter((r) => r.kernel === table.kernel).reduce((a, b) => (b.medianMs! < a.medianMs! ? b : a));
    assert.deepEqual(table.entries[0].config, fastest.config);
  }

  // The CLI reads the downloaded file unchanged.
  const report = await run(process.execPath, [cli, 'report', path, '--out', join(dir, 'report')]);
  assert.match(report.stdout, new RegExp(`1 file\\(s\\), 1 device\\(s\\), ${SWEEPS.length * BUDGET} rows`));
  await run(process.execPath, [cli, 'gate', '--baseline', path, '--current', path]);

  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((r) => !r.startsWith(url) && !r.startsWith('blob:') && !r.startsWith('data:')), [], 'no request leaves the page\'s own server');
});

test('a device lost mid-sweep is shown as lost and the rows before it stay downloadable', { timeout: 600_000 }, async () => {
  const { page, worker, errors } = await open();
  // The test's stand-in for a driver reset: keep the devices the worker creates, to destroy one.
  await worker.evaluate(() => {
    const scope = self as unknown as { devices: GPUDevice[] };
    scope.devices = [];
    const request = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
      const device = await request.call(this, descriptor);
      scope.devices.push(device);
      return device;
    };
  });
  await startSweep(page, 'fp8-gemm', 'tiny', 12);
  await page.waitForFunction(() => document.querySelectorAll('#rows tbody tr').length >= 2, null, { timeout: 300_000 });
  await worker.evaluate(() => (self as unknown as { devices: GPUDevice[] }).devices.at(-1)!.destroy());
  assert.equal(await outcome(page), 'lost', await page.locator('#status').innerText());
  assert.match(await page.locator('[data-notice=lost]').innerText(), /device was lost/);
  const shown = await page.locator('#rows tbody tr').count();
  assert.ok(shown >= 2 && shown < 12, `${shown} rows`);
  await page.screenshot({ path: join(artifacts, 'lost.png'), fullPage: true });

  const { value: file } = await downloadJson<ResultsFile>(page, '#download-results', 'lost.json');
  assert.equal(resultsErrors(file), undefined);
  assert.equal(file.runs.length, shown);
  const beforeLoss: ResultRow[] = file.runs.slice(0, 2);
  for (const row of beforeLoss) assert.ok(row.status === 'ok' && row.verified?.ok, JSON.stringify(row));
  console.log(`lost device: ${shown} rows kept (${file.runs.map((r) => r.status).join(', ')}); console errors: ${JSON.stringify(errors)}`);

  // The next sweep opens a new device, as the notice says.
  await startSweep(page, 'fp8-gemm', 'tiny', 1);
  assert.equal(await outcome(page), 'done', await page.locator('#status').innerText());
  assert.equal(await page.locator('#rows tbody tr.status-ok').count(), (await page.locator('#rows tbody tr').count()));
  assert.deepEqual(errors, []);
});

test('Stop ends the sweep after the config in flight; the page takes the next sweep, from a preset or a shape', { timeout: 600_000 }, async () => {
  const { page, errors } = await open();
  await startSweep(page, 'copy', 'small', 12);
  await page.waitForFunction(() => document.querySelectorAll('#rows tbody tr').length >= 1, null, { timeout: 300_000 });
  await page.click('#stop');
  assert.equal(await outcome(page), 'stopped', await page.locator('#status').innerText());
  const stopped = await page.locator('#rows tbody tr').count();
  assert.ok(stopped >= 1 && stopped < 12, `${stopped} rows`);
  await startSweep(page, 'copy', 'small', 1);
  assert.equal(await outcome(page), 'done');
  assert.equal(await page.locator('#rows tbody tr').count(), stopped + 1);

  // A shape instead of a preset, checked as the CLI checks --shape: a bad one is said, a good one runs.
  await page.selectOption('select[name=kernel]', 'fp8-gemm');
  await page.fill('input[name=shape]', 'M=32,N=64,K=100');
  await startSweep(page, 'fp8-gemm', '', 1);
  assert.equal(await outcome(page), 'failed');
  assert.match(await page.locator('#status').innerText(), /Could not sweep: .*K=100 is not a multiple of 16/);
  await page.fill('input[name=shape]', 'M=16,N=32,K=128');
  await startSweep(page, 'fp8-gemm', '', 1);
  assert.equal(await outcome(page), 'done', await page.locator('#status').innerText());
  assert.match(await page.locator('#rows tbody tr').last().innerText(), /M=16,N=32,K=128[\s\S]*ok/);
  assert.deepEqual(errors, []);
});

test('a browser that gives no WebGPU adapter is told so, with what to do', { timeout: 120_000 }, async () => {
  const plain = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await plain.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'unavailable');
    assert.match(await page.locator('#adapter').innerText(), /No WebGPU here: no WebGPU adapter found .*--enable-unsafe-webgpu/);
    assert.equal(await page.locator('#start').isDisabled(), true);
    assert.deepEqual(errors, []);
  } finally {
    await plain.close();
  }
});
