// The committed H200 results read the same way by the headline (reports/model/same-call.ts) and by the
// rows-only peer ratios the results test pins (reports/compare/peer-ratios.ts): every interleaved
// comparison of ours against a peer is the same number from both. Skipped when the file is absent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stableStringify } from '../../../core/hash.ts';
import { peerRatios } from '../../../reports/compare/peer-ratios.ts';
import { collectDevices } from '../../../reports/model/devices.ts';
import { loadResults } from '../../../reports/model/load.ts';

const path = fileURLToPath(new URL('../../../results/h200/fp8-gemm.json.br', import.meta.url));

test('headline comparisons of the curated H200 file equal the rows-only peer ratios', { skip: !existsSync(path) && 'results/h200/fp8-gemm.json.br not committed' }, () => {
  const [loaded] = loadResults([path]);
  const [device] = collectDevices([loaded]);
  const reference = new Map(peerRatios(loaded.file.runs).map((r) => [stableStringify([r.runId, r.problem, r.peer]), r.ratio]));
  const interleaved = device.comparisons.filter((c) => c.basis === 'interleaved');
  assert.ok(interleaved.length >= 30, `${interleaved.length} interleaved comparisons`);
  for (const c of interleaved) {
    const expected = reference.get(stableStringify([c.call, c.problem, c.peer]));
    assert.ok(expected !== undefined && Math.abs(c.ratio - expected) < 1e-12, `${c.call} ${JSON.stringify(c.problem)} ${c.peer}: ${c.ratio} vs ${expected}`);
  }
});
