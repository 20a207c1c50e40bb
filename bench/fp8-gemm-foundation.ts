// Benchmark (not a test: it writes results and prints figures, it asserts nothing about speed in
// the test suite). On the current adapter it runs, through the CLI as a user would:
//   1. an exhaustive sweep of a narrowed space on the `small` preset with an empty cache;
//   2. the same sweep again (served from the cache), timed end to end;
// and records: configs measured, ok rows verified, best vs slowest valid config, and the speed-up of
// the repeat. The sweep's results file goes to results/<device>/, the summary (not a results file)
// to bench/results/. Usage: node --import tsx bench/fp8-gemm-foundation.ts [RESULTS_DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { readResults } from '../core/results-file.ts';
import { rankRows } from '../tuner/sweep.ts';

const outDir = process.argv[2] ?? 'results/lavapipe';
const SPACE = ['BM=16,32', 'BN=32', 'TM=1,4', 'TN=1,4', 'BK=128', 'vec=1,4', 'stage=none,workgroup', 'decode=bits,table', 'arith=f32'];
const cache = mkdtempSync(join(tmpdir(), 'tilesweep-bench-'));

function sweep(out: string): number {
  const args = ['bin/tilesweep.js', 'tune', 'fp8-gemm', '--preset', 'small', '--strategy', 'exhaustive', ...SPACE.flatMap((p) => ['--param', p]), '--cache', cache, '--out', out];
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const seconds = (performance.now() - start) / 1e3;
  process.stdout.write(run.stdout);
  if (run.status !== 0) throw new Error(`sweep exited ${run.status}`);
  return seconds;
}

const first = join(cache, 'first.json');
const second = join(cache, 'second.json');
const coldSeconds = sweep(first);
const warmSeconds = sweep(second);
const a = readResults(first);
const b = readResults(second);
const ranked = rankRows(a.runs);
const summary = {
  benchmark: 'fp8-gemm-foundation',
  device: a.device,
  createdAt: new Date().toISOString(),
  preset: 'small',
  space: SPACE,
  configs: a.runs.length,
  ok: a.runs.filter((r) => r.status === 'ok').length,
  okVerified: a.runs.filter((r) => r.status === 'ok' && r.verified?.ok).length,
  bestMs: ranked[0]?.medianMs,
  slowestValidMs: ranked.at(-1)?.medianMs,
  bestOverSlowest: ranked.length > 1 ? ranked.at(-1)!.medianMs! / ranked[0].medianMs! : undefined,
  coldSeconds,
  warmSeconds,
  repeatSpeedup: coldSeconds / warmSeconds,
  repeatCachedRows: b.runs.filter((r) => r.cached).length,
};
mkdirSync(outDir, { recursive: true });
copyFileSync(first, join(outDir, 'fp8-gemm-small-exhaustive.json'));
writeFileAtomic(join('bench', 'results', `fp8-gemm-foundation-${a.device.fingerprint}.json`), `${JSON.stringify(summary, null, 1)}\n`);
console.log(JSON.stringify(summary, null, 1));
