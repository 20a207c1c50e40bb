// The layers point one way (ARCHITECTURE.md): core <- kernels <- harness <- tuner <- reports <- bin | web.
// A file may import its own layer and the layers below it, never one above; a family never imports a
// backend. bin (the CLI) and web (the page) are the two top layers, side by side. Imports are read as text (static `from '...'` and dynamic `import('...')` with a literal).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LAYERS = ['core', 'kernels', 'harness', 'tuner', 'reports', 'bin', 'web'] as const;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Relative specifiers a file imports, resolved to paths from the repository root. */
export function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => normalize(join(dirname(file), s)));
}

/** Rank of a path's layer; bin and web share the top rank. */
const layerOf = (path: string): number => {
  const layer = path.split('/')[0] as (typeof LAYERS)[number];
  return layer === 'web' ? LAYERS.indexOf('bin') : LAYERS.indexOf(layer);
};

/** Every import that points to a higher layer, as `file -> target`. */
export function upwardImports(files: readonly { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) =>
    importsOf(path, text)
      .filter((target) => layerOf(target) > layerOf(path))
      .map((target) => `${path} -> ${target}`));
}

test('no import points up a layer (core <- kernels <- harness <- tuner <- reports <- bin | web)', () => {
  const files = LAYERS.flatMap((layer) => sources(layer)).map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
  assert.ok(files.length > 100, `found only ${files.length} source files`);
  assert.deepEqual(upwardImports(files), []);
});

test('the check catches an upward import, static or dynamic', () => {
  const planted = [
    { path: 'kernels/x/index.ts', text: "import type { Backend } from '../../harness/backend.ts';" },
    { path: 'core/y.ts', text: "const m = await import('../tuner/sweep.ts');" },
    { path: 'tuner/z.ts', text: "import { families } from '../kernels/registry.ts';" },
    { path: 'reports/w.ts', text: "import { buildWeb } from '../web/build.ts';" },
    { path: 'web/v.ts', text: "import { runSweep } from '../tuner/sweep.ts';" },
  ];
  assert.deepEqual(upwardImports(planted), ['kernels/x/index.ts -> harness/backend.ts', 'core/y.ts -> tuner/sweep.ts', 'reports/w.ts -> web/build.ts']);
});
