// Tiny git repositories shaped like DeepGEMM, FlashMLA, CUTLASS and fmt (the paths the packer takes, a
// few it must leave out, and the submodule gitlinks), for the device-free tests of
// scripts/peer-sources.sh and scripts/peers-build.sh.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FakePeerRepos {
  readonly root: string;
  readonly dirs: { readonly deepgemm: string; readonly flashmla: string; readonly cutlass: string; readonly fmt: string };
  /** CUTLASS's first commit (the pinned DeepGEMM's) and second (the newest DeepGEMM's and FlashMLA's). */
  readonly cutlass: readonly [string, string];
  readonly fmt: string;
  readonly deepgemmPinned: string;
  readonly deepgemmNewest: string;
  readonly flashmla: string;
}

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z' };
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env, encoding: 'utf8' }).trim();

export const hasGit = spawnSync('git', ['--version']).status === 0;

/** Writes the files, records the gitlinks and commits; the commit's hash. */
function commit(dir: string, files: Record<string, string>, gitlinks: Record<string, string> = {}): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'add', '-A');
  for (const [path, sha] of Object.entries(gitlinks)) git(dir, 'update-index', '--add', '--cacheinfo', `160000,${sha},${path}`);
  git(dir, 'commit', '-q', '-m', Object.keys(files).join(' '));
  return git(dir, 'rev-parse', 'HEAD');
}

function repo(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

/**
 * The four repositories. FlashMLA pins `flashmlaCutlassPin` when given (a commit CUTLASS's copy lacks,
 * to see the fallback), else CUTLASS's second commit; a FlashMLA module that raises on import when
 * `brokenFlashMla` (to see an import that fails after a build that succeeded).
 */
export function fakePeerRepos(options: { flashmlaCutlassPin?: string; brokenFlashMla?: boolean } = {}): FakePeerRepos {
  const root = mkdtempSync(join(tmpdir(), 'tilesweep-peers-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const cutlassDir = repo(root, 'cutlass');
  const cutlass1 = commit(cutlassDir, { 'include/cute/tensor.hpp': '// cute 1\n', 'include/cutlass/cutlass.h': '// cutlass 1\n', 'tools/util/include/cutlass/util/device_memory.h': '// util 1\n', 'docs/guide.md': 'docs\n', 'examples/00/main.cu': 'example\n', 'LICENSE.txt': 'BSD-3-Clause\n' });
  const cutlass2 = commit(cutlassDir, { 'include/cutlass/cutlass.h': '// cutlass 2\n' });
  const fmtDir = repo(root, 'fmt');
  const fmt = commit(fmtDir, { 'include/fmt/base.h': '// fmt\n', 'LICENSE': 'MIT\n', 'src/format.cc': '// fmt src\n', 'test/t.cc': 'test\n' });
  const dgDir = repo(root, 'deepgemm');
  const deepgemmPinned = commit(dgDir, { 'deep_gemm/__init__.py': '__version__ = "1.0.0"\n', 'deep_gemm/include/deep_gemm/fp8_gemm.cuh': '// pinned\n', 'LICENSE': 'MIT\n', 'tests/test_core.py': 'test\n', 'figures/design.png': 'png\n' }, { 'third-party/cutlass': cutlass1 });
  const deepgemmNewest = commit(dgDir, { 'deep_gemm/__init__.py': '__version__ = "2.0.0"\n', 'deep_gemm/include/deep_gemm/impls/sm90.cuh': '// newest\n', 'setup.py': 'setup\n', 'scripts/generate_pyi.py': 'pyi\n', 'scripts/quick_plot.py': 'plot\n', 'csrc/python_api.cpp': '// api\n', 'develop.sh': 'dev\n' }, { 'third-party/cutlass': cutlass2, 'third-party/fmt': fmt });
  const fmDir = repo(root, 'flashmla');
  const flashmla = commit(fmDir, {
    'flash_mla/__init__.py': options.brokenFlashMla ? 'raise ImportError("undefined symbol: _ZN3fake")\n' : '__version__ = "1.0.0"\n',
    'setup.py': 'setup\n', 'csrc/api/api.cpp': '// api\n', 'csrc/sm90/decode/dense/splitkv_mla.cuh': '// kernel\n', 'LICENSE': 'MIT\n', 'benchmark/bench_flash_mla.py': 'bench\n', 'tests/test_flash_mla.py': 'test\n',
  }, { 'csrc/cutlass': options.flashmlaCutlassPin ?? cutlass2 });
  return { root, dirs: { deepgemm: dgDir, flashmla: fmDir, cutlass: cutlassDir, fmt: fmtDir }, cutlass: [cutlass1, cutlass2], fmt, deepgemmPinned, deepgemmNewest, flashmla };
}

/** Runs scripts/peer-sources.sh on the fake repositories, packing `out`. */
export function packFake(repos: FakePeerRepos, out: string, extra: string[] = []) {
  const { deepgemm, flashmla, cutlass, fmt } = repos.dirs;
  return spawnSync('bash', ['scripts/peer-sources.sh', '--deepgemm-pinned', repos.deepgemmPinned, '--out', out, ...extra, deepgemm, flashmla, cutlass, fmt], { encoding: 'utf8' });
}
