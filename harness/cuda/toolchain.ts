// The machine's CUDA compiler, found at run time ($NVCC, then PATH, then /usr/local/cuda), and the
// cache folder for the runner binary and cubins. Nothing here assumes a GPU.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface Nvcc {
  path: string;
  /** The `release x.y, Vx.y.z` line: part of every cache key. */
  version: string;
}

function candidates(): string[] {
  const fromEnv = process.env.NVCC ? [process.env.NVCC] : [];
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'nvcc'));
  const fromHome = process.env.CUDA_HOME ? [join(process.env.CUDA_HOME, 'bin', 'nvcc')] : [];
  return [...fromEnv, ...fromPath, ...fromHome, '/usr/local/cuda/bin/nvcc'];
}

/** The nvcc to use (the first of `paths` that runs), or a one-line reason why there is none. */
export function findNvcc(paths: readonly string[] = candidates()): Nvcc | { missing: string } {
  for (const path of paths) {
    if (!existsSync(path)) continue;
    try {
      const out = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const version = out.split('\n').find((line) => line.includes('release')) ?? out.trim();
      return { path, version: version.trim() };
    } catch {
      continue;
    }
  }
  return { missing: 'nvcc not found ($NVCC, PATH, $CUDA_HOME/bin, /usr/local/cuda/bin)' };
}

export function cudaCacheDir(): string {
  if (process.env.TILESWEEP_CUDA_CACHE) return process.env.TILESWEEP_CUDA_CACHE;
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'tilesweep', 'cuda');
}
