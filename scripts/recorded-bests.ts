// The configs that were best in the recorded H200 runs, as a fixture: for every results file of a
// CUDA fp8-gemm sweep (results/h200/fp8-gemm-*.json and .json.br, brotli), the fastest verified
// candidate per problem, and (files since run 30) each comparison's bestConfig; distinct configs
// (the same kernel however its flat fields were spelled) with the runs and shapes each was best at.
// Prints which config fields and values appear in none of them: the flags measured and never best.
// The per-run files left the tree when results/ was curated (092be0c); they are in it up to bfff253:
//
//   mkdir /tmp/runs && git archive bfff253 results/h200 | tar -x -C /tmp/runs
//   node --import tsx scripts/recorded-bests.ts /tmp/runs/results/h200 [--out FILE]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { fromFlat } from '../kernels/fp8-gemm/cuda/parse.ts';

type Flat = Record<string, unknown>;
type Problem = { M: number; N: number; K: number };
interface Row { role?: string; status?: string; medianMs?: number; problem: Problem; config: Flat }
interface File { runs?: Row[]; comparisons?: { problem: Problem; bestConfig?: Flat; bestMs?: number }[] }

/** Where a config was best: the run (the file's name without kernel and device) and the shape. */
export interface BestAt { run: string; problem: Problem; medianMs: number; by: 'fastest' | 'comparison' }
export interface RecordedBest { config: Flat; bestAt: BestAt[] }

/**
 * Fields at the value the kernel takes when they are absent (false flags, the 'threads' epilogue,
 * raster groups of 8, four blocks per in-turn trip, clusterAlong without a cluster) say nothing:
 * dropped, so that one kernel is one config whichever run spelled it.
 */
export function canonicalFlat(config: Flat): Flat {
  const out: Flat = {};
  for (const [key, value] of Object.entries(config).sort(([a], [b]) => a.localeCompare(b))) {
    if (value === false || value === undefined) continue;
    if (key === 'epilogue' && value === 'threads') continue;
    if (key === 'rasterGroup' && value === 8) continue;
    if (key === 'turnUnroll' && value === 4) continue;
    if (key === 'clusterAlong' && config.cluster === 1) continue;
    out[key] = value;
  }
  return out;
}

const runName = (file: string): string => file.replace(/^fp8-gemm-h200-/, '').replace(/\.json(\.br)?$/, '');

function readResults(path: string): File {
  const bytes = readFileSync(path);
  return JSON.parse((path.endsWith('.br') ? brotliDecompressSync(bytes) : bytes).toString('utf8')) as File;
}

/** The per-run results files of a folder (none once results/ is curated). */
export const runFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => /^fp8-gemm-h200-.*\.json(\.br)?$/.test(f)) : []);

export function recordedBests(dir: string): RecordedBest[] {
  const files = runFiles(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const byKey = new Map<string, RecordedBest>();
  const add = (config: Flat, at: BestAt): void => {
    const flat = canonicalFlat(config);
    const key = JSON.stringify(flat);
    const entry = byKey.get(key) ?? { config: flat, bestAt: [] };
    if (!entry.bestAt.some((b) => b.run === at.run && JSON.stringify(b.problem) === JSON.stringify(at.problem))) entry.bestAt.push(at);
    byKey.set(key, entry);
  };
  for (const file of files) {
    const results = readResults(join(dir, file));
    const run = runName(file);
    const fastest = new Map<string, Row>();
    for (const row of results.runs ?? []) {
      if (row.role !== 'candidate' || row.status !== 'ok' || typeof row.medianMs !== 'number') continue;
      const shape = JSON.stringify(row.problem);
      const best = fastest.get(shape);
      if (!best || row.medianMs < (best.medianMs as number)) fastest.set(shape, row);
    }
    for (const row of fastest.values()) add(row.config, { run, problem: row.problem, medianMs: row.medianMs as number, by: 'fastest' });
    for (const c of results.comparisons ?? []) {
      if (c.bestConfig) add(c.bestConfig, { run, problem: c.problem, medianMs: c.bestMs ?? NaN, by: 'comparison' });
    }
  }
  return [...byKey.values()];
}

/** Each field's values over a list of flat configs (absent counted as its own value). */
function valuesOf(configs: Flat[]): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const c of configs) for (const [k, v] of Object.entries(c)) {
    const set = values.get(k) ?? new Set<string>();
    set.add(JSON.stringify(v));
    values.set(k, set);
  }
  return values;
}

function main(): void {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : 'test/fixtures/kernels/fp8-gemm/cuda/recorded-bests.json';
  const dir = args.find((a, i) => !a.startsWith('--') && i !== outAt + 1) ?? 'results/h200';
  if (runFiles(dir).length === 0) {
    console.error(`${dir} holds no per-run results files (fp8-gemm-h200-*.json); they are in the tree up to bfff253`);
    process.exit(2);
  }
  const bests = recordedBests(dir);
  writeFileAtomic(out, `${JSON.stringify(bests, null, 1)}\n`);
  console.log(`${bests.length} distinct recorded bests from ${dir} -> ${out}`);
  // Every candidate ever measured, against the bests: which fields and values never won.
  const measured: Flat[] = [];
  for (const file of runFiles(dir)) {
    for (const row of readResults(join(dir, file)).runs ?? []) if (row.role === 'candidate' && row.status === 'ok') measured.push(canonicalFlat(row.config));
  }
  const won = valuesOf(bests.map((b) => b.config));
  const tried = valuesOf(measured);
  for (const [field, values] of [...tried].sort(([a], [b]) => a.localeCompare(b))) {
    const never = [...values].filter((v) => !won.get(field)?.has(v));
    if (never.length > 0) console.log(`${field}: measured ${[...values].join(' ')}; never best: ${never.join(' ')}`);
  }
  // The same in the sum type's terms: each main loop's options (a flag can win with one loop and
  // never with another), for the configs that convert.
  const refused = new Map<string, number>();
  const options = (configs: Flat[]): Map<string, Set<string>> => {
    const out = new Map<string, Set<string>>();
    for (const flat of configs) {
      let c: Record<string, unknown>;
      try {
        c = fromFlat(flat) as unknown as Record<string, unknown>;
      } catch (error) {
        const reason = (error as Error).message;
        refused.set(reason, (refused.get(reason) ?? 0) + 1);
        continue;
      }
      const loop = c.kernel === 'simt' ? 'simt' : String(c.loop);
      for (const key of ['overlapStore', 'waitAhead', 'stagger', 'scales', 'turnUnroll', 'epilogue', 'grid', 'swapAB', 'cluster']) {
        if (!(key in c)) continue;
        const set = out.get(`${loop} ${key}`) ?? new Set<string>();
        set.add(JSON.stringify(c[key]));
        out.set(`${loop} ${key}`, set);
      }
    }
    return out;
  };
  const wonOption = options(bests.map((b) => b.config));
  for (const [option, values] of options(measured)) {
    const never = [...values].filter((v) => !wonOption.get(option)?.has(v));
    if (never.length > 0) console.log(`${option}: measured ${[...values].join(' ')}; never best: ${never.join(' ')}`);
  }
  for (const [reason, count] of refused) console.log(`${count} measured configs no longer convert: ${reason}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
