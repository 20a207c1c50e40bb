// A call's provenance: the command as typed with no absolute path of this machine, a run id per call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandLine, newCall } from '../../bin/provenance.ts';

test('absolute paths in the command are made relative to the working directory', () => {
  assert.equal(commandLine(['tune', 'fp8-gemm', '--out', '/home/me/work/out/a.json', '--cache=/home/me/.cache/ts'], '/home/me/work'), 'tilesweep tune fp8-gemm --out out/a.json --cache=../.cache/ts');
  assert.equal(commandLine(['bench', '--preset', 'dsv3-*', '--space', '/w/my list.json'], '/w'), 'tilesweep bench --preset dsv3-* --space "my list.json"');
});

test('each call gets its own run id and records the device it saw', () => {
  const device = { backend: 'webgpu' as const, name: 'x', vendor: 'x', driver: 'x', fingerprint: 'f' };
  const [a, b] = [newCall(device, ['tune']), newCall(device, ['tune'])];
  assert.notEqual(a.runId, b.runId);
  assert.equal(a.command, 'tilesweep tune');
  assert.equal(a.device.fingerprint, 'f');
  assert.ok(!Number.isNaN(Date.parse(a.startedAt)));
});

test('TILESWEEP_COMMIT names the commit where the tree was copied without its history', () => {
  const device = { backend: 'webgpu' as const, name: 'x', vendor: 'x', driver: 'x', fingerprint: 'f' };
  const before = process.env.TILESWEEP_COMMIT;
  process.env.TILESWEEP_COMMIT = '666d70a1b2c3d4e5f6';
  try {
    assert.equal(newCall(device, ['tune']).commit, '666d70a1b2c3');
  } finally {
    if (before === undefined) delete process.env.TILESWEEP_COMMIT;
    else process.env.TILESWEEP_COMMIT = before;
  }
});
