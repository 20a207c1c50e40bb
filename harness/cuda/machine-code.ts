// The machine code of a kernel source, as a digest: compiled to a bare sm_90a cubin (the edit the
// source asks for applied, as the runner would load it), then the bytes of its kernels' `.text.*`
// sections hashed. Those bytes are the SASS that `cuobjdump -sass` lists (instructions with their
// control words), without the addresses and file names that vary; two sources with the same digest
// run the same instructions. Content-keyed under the cache folder like the fatbins (compile.ts).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { sha256 } from '../../core/hash.ts';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import { compiledText, type CudaKernelSource } from '../../kernels/cuda-source.ts';
import { parsePtxas, type PtxasReport } from './compile.ts';
import { elfSections, yieldFfma } from './sass.ts';
import type { Nvcc } from './toolchain.ts';

const run = promisify(execFile);

export interface MachineCode {
  /** SHA-256 of every `.text.*` section (name, then bytes), in section order. */
  sassHash: string;
  /** Instructions (16 bytes each) over those sections. */
  instructions: number;
  report: PtxasReport;
}

/** The digest of a cubin's kernel text sections. */
export function textDigest(elf: Buffer): { sassHash: string; instructions: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const section of elfSections(elf).filter((s) => s.name.startsWith('.text.'))) {
    hash.update(section.name).update(elf.subarray(section.offset, section.offset + section.size));
    bytes += section.size;
  }
  return { sassHash: hash.digest('hex'), instructions: bytes / 16 };
}

export async function machineCode(nvcc: Nvcc, source: CudaKernelSource, cacheDir: string): Promise<MachineCode> {
  const edit = source.sassPatch ? [source.sassPatch] : [];
  const key = sha256(JSON.stringify([nvcc.version, 'cubin', source.flags ?? [], compiledText(source.code), ...edit])).slice(0, 32);
  const dir = join(cacheDir, 'sass');
  const digestPath = join(dir, `${key}.json`);
  if (existsSync(digestPath)) return JSON.parse(readFileSync(digestPath, 'utf8')) as MachineCode;
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}`);
  const cu = `${temp}.cu`;
  writeFileSync(cu, source.code);
  try {
    const { stdout, stderr } = await run(nvcc.path, ['-cubin', ...(source.flags ?? []), '-Xptxas', '-v', '-o', temp, cu], { maxBuffer: 16 << 20 });
    const report = parsePtxas(`${stdout}\n${stderr}`);
    const elf = readFileSync(temp);
    if (source.sassPatch) report.sassPatch = yieldFfma(elf, source.sassPatch.ffmaYieldEvery);
    const code: MachineCode = { ...textDigest(elf), report };
    writeFileAtomic(digestPath, JSON.stringify(code));
    return code;
  } finally {
    rmSync(cu, { force: true });
    rmSync(temp, { force: true });
  }
}

/** Several at once, `parallel` nvcc processes at a time, in input order. */
export async function machineCodeAll(nvcc: Nvcc, sources: readonly CudaKernelSource[], cacheDir: string, parallel: number): Promise<MachineCode[]> {
  const results: MachineCode[] = new Array(sources.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const i = next++;
      results[i] = await machineCode(nvcc, sources[i], cacheDir);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, sources.length)) }, worker));
  return results;
}
