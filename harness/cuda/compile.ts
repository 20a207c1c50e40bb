// Kernel sources to fatbins (cubins for real targets, PTX for JIT ones) with the machine's nvcc: content-keyed (nvcc version, flags, code
// without its provenance header) so a config compiled once serves every problem and every later
// run; written temp-then-rename; several compiles run in parallel. ptxas's resource report is
// kept with the cubin: registers, stack frame and spill bytes, which CI checks.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256 } from '../../core/hash.ts';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import { yieldFfma, type SassPatchReport } from './sass.ts';
import { compiledText, type CudaKernelSource } from '../../kernels/cuda-source.ts';
import type { Nvcc } from './toolchain.ts';

const run = promisify(execFile);

export interface PtxasReport {
  registers: number;
  stackBytes: number;
  spillStoreBytes: number;
  spillLoadBytes: number;
  /**
   * Warnings ptxas or nvcc printed, and ptxas's "Potential Performance Loss" notes, which it prints
   * as `info` (C7508 setmaxnreg ignored, C7514 WGMMAs serialized).
   */
  warnings: string[];
  /** Other numbered ptxas notes (C7517: a warpgroup.wait injected before a use of WGMMA results). */
  notes: string[];
  /** What the machine-code edit changed, when the source asked for one (sass.ts). */
  sassPatch?: SassPatchReport;
}

export type CompileOutcome =
  | { ok: true; cubin: string; key: string; report: PtxasReport; cached: boolean }
  | { ok: false; key: string; error: string };

/** ptxas's report of a module: the largest register count and stack frame of its functions, their spills summed. */
export function parsePtxas(log: string): PtxasReport {
  // A module may hold several kernels (a split kernel and its combine kernel): each has its own lines.
  const all = (re: RegExp): number[] => [...log.matchAll(re)].map((m) => Number(m[1]));
  const most = (re: RegExp): number => Math.max(0, ...all(re));
  const sum = (re: RegExp): number => all(re).reduce((a, b) => a + b, 0);
  return {
    registers: most(/Used (\d+) registers/g),
    stackBytes: most(/(\d+) bytes stack frame/g),
    spillStoreBytes: sum(/(\d+) bytes spill stores/g),
    spillLoadBytes: sum(/(\d+) bytes spill loads/g),
    warnings: log.split('\n').filter((line) => /warning|Performance Loss/i.test(line)),
    notes: log.split('\n').filter((line) => /\(C\d{4}\)/.test(line) && !/warning|Performance Loss/i.test(line)),
  };
}

/** The compiled binaries and their ptxas reports copied to DIR/cubin, laid out as the cache holds them (scripts/carry.sh --cuda-cache packs DIR); the count copied. */
export function copyCompiled(outcomes: readonly CompileOutcome[], dir: string): number {
  mkdirSync(join(dir, 'cubin'), { recursive: true });
  let copied = 0;
  for (const o of outcomes) {
    if (!o.ok) continue;
    copyFileSync(o.cubin, join(dir, 'cubin', `${o.key}.fatbin`));
    copyFileSync(o.cubin.replace(/\.fatbin$/, '.ptxas.json'), join(dir, 'cubin', `${o.key}.ptxas.json`));
    copied++;
  }
  return copied;
}

export function compileKey(nvcc: Nvcc, source: CudaKernelSource): string {
  const edit = source.sassPatch ? [source.sassPatch] : [];
  return sha256(JSON.stringify([nvcc.version, 'fatbin', source.flags ?? [], compiledText(source.code), ...edit])).slice(0, 32);
}

export async function compileCubin(nvcc: Nvcc, source: CudaKernelSource, cacheDir: string): Promise<CompileOutcome> {
  const key = compileKey(nvcc, source);
  const dir = join(cacheDir, 'cubin');
  const cubin = join(dir, `${key}.fatbin`);
  const reportPath = join(dir, `${key}.ptxas.json`);
  if (existsSync(cubin) && existsSync(reportPath)) {
    return { ok: true, cubin, key, report: JSON.parse(readFileSync(reportPath, 'utf8')) as PtxasReport, cached: true };
  }
  mkdirSync(dir, { recursive: true });
  const temp = `${cubin}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  const cu = `${temp}.cu`;
  writeFileSync(cu, source.code);
  try {
    // A machine-code edit needs the bare cubin (one real target), not a fatbin around it.
    const { stdout, stderr } = await run(nvcc.path, [source.sassPatch ? '-cubin' : '-fatbin', ...(source.flags ?? []), '-Xptxas', '-v', '-o', temp, cu], {
      maxBuffer: 16 << 20,
    });
    const report = parsePtxas(`${stdout}\n${stderr}`);
    if (source.sassPatch) {
      const elf = readFileSync(temp);
      report.sassPatch = yieldFfma(elf, source.sassPatch.ffmaYieldEvery);
      writeFileSync(temp, elf);
    }
    renameSync(temp, cubin);
    writeFileAtomic(reportPath, JSON.stringify(report));
    return { ok: true, cubin, key, report, cached: false };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const text = (e.stderr ?? e.message).split('\n').filter((l) => /error/i.test(l));
    return { ok: false, key, error: (text.length > 0 ? text.slice(0, 5).join(' | ') : e.message).replaceAll(cu, '<source>') };
  } finally {
    rmSync(cu, { force: true });
    rmSync(temp, { force: true });
  }
}

/** Compiles several sources at once, `parallel` nvcc processes at a time, results in input order. */
export async function compileAll(
  nvcc: Nvcc,
  sources: readonly CudaKernelSource[],
  cacheDir: string,
  parallel = availableParallelism(),
): Promise<CompileOutcome[]> {
  const results: CompileOutcome[] = new Array(sources.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const i = next++;
      results[i] = await compileCubin(nvcc, sources[i], cacheDir);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, sources.length)) }, worker));
  return results;
}
