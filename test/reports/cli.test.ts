// `tilesweep report` end to end through the CLI: files written, exit codes, options reaching the figures.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const fixture = join(root, 'test', 'fixtures', 'reports', 'h200-fixture.json');
const dir = mkdtempSync(join(tmpdir(), 'tilesweep-report-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bin', 'cli.ts'), 'report', ...args], { cwd: root, encoding: 'utf8' });

test('writes index.html, summary.md and summary.json; --dollars-per-gpu-hour scales the cost figures', () => {
  const at2 = cli(fixture, '--out', join(dir, 'a'));
  assert.equal(at2.status, 0, at2.stderr);
  for (const f of ['index.html', 'summary.md', 'summary.json']) assert.ok(existsSync(join(dir, 'a', f)), f);
  const at3 = cli(fixture, '--out', join(dir, 'b'), '--dollars-per-gpu-hour', '3', '--context', '8192', '--gpu-memory', '96');
  assert.equal(at3.status, 0, at3.stderr);
  const a = JSON.parse(readFileSync(join(dir, 'a', 'summary.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(dir, 'b', 'summary.json'), 'utf8'));
  assert.equal(a.schema, 'tilesweep.report-summary/1');
  assert.ok(a.decode.length >= 2);
  a.decode.forEach((d: { dollarsPerMillionTokens: number }, i: number) =>
    assert.ok(Math.abs(b.decode[i].dollarsPerMillionTokens / d.dollarsPerMillionTokens - 1.5) < 1e-12),
  );
  // Twice the context, half the sequences (rounded down): MLA on an H200 198 -> 99.
  const mla = (s: { kvCache: { attention: string; maxBatchPerGpu: Record<string, { batch: number }> }[] }) =>
    s.kvCache.find((k) => k.attention === 'MLA')!.maxBatchPerGpu.H200.batch;
  assert.deepEqual([mla(a), mla(b)], [198, 99]);
  // A 96 GB GPU: 671 GB / 8 = 83.9 GB would pass 3/4 of 96 GB, so 16 GPUs (41.94 GB each) leave 54.06 GB of
  // cache per GPU; at 8192 tokens an MLA sequence needs 575.7 MB, so 93 fit (93.9).
  const custom = b.kvCache.find((k: { attention: string }) => k.attention === 'MLA').maxBatchPerGpu['96 GB'];
  assert.deepEqual(custom, { gpus: 16, batch: 93 });
});

test('a file that is not a results file exits 2 naming it', () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ schema: 'something-else' }));
  const r = cli(bad, '--out', join(dir, 'c'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json is not a tilesweep results file/);
  assert.ok(!existsSync(join(dir, 'c', 'index.html')));
});

test('bad option values exit 2', () => {
  const r = cli(fixture, '--out', join(dir, 'd'), '--dollars-per-gpu-hour', 'free');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--dollars-per-gpu-hour "free" is not a positive number/);
  assert.equal(cli(fixture).status, 2); // --out is required
});
