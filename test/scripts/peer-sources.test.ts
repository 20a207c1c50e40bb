// scripts/peer-sources.sh on tiny git repositories shaped like the peers': the archive holds what a
// build reads and nothing else, its manifest names every commit as the repositories have it, a
// pinned commit that is missing is replaced and said so, bad input is one line and exit 2.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakePeerRepos, hasGit, packFake } from './fake-peers.ts';

const skip = hasGit ? false : 'skipped: no git';
const unpack = (archive: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-peers-unpacked-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  execFileSync('tar', ['-xJf', archive, '-C', dir]);
  return dir;
};
const listing = (archive: string) => execFileSync('tar', ['-tJf', archive], { encoding: 'utf8' }).split('\n').filter((p) => p && !p.endsWith('/')).sort();
const rows = (manifest: string) => manifest.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split('\t'));

test('the archive holds each peer\'s build inputs with the headers of the commits it pins, and their licences, and no tests, docs or examples', { skip }, () => {
  const repos = fakePeerRepos();
  const out = join(repos.root, 'carry', 'peers-src.tar.xz');
  const run = packFake(repos, out);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(listing(out), [
    'MANIFEST.tsv',
    'deepgemm-pinned/LICENSE',
    'deepgemm-pinned/deep_gemm/LICENSE.txt',
    'deepgemm-pinned/deep_gemm/__init__.py',
    'deepgemm-pinned/deep_gemm/include/cute/tensor.hpp',
    'deepgemm-pinned/deep_gemm/include/cutlass/cutlass.h',
    'deepgemm-pinned/deep_gemm/include/deep_gemm/fp8_gemm.cuh',
    'deepgemm/LICENSE',
    'deepgemm/csrc/python_api.cpp',
    'deepgemm/deep_gemm/__init__.py',
    'deepgemm/deep_gemm/include/cute',
    'deepgemm/deep_gemm/include/cutlass',
    'deepgemm/deep_gemm/include/deep_gemm/fp8_gemm.cuh',
    'deepgemm/deep_gemm/include/deep_gemm/impls/sm90.cuh',
    'deepgemm/scripts/generate_pyi.py',
    'deepgemm/setup.py',
    'deepgemm/third-party/cutlass/LICENSE.txt',
    'deepgemm/third-party/cutlass/include/cute/tensor.hpp',
    'deepgemm/third-party/cutlass/include/cutlass/cutlass.h',
    'deepgemm/third-party/fmt/LICENSE',
    'deepgemm/third-party/fmt/include/fmt/base.h',
    'flashmla/LICENSE',
    'flashmla/csrc/api/api.cpp',
    'flashmla/csrc/cutlass/LICENSE.txt',
    'flashmla/csrc/cutlass/include/cute/tensor.hpp',
    'flashmla/csrc/cutlass/include/cutlass/cutlass.h',
    'flashmla/csrc/cutlass/tools/util/include/cutlass/util/device_memory.h',
    'flashmla/csrc/sm90/decode/dense/splitkv_mla.cuh',
    'flashmla/flash_mla/__init__.py',
    'flashmla/setup.py',
  ]);
  const dir = unpack(out);
  // Each copy of CUTLASS is the commit its parent pins: the pinned DeepGEMM's first, the others' second.
  assert.equal(readFileSync(join(dir, 'deepgemm-pinned/deep_gemm/include/cutlass/cutlass.h'), 'utf8'), '// cutlass 1\n');
  assert.equal(readFileSync(join(dir, 'flashmla/csrc/cutlass/include/cutlass/cutlass.h'), 'utf8'), '// cutlass 2\n');
  // The newest DeepGEMM's JIT looks in deep_gemm/include, as its develop.sh links it.
  assert.equal(readlinkSync(join(dir, 'deepgemm/deep_gemm/include/cutlass')), '../../third-party/cutlass/include/cutlass');
  assert.equal(readFileSync(join(dir, 'deepgemm/deep_gemm/include/cutlass/cutlass.h'), 'utf8'), '// cutlass 2\n');
  assert.equal(readFileSync(join(dir, 'deepgemm/deep_gemm/__init__.py'), 'utf8'), '__version__ = "2.0.0"\n');
});

test('the manifest, in the archive and beside it, names every commit used and the one pinned', { skip }, () => {
  const repos = fakePeerRepos();
  const out = join(repos.root, 'peers-src.tar.xz');
  assert.equal(packFake(repos, out).status, 0);
  const beside = readFileSync(join(repos.root, 'peers-src.manifest.tsv'), 'utf8');
  assert.equal(readFileSync(join(unpack(out), 'MANIFEST.tsv'), 'utf8'), beside);
  const [c1, c2] = repos.cutlass;
  assert.deepEqual(rows(beside), [
    ['deepgemm-pinned', 'deepseek-ai/DeepGEMM', repos.deepgemmPinned, '-'],
    ['deepgemm-pinned/deep_gemm', 'NVIDIA/cutlass', c1, c1],
    ['deepgemm', 'deepseek-ai/DeepGEMM', repos.deepgemmNewest, '-'],
    ['deepgemm/third-party/cutlass', 'NVIDIA/cutlass', c2, c2],
    ['deepgemm/third-party/fmt', 'fmtlib/fmt', repos.fmt, repos.fmt],
    ['flashmla', 'deepseek-ai/FlashMLA', repos.flashmla, '-'],
    ['flashmla/csrc/cutlass', 'NVIDIA/cutlass', c2, c2],
  ]);
});

test('the same commits pack to the same bytes', { skip }, () => {
  const repos = fakePeerRepos();
  assert.equal(packFake(repos, join(repos.root, 'a.tar.xz')).status, 0);
  assert.equal(packFake(repos, join(repos.root, 'b.tar.xz')).status, 0);
  assert.deepEqual(readFileSync(join(repos.root, 'a.tar.xz')), readFileSync(join(repos.root, 'b.tar.xz')));
});

test('a pinned commit missing from its git copy is replaced by that copy\'s HEAD, in the manifest and on stderr', { skip }, () => {
  const absent = 'a'.repeat(40);
  const repos = fakePeerRepos({ flashmlaCutlassPin: absent });
  const run = packFake(repos, join(repos.root, 'peers-src.tar.xz'));
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`NVIDIA/cutlass ${absent} \\(pinned at csrc/cutlass\\) is not in .*; using its HEAD ${repos.cutlass[1]}`));
  const flashmlaCutlass = rows(readFileSync(join(repos.root, 'peers-src.manifest.tsv'), 'utf8')).find((row) => row[0] === 'flashmla/csrc/cutlass');
  assert.deepEqual(flashmlaCutlass, ['flashmla/csrc/cutlass', 'NVIDIA/cutlass', repos.cutlass[1], absent]);
});

test('bad input is one line on stderr and exit 2, and writes nothing', { skip }, () => {
  const repos = fakePeerRepos();
  const out = join(repos.root, 'never.tar.xz');
  const { deepgemm, flashmla, cutlass, fmt } = repos.dirs;
  const cases: Array<[string[], RegExp]> = [
    [[deepgemm, flashmla, cutlass], /four git directories are needed/],
    [[deepgemm, flashmla, cutlass, repos.root], /is not a git repository/],
    [['--flashmla', 'no-such-rev', deepgemm, flashmla, cutlass, fmt], /no commit no-such-rev in/],
    // The pinned DeepGEMM has no setup.py: asked to pack it as the newest, the packer says so.
    [['--deepgemm-newest', repos.deepgemmPinned, deepgemm, flashmla, cutlass, fmt], /has no setup\.py in/],
    [['--colour', deepgemm, flashmla, cutlass, fmt], /unknown option --colour/],
  ];
  for (const [args, message] of cases) {
    const run = spawnSync('bash', ['scripts/peer-sources.sh', '--out', out, '--deepgemm-pinned', repos.deepgemmPinned, ...args], { encoding: 'utf8' });
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.equal(spawnSync('test', ['-e', out]).status, 1);
  }
});
