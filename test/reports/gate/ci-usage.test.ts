// The self-gate script and the example workflow call `tilesweep gate` with flags the command has:
// a renamed flag must not leave CI calling one that no longer exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGateCommand } from '../../../bin/commands/gate.ts';
import { FIXTURE_DIR } from '../../fixtures/gate/make-fixtures.ts';

const ROOT = join(FIXTURE_DIR, '..', '..', '..');
const known = new Set(buildGateCommand().options.map((option) => option.long));

/** Flags of every `tilesweep.js gate` command in a shell text (continued lines joined). */
function gateFlags(text: string): string[][] {
  const joined = text.replace(/\\\n/g, ' ');
  return [...joined.matchAll(/tilesweep\.js gate ([^\n]*)/g)].map((m) => [...m[1].matchAll(/(?<=\s|^)--[a-z][a-z-]*/g)].map((f) => f[0]));
}

for (const file of ['reports/gate/self-gate.sh', '.github/workflows/perf-gate.yml']) {
  test(`${file} calls the gate with known flags only`, () => {
    const calls = gateFlags(readFileSync(join(ROOT, file), 'utf8'));
    assert.ok(calls.length > 0, 'no gate call found');
    for (const flags of calls) {
      for (const flag of flags) assert.ok(known.has(flag), `${flag} is not a gate option`);
      assert.ok(flags.includes('--baseline') && flags.includes('--current'));
    }
  });
}

test('the committed self-gate baseline is a results file the gate reads, with its reference config', async () => {
  const { loadResults } = await import('../../../reports/gate/load.ts');
  const results = loadResults(join(ROOT, 'reports/gate/baselines/lavapipe-fp8-gemm-small.json'));
  assert.equal(results.device.backend, 'webgpu');
  const reference = results.runs.filter((r) => r.config.TM === 2 && r.config.decode === 'bits' && r.status === 'ok');
  assert.equal(reference.length, 1);
});
