// `tilesweep compile <kernel> --for DEVICE`: the CUDA sources a sweep of these problems over this
// space would build, generated from a device's figures (a named profile, harness/cuda/profiles.ts, or
// what `tilesweep devices --json` wrote on that machine) on a machine
// that need not have it, compiled with this machine's nvcc into the compile cache, and with --into
// copied to a folder that scripts/carry.sh packs for the GPU host, whose nvcc of the same version then
// finds them compiled (the cache is keyed by nvcc version, flags and source). Device time goes to
// measuring, not to nvcc. Every source is checked as CI checks them: a failed compile or a spill is
// listed and exits 1, so the command also gates a change's new configs.
import { Command } from 'commander';
import { join } from 'node:path';
import { checkOutputDir } from '../../core/output-path.ts';
import { message, UsageError } from '../../core/errors.ts';
import { compileAll, compileKey, copyCompiled, type CompileOutcome } from '../../harness/cuda/compile.ts';
import { CUDA_PROFILES, targetCapabilities } from '../../harness/cuda/profiles.ts';
import { cudaCacheDir, findNvcc } from '../../harness/cuda/toolchain.ts';
import { isCudaSource, type CudaKernelSource } from '../../kernels/cuda-source.ts';
import { familyByName, families } from '../../kernels/registry.ts';
import { parseParamOverrides } from '../../tuner/space.ts';
import { parseSpaceChoice } from '../../tuner/space-file.ts';
import { checkSpaceChoice, resolveSpace, targetOf } from '../../tuner/spaces.ts';
import { collect, namedProblems } from '../options.ts';

interface CompileFlags {
  for: string;
  preset?: string;
  shape?: string;
  space: string;
  param: string[];
  into?: string;
  json?: boolean;
}

/** A compile outcome that CI would reject: an error, a stack frame or spill, or a ptxas warning. */
const badOutcome = (o: CompileOutcome): string | undefined => {
  if (!o.ok) return o.error;
  const r = o.report;
  if (r.stackBytes > 0 || r.spillStoreBytes > 0 || r.spillLoadBytes > 0) return `stack ${r.stackBytes} B, spills ${r.spillStoreBytes}/${r.spillLoadBytes} B`;
  return r.warnings.length > 0 ? r.warnings.join(' ') : undefined;
};

export const compileCommand = new Command('compile')
  .description('compile ahead the CUDA sources a sweep would build, for a named device this machine need not have (into the compile cache, and a folder to carry)')
  .argument('<kernel>', `kernel family: ${Object.keys(families).join(', ')}`)
  .option('--for <device|file>', `the CUDA device whose figures generate the configs: ${Object.keys(CUDA_PROFILES).join(', ')}, or a file of \`tilesweep devices --json\` from that machine`, 'h200')
  .option('--preset <names>', 'named problems: one, a comma list, or patterns with *, e.g. dsv3-m4096-*')
  .option('--shape <dims>', 'problem dimensions, e.g. M=128,N=256,K=512; several with ; between them')
  .option('--space <name|file>', 'configs whose sources to compile: candidates, default, full, or a JSON file of configs', 'candidates')
  .option('--param <name=v1,v2>', 'restrict a space parameter to these values (repeatable)', collect, [])
  .option('--into <dir>', 'also copy the compiled binaries to DIR (scripts/carry.sh --cuda-cache DIR packs it for the GPU host)')
  .option('--json', 'print the summary as JSON')
  .action(async (kernel: string, flags: CompileFlags) => {
    const family = familyByName(kernel);
    const caps = targetCapabilities(flags.for);
    const space = parseSpaceChoice(flags.space);
    const params = parseParamOverrides(flags.param);
    if (!family.targets.cuda) throw new UsageError(message.compileNeedsCuda(family.name));
    checkSpaceChoice(family, 'cuda', space);
    const problems = namedProblems(family, flags.preset, flags.shape);
    if (!problems) throw new UsageError(message.compileNeedsProblem());
    if (flags.into) checkOutputDir(flags.into, '--into');
    const nvcc = findNvcc();
    if ('missing' in nvcc) throw new UsageError(message.nvccMissing(nvcc.missing));
    const target = targetOf(family, 'cuda');
    // One compile per distinct source: configs that differ only in launch arguments share a binary.
    const sources = new Map<string, { source: CudaKernelSource; config: object }>();
    let configs = 0;
    for (const problem of problems) {
      family.checkProblem(problem, caps);
      const search = resolveSpace({ family, target, problem, caps, choice: space, params });
      for (const config of search.all) {
        if (search.violations(config).length > 0) continue;
        configs++;
        const source = target.source(problem, config, caps);
        if (isCudaSource(source)) sources.set(compileKey(nvcc, source), { source, config });
      }
    }
    const list = [...sources.values()];
    const outcomes = await compileAll(nvcc, list.map((s) => s.source), cudaCacheDir());
    const bad = outcomes.flatMap((o, i) => {
      const why = badOutcome(o);
      return why === undefined ? [] : [{ config: list[i].config, why }];
    });
    if (flags.into) copyCompiled(outcomes, flags.into);
    const summary = {
      device: flags.for,
      nvcc: nvcc.version,
      problems: problems.length,
      configs,
      sources: list.length,
      compiled: outcomes.filter((o) => o.ok && !o.cached).length,
      cached: outcomes.filter((o) => o.ok && o.cached).length,
      failed: bad,
      ...(flags.into ? { into: flags.into } : {}),
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      console.log(`${family.name} for ${flags.for}: ${configs} configs over ${problems.length} problem(s), ${list.length} distinct sources: ${summary.compiled} compiled, ${summary.cached} already compiled, ${bad.length} failed or spilled (${nvcc.version})`);
      for (const b of bad) console.log(`  ${JSON.stringify(b.config)}: ${b.why}`);
      if (flags.into) console.log(`copied ${outcomes.filter((o) => o.ok).length} binaries to ${join(flags.into, 'cubin')}`);
    }
    if (bad.length > 0) process.exitCode = 1;
  });
