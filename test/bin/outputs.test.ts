// Outputs that cannot be written are bad input: exit 2 with one line naming the flag and the path,
// before any device opens (Dawn prints its adapter warnings the moment one is requested, so their
// absence shows it) and before any row runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'tilesweep-outputs-'));
mkdirSync(join(dir, 'folder'));
writeFileSync(join(dir, 'file'), 'x');

// A hang (recursive mkdir under /proc spins) is a failure, not a wait: the child is stopped after 2 minutes.
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/tilesweep.js', ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') } });

function refused(args: string[], pattern: RegExp): void {
  const result = cli(...args);
  assert.equal(result.status, 2, `${args.join(' ')}: status ${result.status} signal ${result.signal}\n${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^tilesweep: /);
  assert.match(lines[0], pattern);
}

const tune = ['tune', 'fp8-gemm', '--preset', 'tiny', '--budget', '1'];

test('tune: --out a folder, under a file, or under /proc is refused before the device opens', () => {
  refused([...tune, '--out', join(dir, 'folder')], /--out .*folder.* is a folder/);
  refused([...tune, '--out', join(dir, 'file', 'r.json')], /--out .* is a file, not a folder/);
  refused([...tune, '--out', '/proc/self/r.json'], /--out \/proc\/self\/r\.json/);
  refused([...tune, '--out', '/sys/r.json'], /--out \/sys\/r\.json/);
});

test('tune: --cache a file or under /proc is refused before the device opens', () => {
  refused([...tune, '--out', join(dir, 'ok.json'), '--cache', join(dir, 'file')], /--cache .* is a file, not a folder/);
  refused([...tune, '--out', join(dir, 'ok.json'), '--cache', '/proc/self/cache'], /--cache \/proc\/self\/cache/);
  assert.ok(!existsSync(join(dir, 'ok.json')));
});

test('tune: an --out another running sweep writes is refused', () => {
  const out = join(dir, 'busy.json');
  writeFileSync(`${out}.lock`, `${process.pid}\n`);
  refused([...tune, '--out', out], new RegExp(`another tilesweep \\(pid ${process.pid}\\) is writing ${out}`));
});

test('bench: --out a folder is refused before the device opens', () => {
  refused(['bench', 'fp8-gemm', '--preset', 'tiny', '--out', join(dir, 'folder')], /--out .* is a folder/);
});

test('report: --out a file or under /proc is refused; a missing input says "no such file"', () => {
  const fixture = join('test', 'fixtures', 'reports', 'llvmpipe-fixture.json');
  refused(['report', fixture, '--out', join(dir, 'file')], /--out .* is a file, not a folder/);
  refused(['report', fixture, '--out', '/proc/self/report'], /--out \/proc\/self\/report/);
  refused(['report', join(dir, 'nosuch.json'), '--out', join(dir, 'report')], /nosuch\.json: no such file$/);
});

test('gate: an --out-markdown, --out-json or --out-benchmark that cannot be written is exit 2 before the verdict', () => {
  const side = (name: string) => join('test', 'fixtures', 'gate', 'a-a-noise', `${name}.json`);
  const gate = ['gate', '--baseline', side('baseline'), '--current', side('current')];
  refused([...gate, '--out-markdown', join(dir, 'folder')], /--out-markdown .* is a folder/);
  refused([...gate, '--out-json', join(dir, 'file', 'gate.json')], /--out-json .* is a file, not a folder/);
  refused([...gate, '--out-benchmark', '/proc/self/bench.json'], /--out-benchmark \/proc\/self\/bench\.json/);
});

test('no temporary or lock file is left beside any refused output', () => {
  const leftovers = (path: string): string[] => readdirSync(path, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? leftovers(join(path, e.name)) : /\.(tmp|lock)$/.test(e.name) && e.name !== 'busy.json.lock' ? [join(path, e.name)] : []);
  assert.deepEqual(leftovers(dir), []);
});

test('merge and export: an --out that cannot be written is refused before any input is read', () => {
  refused(['merge', join(dir, 'nosuch.json'), '--out', join(dir, 'folder')], /--out .* is a folder/);
  refused(['export', join(dir, 'nosuch.json'), '--out', join(dir, 'file')], /--out .* is a file, not a folder/);
  refused(['export', join(dir, 'nosuch.json'), '--out', '/proc/self/dispatch'], /--out \/proc\/self\/dispatch/);
});
