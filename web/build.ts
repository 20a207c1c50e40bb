// Builds the page into a folder of static files (index.html, style.css, main.js, worker.js) with
// esbuild: the same modules as the CLI, bundled for browsers. A Node-only module reaching the bundle
// (node:fs, Dawn's `webgpu`, the result cache) fails the build, so the page cannot quietly depend on one.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const STATIC_FILES = ['index.html', 'style.css'];

function commit(): string | undefined {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface WebBuild {
  dir: string;
  files: { name: string; bytes: number }[];
}

export async function buildWeb(dir: string): Promise<WebBuild> {
  mkdirSync(dir, { recursive: true });
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const info = { version, ...(commit() ? { commit: commit() } : {}) };
  await build({
    entryPoints: [join(here, 'main.ts'), join(here, 'worker.ts')],
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'silent',
    define: { TILESWEEP_BUILD: JSON.stringify(info) },
  });
  for (const name of STATIC_FILES) copyFileSync(join(here, name), join(dir, name));
  const names = [...STATIC_FILES, 'main.js', 'worker.js'];
  return { dir, files: names.map((name) => ({ name, bytes: statSync(join(dir, name)).size })) };
}
