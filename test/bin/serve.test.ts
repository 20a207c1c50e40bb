// `tilesweep serve`: bad input exits 2 with one line; --build-only writes the static page, whose
// bundles import nothing of Node.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/tilesweep.js', 'serve', ...args], { encoding: 'utf8', timeout: 120_000 });
const lines = (text: string) => text.trim().split('\n').filter((l) => !l.startsWith('Warning:') && !l.startsWith('built '));

for (const [name, args, pattern] of [
  ['a port that is no number', ['--port', 'http'], /--port "http" is not a whole number \(0 or more\)/],
  ['a port past 65535', ['--port', '70000'], /cannot serve on 127\.0\.0\.1:70000 \(not a port number\)/],
] as const) {
  test(`bad input exits 2: ${name}`, () => {
    const result = cli(...args);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, pattern);
    assert.equal(lines(result.stderr).length, 1, result.stderr);
  });
}

test('a port in use exits 2 naming it', async () => {
  const taken = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => taken.once('listening', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const result = cli('--port', String(port), '--out', mkdtempSync(join(tmpdir(), 'tilesweep-serve-')));
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`cannot serve on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`));
  } finally {
    taken.close();
  }
});

test('--build-only writes the page and its two bundles, free of Node imports, the sweep in the worker\'s only, and exits 0', () => {
  const out = mkdtempSync(join(tmpdir(), 'tilesweep-site-'));
  const result = cli('--build-only', '--out', out);
  assert.equal(result.status, 0, result.stderr);
  const files = readdirSync(out);
  for (const name of ['index.html', 'style.css', 'main.js', 'worker.js']) assert.ok(files.includes(name), `${name} in ${files.join(' ')}`);
  for (const name of ['main.js', 'worker.js']) assert.doesNotMatch(readFileSync(join(out, name), 'utf8'), /from\s*"node:|require\("node:/, name);
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /<script type="module" src="main.js">/);
  // The sweep and its verification live in the worker's bundle only: the page's thread cannot run them.
  const sweepText = 'output differs from the CPU reference';
  assert.ok(readFileSync(join(out, 'worker.js'), 'utf8').includes(sweepText));
  assert.ok(!readFileSync(join(out, 'main.js'), 'utf8').includes(sweepText));
});
