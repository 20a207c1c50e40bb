// Builds the runner (runner/*.cpp, *.h) with the machine's nvcc on first use, cached by content:
// the binary's name is a hash of its sources and the nvcc version, so an edit rebuilds it and an
// unchanged runner is never rebuilt.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sha256 } from '../../core/hash.ts';
import type { Nvcc } from './toolchain.ts';

const run = promisify(execFile);

/** Where the runner's sources are: beside this module, or $TILESWEEP_CUDA_RUNNER_SRC (bundles). */
export function runnerSourceDir(): string {
  return process.env.TILESWEEP_CUDA_RUNNER_SRC ?? fileURLToPath(new URL('./runner/', import.meta.url));
}

export async function buildRunner(nvcc: Nvcc, cacheDir: string): Promise<string> {
  const dir = runnerSourceDir();
  const files = readdirSync(dir).filter((f) => /\.(cpp|h)$/.test(f)).sort();
  const key = sha256(JSON.stringify([nvcc.version, ...files.map((f) => [f, readFileSync(join(dir, f), 'utf8')])])).slice(0, 24);
  const binary = join(cacheDir, `runner-${key}`);
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const temp = `${binary}.${process.pid}.tmp`;
  await run(nvcc.path, ['-O2', '-std=c++17', '-o', temp, join(dir, 'runner.cpp'), '-ldl', '-lpthread'], { maxBuffer: 16 << 20 });
  renameSync(temp, binary);
  return binary;
}
