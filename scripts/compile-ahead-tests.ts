// Usage: node --import tsx scripts/compile-ahead-tests.ts DIR
// Compiles here, for the H200's figures, the sources the decode and grouped GEMM GPU tests build
// (test/gpu/kernels/decode.test.ts, grouped-gemm/cuda.test.ts), from the same case tables
// (decode-cases.ts, grouped-gemm/cases.ts; the dense-per-group baseline's too), into the compile cache
// and DIR/cubin, as scripts/compile-ahead.sh does for the plans: `scripts/gpu-host.sh test decode
// grouped-gemm` then finds them in the host's cache instead of spending device time on nvcc. It
// measures nothing.
import { join } from 'node:path';
import { compileAll, copyCompiled } from '../harness/cuda/compile.ts';
import { targetCapabilities } from '../harness/cuda/profiles.ts';
import { cudaCacheDir, findNvcc } from '../harness/cuda/toolchain.ts';
import { isCudaSource, type CudaKernelSource } from '../kernels/cuda-source.ts';
import { families } from '../kernels/registry.ts';
import { densePerGroup } from '../kernels/grouped-gemm/cuda/peers.ts';
import { decodeCompileCases } from '../test/gpu/kernels/decode-cases.ts';
import { baselineProblems, groupedCases } from '../test/gpu/kernels/grouped-gemm/cases.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node --import tsx scripts/compile-ahead-tests.ts DIR');
  process.exit(2);
}
const nvcc = findNvcc();
if ('missing' in nvcc) {
  console.error(`compile-ahead-tests: ${nvcc.missing}`);
  process.exit(2);
}
const caps = targetCapabilities('h200');
const sources: CudaKernelSource[] = [];
const tables: { family: string; cases: readonly { problem: object; configs: readonly object[] }[] }[] = [
  ...decodeCompileCases(caps),
  { family: 'grouped-gemm', cases: groupedCases(caps) },
];
for (const { family, cases } of tables) {
  const target = families[family].targets.cuda!;
  for (const { problem, configs } of cases) {
    for (const config of configs) {
      const source = target.source(problem, config, caps);
      if (isCudaSource(source)) sources.push(source);
    }
  }
}
for (const problem of baselineProblems()) sources.push(densePerGroup(problem, caps));
const outcomes = await compileAll(nvcc, sources, cudaCacheDir());
const failed = outcomes.filter((o) => !o.ok);
for (const o of failed) if (!o.ok) console.error(`compile-ahead-tests: ${o.error.split('\n')[0]}`);
copyCompiled(outcomes, dir);
console.log(`decode and grouped GPU tests for h200: ${sources.length} sources, ${outcomes.filter((o) => o.ok && !o.cached).length} compiled, ${outcomes.filter((o) => o.ok && o.cached).length} already compiled, ${failed.length} failed; copied to ${join(dir, 'cubin')}`);
process.exitCode = failed.length > 0 ? 1 : 0;
