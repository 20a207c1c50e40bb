// scripts/peers-build.sh (`scripts/gpu-host.sh build-peers`) on an archive packed from tiny fake peer
// repositories, with a stand-in for the host's python3 whose `setup.py build_ext` succeeds, fails or
// hangs as each test asks (its import checks run the real python3 on the fake packages). What built
// is in .peers/env.sh with the manifest's commits; what did not is one line with the reason, which
// the peer's `unavailable` row then carries; the call exits 0 either way, so a run goes on after it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakePeerRepos, hasGit, packFake, type FakePeerRepos } from './fake-peers.ts';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const skip = hasGit && hasPython && spawnSync('setsid', ['--version']).status === 0 ? false : 'skipped: needs git, python3 and setsid';

// The host's python3 as far as the build script sees it: the toolchain query, setup.py, imports.
const FAKE_PYTHON = `#!/usr/bin/env bash
echo "$(basename "$PWD") sm100-off=\${FLASH_MLA_DISABLE_SM100:-} $*" >> "$FAKE_LOG"
if [ "$1" = -c ]; then
  case "$2" in
    *sys.executable*) echo "$0" ;;
    *"import sys, torch"*) echo "3.12.3 2.11.0+cu130 13.0 /usr/local/cuda" ;;
    *) exec python3 "$@" ;;
  esac
  exit 0
fi
what=FAKE_BUILD_$(basename "$PWD")
case "\${!what:-ok}" in
  ok) echo "built $(basename "$PWD") with CPLUS_INCLUDE_PATH=\${CPLUS_INCLUDE_PATH:-}" ;;
  fail) echo 'fatal: not a git repository (or any of the parent directories): .git'; echo 'csrc/sm90/decode/dense/splitkv_mla.cuh(12): error: identifier "foo" is undefined'; echo 'RuntimeError: Error compiling objects for extension'; exit 1 ;;
  hang) exec sleep 60 ;;
  gate) while [ ! -e "$FAKE_GATE" ]; do sleep 0.1; done; echo "built $(basename "$PWD")" ;;
esac
`;

interface Host { readonly root: string; readonly repos: FakePeerRepos; readonly log: string }

/** A working tree as the GPU host gets it: the two scripts and the packed archive in .carry/. */
function host(options: Parameters<typeof fakePeerRepos>[0] = {}): Host {
  const repos = fakePeerRepos(options);
  const root = join(repos.root, 'tree');
  mkdirSync(join(root, 'scripts'), { recursive: true });
  mkdirSync(join(root, 'bin'));
  for (const script of ['peers-build.sh', 'gpu-host.sh']) copyFileSync(join('scripts', script), join(root, 'scripts', script));
  writeFileSync(join(root, 'bin', 'fake-python'), FAKE_PYTHON);
  chmodSync(join(root, 'bin', 'fake-python'), 0o755);
  assert.equal(packFake(repos, join(root, '.carry', 'peers-src.tar.xz')).status, 0);
  return { root, repos, log: join(root, 'python.log') };
}

function buildPeers(h: Host, env: Record<string, string> = {}, args: string[] = []) {
  return spawnSync('bash', [join(h.root, 'scripts', 'gpu-host.sh'), 'build-peers', ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH, PEERS_PYTHON: join(h.root, 'bin', 'fake-python'), FAKE_LOG: h.log, PEERS_JOBS: '2', ...env },
  });
}

/** What a later call's shell gets from .peers/env.sh. */
function peersEnv(h: Host, env: Record<string, string> = {}) {
  const names = ['DEEPGEMM_PATH', 'DEEPGEMM_COMMIT', 'DEEPGEMM_NOT_BUILT', 'FLASHMLA_PATH', 'FLASHMLA_COMMIT', 'FLASHMLA_NOT_BUILT', 'DEEPGEMM_NEWEST_PATH', 'DEEPGEMM_NEWEST_COMMIT', 'DEEPGEMM_NEWEST_NOT_BUILT'];
  const run = spawnSync('bash', ['-euc', `. .peers/env.sh; for n in ${names.join(' ')}; do echo "$n=\${!n:-}"; done`], { cwd: h.root, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  assert.equal(run.status, 0, run.stderr);
  return Object.fromEntries(run.stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
const summary = (run: { stdout: string }) => run.stdout.split('\n').filter((line) => line.startsWith('build-peers: '));

test('every peer that builds and imports is in env.sh with the manifest\'s commit; PEERS_DEEPGEMM picks the DeepGEMM; the caller\'s path wins', { skip }, () => {
  const h = host();
  const run = buildPeers(h);
  assert.equal(run.status, 0, run.stderr);
  const lines = summary(run);
  assert.match(lines[1]!, new RegExp(`^build-peers: deepgemm-pinned ${h.repos.deepgemmPinned.slice(0, 12)} ready \\(\\d+ s\\), DEEPGEMM_PATH=.peers/src/deepgemm-pinned$`));
  assert.match(lines[2]!, new RegExp(`^build-peers: deepgemm ${h.repos.deepgemmNewest.slice(0, 12)} ready`));
  assert.match(lines[3]!, new RegExp(`^build-peers: flashmla ${h.repos.flashmla.slice(0, 12)} ready`));
  assert.deepEqual(peersEnv(h), {
    DEEPGEMM_PATH: join(h.root, '.peers/src/deepgemm-pinned'), DEEPGEMM_COMMIT: h.repos.deepgemmPinned, DEEPGEMM_NOT_BUILT: '',
    FLASHMLA_PATH: join(h.root, '.peers/src/flashmla'), FLASHMLA_COMMIT: h.repos.flashmla, FLASHMLA_NOT_BUILT: '',
    // The newest DeepGEMM under its own names as well (the deepgemm-newest peer, same call).
    DEEPGEMM_NEWEST_PATH: join(h.root, '.peers/src/deepgemm'), DEEPGEMM_NEWEST_COMMIT: h.repos.deepgemmNewest, DEEPGEMM_NEWEST_NOT_BUILT: '',
  });
  assert.equal(peersEnv(h, { PEERS_DEEPGEMM: 'newest' }).DEEPGEMM_COMMIT, h.repos.deepgemmNewest);
  assert.deepEqual(peersEnv(h, { DEEPGEMM_PATH: '/elsewhere' }).DEEPGEMM_COMMIT, '');
  // The two extensions were built, FlashMLA for sm_90a alone.
  const builds = readFileSync(h.log, 'utf8').split('\n').filter((line) => line.includes('setup.py build_ext --inplace')).sort();
  assert.deepEqual(builds, ['deepgemm sm100-off= setup.py build_ext --inplace', 'flashmla sm100-off=1 setup.py build_ext --inplace']);
  // CUDA 13's libcu++ (include/cccl) is on the host compiler's include path where the toolkit has it.
  const cuda = spawnSync('bash', ['-c', 'dirname "$(dirname "$(command -v nvcc)")"'], { encoding: 'utf8' }).stdout.trim();
  if (cuda && existsSync(join(cuda, 'include', 'cccl'))) assert.match(readFileSync(join(h.root, '.peers/logs/flashmla.log'), 'utf8'), new RegExp(`CPLUS_INCLUDE_PATH=${join(cuda, 'include', 'cccl')}`));
});

test('a second call with the same archive and toolchain builds nothing and says the same, unless PEERS_REBUILD=1', { skip }, () => {
  const h = host();
  const first = buildPeers(h);
  writeFileSync(h.log, '');
  const again = buildPeers(h);
  assert.equal(again.status, 0);
  assert.deepEqual(summary(again), summary(first));
  assert.equal(readFileSync(h.log, 'utf8').includes('setup.py'), false);
  buildPeers(h, { PEERS_REBUILD: '1' });
  assert.equal(readFileSync(h.log, 'utf8').split('\n').filter((line) => line.includes('setup.py build_ext')).length, 2);
});

test('a build that fails is one line with the compiler\'s error, the peer\'s row gets it, the others still build, exit 0', { skip }, () => {
  const h = host();
  const run = buildPeers(h, { FAKE_BUILD_flashmla: 'fail' });
  assert.equal(run.status, 0, run.stderr);
  const line = summary(run).find((l) => l.startsWith('build-peers: flashmla'))!;
  assert.match(line, /flashmla [0-9a-f]{12} NOT built: failed after \d+ s: .*error: identifier "foo" is undefined \(log .peers\/logs\/flashmla.log\)$/);
  const env = peersEnv(h);
  assert.equal(env.FLASHMLA_PATH, '');
  assert.equal(env.FLASHMLA_NOT_BUILT, line);
  assert.equal(env.DEEPGEMM_COMMIT, h.repos.deepgemmPinned);
  assert.ok(existsSync(join(h.root, '.peers/logs/flashmla.log')));
});

test('a build past PEERS_BUILD_LIMIT_S is stopped and named a timeout', { skip }, () => {
  const h = host();
  const run = buildPeers(h, { FAKE_BUILD_deepgemm: 'hang', PEERS_BUILD_LIMIT_S: '1' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(summary(run).find((l) => l.startsWith('build-peers: deepgemm '))!, /NOT built: timeout after \d+ s: timed out after 1 s \(PEERS_BUILD_LIMIT_S\)/);
  assert.match(peersEnv(h, { PEERS_DEEPGEMM: 'newest' }).DEEPGEMM_NOT_BUILT, /deepgemm [0-9a-f]{12} NOT built: timeout/);
  assert.match(peersEnv(h).DEEPGEMM_NEWEST_NOT_BUILT, /deepgemm [0-9a-f]{12} NOT built: timeout/);
  assert.equal(peersEnv(h).DEEPGEMM_COMMIT, h.repos.deepgemmPinned);
});

test('a package that builds but does not import is not ready, with the import\'s error', { skip }, () => {
  const h = host({ brokenFlashMla: true });
  const run = buildPeers(h);
  assert.match(summary(run).find((l) => l.startsWith('build-peers: flashmla'))!, /NOT built: import-failed after \d+ s: ImportError: undefined symbol: _ZN3fake/);
});

test('--detach builds in its own session, one build at a time; --wait waits for it and prints its summary', { skip }, () => {
  const h = host();
  // FlashMLA's build holds until the gate file exists: the build is surely running in between.
  const env = { FAKE_BUILD_flashmla: 'gate', FAKE_GATE: join(h.root, 'gate') };
  const detached = buildPeers(h, env, ['--detach']);
  assert.equal(detached.status, 0, detached.stderr);
  assert.match(detached.stdout, /building in the background/);
  const again = buildPeers(h, env, ['--detach']);
  assert.match(again.stdout, /already building/);
  writeFileSync(env.FAKE_GATE, '');
  const waited = buildPeers(h, {}, ['--wait']);
  assert.equal(waited.status, 0);
  assert.match(waited.stdout, /build-peers: flashmla [0-9a-f]{12} ready/);
  assert.equal(peersEnv(h).FLASHMLA_COMMIT, h.repos.flashmla);
});

test('bad input is one line on stderr and exit 2', { skip }, () => {
  const h = host();
  const cases: Array<[Record<string, string>, string[], RegExp, string]> = [
    [{ PEERS_BUILD_LIMIT_S: 'soon' }, [], /must be whole numbers/, 'build-peers'],
    [{}, ['--now'], /unknown argument --now/, 'build-peers'],
    [{}, ['--wait'], /no background build was started/, 'build-peers'],
    [{ PEERS_DEEPGEMM: 'latest' }, [], /PEERS_DEEPGEMM is pinned or newest, not 'latest'/, 'devices'],
  ];
  for (const [env, args, message, verb] of cases) {
    const run = spawnSync('bash', [join(h.root, 'scripts', 'gpu-host.sh'), verb, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  }
  const noArchive = host();
  spawnSync('rm', [join(noArchive.root, '.carry', 'peers-src.tar.xz')]);
  const missing = buildPeers(noArchive);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /\.carry\/peers-src\.tar\.xz is missing/);
});
