// Large inputs: nothing on the way from results files to the report spreads a whole row list into
// one call (a stack overflow past ~125k rows), and what a report loads at once is bounded, refused
// past the limit with a message that names it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { resultsFile } from '../../core/results.ts';
import type { ResultRow } from '../../core/results.ts';
import { rooflineSpec } from '../../reports/charts/roofline.ts';
import { compareRuns } from '../../reports/gate/compare.ts';
import { loadResults as loadGateResults } from '../../reports/gate/load.ts';
import { renderMarkdown } from '../../reports/gate/render-markdown.ts';
import { renderTable } from '../../reports/gate/render-table.ts';
import { DEFAULT_GATE_OPTIONS, type GatePair } from '../../reports/gate/types.ts';
import { collectDevices } from '../../reports/model/devices.ts';
import { loadResults, MAX_REPORT_ROWS } from '../../reports/model/load.ts';
import type { RooflinePoint } from '../../reports/model/points.ts';
import { FIXTURE_DIR } from '../fixtures/gate/make-fixtures.ts';

const device = { backend: 'webgpu' as const, name: 'llvmpipe', vendor: 'mesa', driver: 'Mesa 25', fingerprint: 'abc' };
const invalid = { kernel: 'k', problem: {}, config: {}, role: 'candidate', status: 'invalid', error: 'e', flops: 0, bytes: 0 } as ResultRow;

test('rows of many large files are collected without spreading them into one call', () => {
  const runs = new Array<ResultRow>(200_000).fill(invalid);
  const file = resultsFile(device, runs, '0.0.0');
  const [merged] = collectDevices([{ path: 'a.json', file }, { path: 'b.json', file }]);
  assert.equal(merged.rows.length, 400_000);
});

test('the roofline spans a few hundred thousand points', () => {
  const [reportDevice] = collectDevices([{ path: 'a.json', file: resultsFile(device, [], '0.0.0') }]);
  const points = Array.from({ length: 300_000 }, (_, i): RooflinePoint => ({
    deviceKey: reportDevice.key, kernel: 'fp8-gemm', problem: { M: 1 }, problemLabel: 'M=1', configLabel: `c${i}`, precision: 'fp8',
    intensity: 1 + (i % 1000), achieved: 1e9, medianMs: 1, best: false,
  }));
  const spec = rooflineSpec(reportDevice, points) as { layer?: unknown[] };
  assert.ok(spec);
});

test('files holding more rows together than the report limit are refused, naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-large-'));
  const half = Math.ceil(MAX_REPORT_ROWS / 2) + 1;
  const paths = ['a.json', 'b.json'].map((name) => join(dir, name));
  for (const path of paths) writeFileSync(path, JSON.stringify(resultsFile(device, new Array<ResultRow>(half).fill(invalid), '0.0.0')));
  assert.throws(() => loadResults(paths), (e: Error) => e instanceof UsageError && e.message.includes(`${MAX_REPORT_ROWS} rows`) && !e.message.includes('\n'));
});

test('the gate renders a few hundred thousand pairs without spreading them into one call', () => {
  const side = (name: string) => ({ path: name, results: loadGateResults(join(FIXTURE_DIR, 'a-a-noise', `${name}.json`)) });
  const report = compareRuns(side('baseline'), side('current'), DEFAULT_GATE_OPTIONS);
  const many = { ...report, pairs: new Array<GatePair>(300_000).fill(report.pairs[0]) };
  assert.equal(renderMarkdown(many).split('\n').filter((l) => l.startsWith('| **same**')).length, 300_000);
  assert.equal(renderTable(many).split('\n').filter((l) => l.startsWith('SAME')).length, 300_000);
});
