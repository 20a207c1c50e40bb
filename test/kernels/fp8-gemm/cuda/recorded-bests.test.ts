// Every config that was the best of some (run, shape) in the recorded H200 runs (the fixture
// scripts/recorded-bests.ts extracts) is still expressible: its flat form converts to the sum type
// and passes the constraints at the shapes it was best at. Against the golden fixture that
// scripts/cuda-gemm-golden.ts captured before the config became a sum type, each one's generated
// CUDA is byte-identical (the header line naming the config aside) or, compiled for sm_90a, its
// machine code is (the .text bytes of the cubin: the SASS with its control words), with the same
// registers and no spills. The compile part is skipped with a message where nvcc is absent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sha256 } from '../../../../core/hash.ts';
import { machineCodeAll } from '../../../../harness/cuda/machine-code.ts';
import { cudaCacheDir, findNvcc } from '../../../../harness/cuda/toolchain.ts';
import { compiledText } from '../../../../kernels/cuda-source.ts';
import { fromFlat } from '../../../../kernels/fp8-gemm/cuda/parse.ts';
import { cudaGemmConstraints } from '../../../../kernels/fp8-gemm/cuda/space.ts';
import { gemmCuda } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { recordedBests, runFiles, type RecordedBest } from '../../../../scripts/recorded-bests.ts';
import { H200_CAPS } from './caps.ts';

const FIXTURES = 'test/fixtures/kernels/fp8-gemm/cuda';
type Shape = { M: number; N: number; K: number };
interface Golden {
  config: Record<string, unknown>;
  problem: Shape;
  gone?: string;
  sourceHash?: string;
  sassHash?: string;
  registers?: number;
  stackBytes?: number;
  spillBytes?: number;
  warnings?: number;
}
const bests = JSON.parse(readFileSync(`${FIXTURES}/recorded-bests.json`, 'utf8')) as RecordedBest[];
const golden = JSON.parse(readFileSync(`${FIXTURES}/golden.json`, 'utf8')) as { nvcc: string; cases: Golden[] };
const live = golden.cases.filter((c) => !c.gone);
const today = live.map((c) => gemmCuda(c.problem, fromFlat(c.config), H200_CAPS));
const changed = live.flatMap((c, i) => (sha256(compiledText(today[i].code)) === c.sourceHash ? [] : [i]));

// The per-run files left the tree when results/ was curated (092be0c); TILESWEEP_RUNS names a folder
// that holds them (`git archive bfff253 results/h200 | tar -x -C DIR`, then DIR/results/h200).
const runs = process.env.TILESWEEP_RUNS ?? 'results/h200';
test('the fixture holds the best config of every (run, shape) of the recorded results, when they are here', { skip: runFiles(runs).length > 0 ? false : `no per-run results files in ${runs} (set TILESWEEP_RUNS to results/h200 of a checkout of bfff253)` }, () => {
  assert.deepEqual(recordedBests(runs), bests);
});

test('every recorded best converts to the sum type and passes the constraints where it was best', () => {
  assert.ok(live.length >= 140, `${live.length} (best, shape) cases`);
  for (const c of live) {
    const config = fromFlat(c.config);
    const broken = cudaGemmConstraints(c.problem, H200_CAPS).filter((k) => !k.ok(config)).map((k) => k.name);
    assert.deepEqual(broken, [], `${JSON.stringify(c.config)} at ${JSON.stringify(c.problem)}`);
  }
  // The only best that cannot be regenerated is the one whose flag left the code before the capture.
  assert.deepEqual(golden.cases.filter((c) => c.gone).map((c) => Object.keys(c.config).filter((k) => k === 'scalePrefetch')), [['scalePrefetch']]);
  assert.throws(() => fromFlat(golden.cases.find((c) => c.gone)!.config), /scalePrefetch/);
});

const nvcc = findNvcc();
// Another nvcc compiles other machine code: the comparison with the golden needs the capture's.
const sameNvcc = !('missing' in nvcc) && nvcc.version === golden.nvcc;

/** Today's sources compiled (one compile per distinct source; the cache keeps the digests). */
async function compileToday() {
  if ('missing' in nvcc) throw new Error(nvcc.missing);
  const keys = today.map((s) => sha256(compiledText(s.code)) + JSON.stringify(s.sassPatch ?? null));
  const distinct = [...new Map(today.map((s, i) => [keys[i], s])).entries()];
  const codes = new Map((await machineCodeAll(nvcc, distinct.map(([, s]) => s), cudaCacheDir(), 2)).map((code, i) => [distinct[i][0], code]));
  return { distinct: distinct.length, code: (i: number) => codes.get(keys[i])! };
}
const what = (c: Golden) => `${JSON.stringify(c.config)} at ${JSON.stringify(c.problem)}`;

test('every recorded best compiles for sm_90a without spills, stack or ptxas warnings', { skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false }, async () => {
  const { code } = await compileToday();
  const problems = live.flatMap((c, i) => {
    const r = code(i).report;
    return r.spillStoreBytes + r.spillLoadBytes > 0 || r.stackBytes > 0 || r.warnings.length > 0 ? [`${what(c)}: stack ${r.stackBytes} B, spills ${r.spillStoreBytes}/${r.spillLoadBytes} B ${r.warnings.join(' ')}`] : [];
  });
  assert.deepEqual(problems, []);
});

test('every recorded best is source-identical or machine-code-identical to the golden capture, with its registers', {
  skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : sameNvcc ? false : `skipped: the golden machine code is ${golden.nvcc}'s, this nvcc is another (${nvcc.version})`,
}, async () => {
  const { distinct, code } = await compileToday();
  const problems = live.flatMap((c, i) => {
    const out: string[] = [];
    if (changed.includes(i) && code(i).sassHash !== c.sassHash) out.push(`${what(c)}: source and machine code both changed`);
    if (code(i).report.registers !== c.registers) out.push(`${what(c)}: ${code(i).report.registers} registers, golden ${c.registers}`);
    return out;
  });
  assert.deepEqual(problems, []);
  console.log(`${live.length} (best, shape) cases, ${distinct} distinct sources: ${live.length - changed.length} source-identical, ${changed.length} machine-code-identical`);
});
