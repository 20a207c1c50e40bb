// The dist builds of vega, vega-lite and vega-embed, read from node_modules so the page can inline
// them and work offline from file://. Their package exports hide build/, so the files are found on
// node's module search path rather than through resolve().
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export const vendorFiles = [
  { pkg: 'vega', file: 'build/vega.min.js' },
  { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
] as const;

function locate(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const path = join(dir, pkg, file);
    if (existsSync(path)) return path;
  }
  throw new Error(`${pkg}/${file} not found; run npm install`);
}

/** The three libraries' source, in load order, safe to place inside a <script> element. */
export function vendorScripts(): string[] {
  return vendorFiles.map(({ pkg, file }) => readFileSync(locate(pkg, file), 'utf8').replace(/<\/script/gi, '<\\/script'));
}
