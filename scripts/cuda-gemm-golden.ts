// The golden fixture of the recorded bests (test/fixtures/kernels/fp8-gemm/cuda/recorded-bests.json):
// for every best and every shape it was best at, the hash of its generated CUDA (without the header
// line that names the config) and, compiled for sm_90a, the digest of its machine code with ptxas's
// registers and spills. Captured once (commit 5a4b7e9) from the template as it was before the config
// became a sum type; the test test/kernels/fp8-gemm/cuda/recorded-bests.test.ts holds today's code to
// it. Running this again rewrites the golden from today's code: only on purpose (another nvcc).
//
//   node --import tsx scripts/cuda-gemm-golden.ts [--out FILE] [--parallel N]
import { readFileSync } from 'node:fs';
import { sha256 } from '../core/hash.ts';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { compiledText } from '../kernels/cuda-source.ts';
import { gemmCuda } from '../kernels/fp8-gemm/cuda/template.ts';
import { fromFlat } from '../kernels/fp8-gemm/cuda/parse.ts';
import { machineCodeAll } from '../harness/cuda/machine-code.ts';
import { cudaCacheDir, findNvcc } from '../harness/cuda/toolchain.ts';
import { H200_CAPS } from '../test/kernels/fp8-gemm/cuda/caps.ts';
import type { RecordedBest } from './recorded-bests.ts';

const FIXTURE = 'test/fixtures/kernels/fp8-gemm/cuda/recorded-bests.json';
const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const out = opt('--out', 'test/fixtures/kernels/fp8-gemm/cuda/golden.json');
const parallel = Number(opt('--parallel', '2'));

const nvcc = findNvcc();
if ('missing' in nvcc) {
  console.error(nvcc.missing);
  process.exit(2);
}
const bests = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RecordedBest[];
// Fields whose code has left the tree before this capture: such a best cannot be regenerated.
const GONE: Record<string, string> = { scalePrefetch: 'scalePrefetch left the code in 2b60865 (its code lives in 13fc0e4)' };
const cases = bests.flatMap((best) => {
  const gone = Object.keys(best.config).find((k) => k in GONE);
  const problems = [...new Map(best.bestAt.map((b) => [JSON.stringify(b.problem), b.problem])).values()];
  return problems.map((problem) => ({ config: best.config, problem, gone: gone ? GONE[gone] : undefined }));
});
const live = cases.filter((c) => !c.gone);
const sources = live.map((c) => gemmCuda(c.problem, fromFlat(c.config), H200_CAPS));
const sourceHashes = sources.map((s) => sha256(compiledText(s.code)));
// One compile per distinct source (the problem enters the body only through K's block count).
const distinct = [...new Map(sources.map((s, i) => [sourceHashes[i] + JSON.stringify(s.sassPatch ?? null), s])).entries()];
console.log(`${cases.length} (best, shape) cases, ${live.length} regenerable, ${distinct.length} distinct sources; compiling...`);
const started = Date.now();
const codes = await machineCodeAll(nvcc, distinct.map(([, s]) => s), cudaCacheDir(), parallel);
const byKey = new Map(distinct.map(([key], i) => [key, codes[i]]));
const golden = cases.map((c) => {
  if (c.gone) return { config: c.config, problem: c.problem, gone: c.gone };
  const i = live.indexOf(c);
  const code = byKey.get(sourceHashes[i] + JSON.stringify(sources[i].sassPatch ?? null))!;
  const r = code.report;
  return {
    config: c.config,
    problem: c.problem,
    sourceHash: sourceHashes[i],
    sassHash: code.sassHash,
    instructions: code.instructions,
    registers: r.registers,
    stackBytes: r.stackBytes,
    spillBytes: r.spillStoreBytes + r.spillLoadBytes,
    warnings: r.warnings.length,
  };
});
writeFileAtomic(out, `${JSON.stringify({ nvcc: nvcc.version, flags: sources[0]?.flags ?? [], cases: golden }, null, 1)}\n`);
const spilled = golden.filter((g) => 'spillBytes' in g && ((g.spillBytes ?? 0) > 0 || (g.stackBytes ?? 0) > 0));
console.log(`wrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s; ${spilled.length} with spills or stack`);
