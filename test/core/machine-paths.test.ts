// Row error text names no place of this machine: the working directory, home folder and temporary
// folder are written as `.`, `~` and `$TMPDIR`.
import assert from 'node:assert/strict';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withoutMachinePaths } from '../../core/machine-paths.ts';

test('compiler and peer paths lose their machine-specific prefix', () => {
  const text = `nvcc failed: ${join(homedir(), '.cache/tilesweep/cuda/cubin/abc.cu')}(12): error; peer wrote ${join(tmpdir(), 'tilesweep-peer-x/out-c.bin')}; see ${join(process.cwd(), 'kernels/x.ts')}`;
  const clean = withoutMachinePaths(text);
  for (const place of [homedir(), tmpdir(), process.cwd()]) assert.ok(!clean.includes(`${place}/`), `${place} in ${clean}`);
  assert.match(clean, /~\/\.cache\/tilesweep\/cuda\/cubin\/abc\.cu/);
  assert.match(clean, /\.\/kernels\/x\.ts/);
});

test('text without such paths is unchanged', () => {
  assert.equal(withoutMachinePaths('ptxas: 40 bytes spill stores'), 'ptxas: 40 bytes spill stores');
});
