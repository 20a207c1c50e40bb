// Dispatch tables built from recorded results (H200 and lavapipe): the best config per tuned problem,
// the nearest-shape rule, and the generated TypeScript module and C++ header picking exactly what the
// rule picks.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { readResults } from '../../../core/results-file.ts';
import type { ResultRow } from '../../../core/results.ts';
import { dispatchHeader } from '../../../tuner/dispatch/emit-cpp.ts';
import { dispatchModule } from '../../../tuner/dispatch/emit-ts.ts';
import { dispatchTables, nearestEntry, type DispatchTable } from '../../../tuner/dispatch/table.ts';

// The H200 file as of runs 48-53 (18 tuned shapes): a fixed set, so that the calls the curated file
// gains later (more shapes, other kernels) do not move what these tests pin.
const recorded = readResults('results/h200/fp8-gemm.json.br');
const files = [{ ...recorded, runs: recorded.runs.filter((r) => String(r.runId).startsWith('h200-run')) }, readResults('results/lavapipe/fp8-gemm.json')];
const tables = dispatchTables(files);
const h200 = tables.find((t) => t.device.name === 'NVIDIA H200')!;

test('one table per (device, kernel); each tuned problem gets the fastest ok candidate of the latest call that tuned it', () => {
  assert.deepEqual(tables.map((t) => `${t.kernel} ${t.device.backend}`).sort(), ['fp8-gemm cuda', 'fp8-gemm webgpu']);
  assert.equal(h200.entries.length, 18);
  assert.deepEqual(h200.dimensions, ['M', 'N', 'K']);
  // M=4096, N=2112 was tuned by runs 51, 52 and 53 (started in that order); M=64 only by run 51.
  const candidates = (M: number, runId: string) => files[0].runs.filter((r: ResultRow) => r.status === 'ok' && r.role === 'candidate' && !r.reference && r.problem.M === M && r.problem.N === 2112 && r.runId === runId);
  const entry = (M: number) => h200.entries.find((e) => e.problem.M === M && e.problem.N === 2112)!;
  assert.equal(entry(4096).runId, 'h200-run53');
  assert.equal(entry(4096).medianMs, Math.min(...candidates(4096, 'h200-run53').map((r) => r.medianMs!)));
  assert.equal(entry(64).runId, 'h200-run51');
  assert.equal(entry(64).medianMs, Math.min(...candidates(64, 'h200-run51').map((r) => r.medianMs!)));
});

test('the nearest-shape rule: exact when tuned, same N and K before anything else, log-nearest M, ties to the smaller M', () => {
  const at = (dims: number[]) => h200.entries[nearestEntry(h200.entries, dims)].dims;
  assert.deepEqual(at([128, 7168, 2048]), [128, 7168, 2048]);
  assert.deepEqual(at([100, 7168, 2048]), [128, 7168, 2048]);
  assert.deepEqual(at([2000, 7168, 2048]), [4096, 7168, 2048]);
  assert.deepEqual(at([1, 7168, 2048]), [64, 7168, 2048]);
  // Between 128 and 4096 in log2 (ratio 32 either way at sqrt(128*4096) = 724.08...): below goes to 128, above to 4096.
  assert.deepEqual(at([724, 7168, 2048]), [128, 7168, 2048]);
  assert.deepEqual(at([725, 7168, 2048]), [4096, 7168, 2048]);
  // An untuned layer: nearest by the sum of |log2 ratio| over M, N, K. N=3000, K=2048 is 1.26 from
  // (64, 7168, 2048), 2.26 from (64, 4096, 7168), 2.31 from (64, 2112, 7168).
  assert.deepEqual(at([64, 3000, 2048]), [64, 7168, 2048]);
  assert.deepEqual(at([5000, 7000, 2000]), [4096, 7168, 2048]);
  // Between M=64 and M=128 the log2 midpoint is 90.5: 90 goes down, 91 up.
  assert.deepEqual(at([90, 7168, 2048]), [64, 7168, 2048]);
  assert.deepEqual(at([91, 7168, 2048]), [128, 7168, 2048]);
  // An exact tie (128 is one octave from both 64 and 256) goes to the earlier entry, the smaller M.
  const tied = [{ dims: [64, 512, 512] }, { dims: [256, 512, 512] }];
  assert.equal(nearestEntry(tied, [128, 512, 512]), 0);
});

const queries = (table: DispatchTable): number[][] => {
  const ms = [1, 7, 16, 64, 90, 91, 100, 128, 300, 724, 725, 1000, 4096, 8192];
  const layers = [...table.entries.map((e) => e.dims.slice(1)), [3000, 2048], [512, 512], [24576, 7168], [129, 640]];
  return layers.flatMap((layer) => ms.map((m) => [m, ...layer]));
};

test('the generated TypeScript module picks what the rule picks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dispatch-ts-'));
  for (const table of tables) {
    const path = join(dir, `${table.kernel}-${table.device.backend}.ts`);
    writeFileSync(path, dispatchModule(table));
    const module = (await import(pathToFileURL(path).href)) as { nearest(d: number[]): { dims: number[]; config: object } };
    for (const q of queries(table)) {
      const expected = table.entries[nearestEntry(table.entries, q)];
      const got = module.nearest(q);
      assert.deepEqual([got.dims, got.config], [expected.dims, expected.config], `query ${q}`);
    }
  }
});

const gxx = spawnSync('g++', ['--version']).status === 0;

test('the generated C++ header compiles and picks what the rule picks', { skip: gxx ? false : 'no g++ on this machine' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dispatch-cpp-'));
  writeFileSync(join(dir, 'table.h'), dispatchHeader(h200));
  const qs = queries(h200);
  const ns = /namespace (fp8_gemm\w*) \{/.exec(dispatchHeader(h200))![1];
  writeFileSync(join(dir, 'main.cpp'), `#include "table.h"
#include <cstdio>
int main() {
  const long long queries[][3] = {${qs.map((q) => `{${q.join(', ')}}`).join(', ')}};
  for (const auto& q : queries) {
    const auto& e = tilesweep::${ns}::nearest(q);
    std::printf("%lld %lld %lld %d %d %d\\n", e.dims[0], e.dims[1], e.dims[2], e.config.blockM, e.config.blockN, e.config.stages);
  }
}
`);
  execFileSync('g++', ['-std=c++17', '-Wall', '-Werror', '-O1', '-o', join(dir, 'main'), join(dir, 'main.cpp')]);
  const lines = execFileSync(join(dir, 'main')).toString().trim().split('\n');
  assert.equal(lines.length, qs.length);
  qs.forEach((q, i) => {
    const e = h200.entries[nearestEntry(h200.entries, q)];
    assert.equal(lines[i], `${e.dims.join(' ')} ${e.config.blockM} ${e.config.blockN} ${e.config.stages}`, `query ${q}`);
  });
});
