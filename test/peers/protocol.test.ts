// peers/protocol.py's import_copy: a library that does not import is `Unavailable` with the reason,
// and where scripts/peers-build.sh failed to build it on this machine, with that build's own line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const skip = spawnSync('python3', ['--version']).status === 0 ? false : 'skipped: no python3';
const refusal = (env: Record<string, string>) => {
  const run = spawnSync('python3', ['-c', [
    'import sys; sys.path.insert(0, "peers")',
    'from protocol import Unavailable, import_copy',
    'try:\n    import_copy("no_such_flash_mla", "FlashMLA", "FLASHMLA_PATH")\nexcept Unavailable as e:\n    print(e)',
  ].join('\n')], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
};

test('a missing library says how to provide one', { skip }, () => {
  assert.equal(refusal({}), "FlashMLA is not importable (ModuleNotFoundError: No module named 'no_such_flash_mla'); put a copy on PYTHONPATH or FLASHMLA_PATH");
});

test('a library whose build failed here says why it did not build', { skip }, () => {
  const line = 'build-peers: flashmla 9241ae3ef9ba NOT built: timeout after 480 s: timed out after 480 s (PEERS_BUILD_LIMIT_S)';
  assert.equal(refusal({ FLASHMLA_NOT_BUILT: line }), `FlashMLA is not importable (ModuleNotFoundError: No module named 'no_such_flash_mla'); ${line}`);
});
