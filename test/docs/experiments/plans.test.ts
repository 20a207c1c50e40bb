// Every committed GPU plan (docs/experiments/plans/*.plan) gets past the CLI's input checks here, so a
// device session is never spent on a typo: run through scripts/gpu-host.sh plan on this machine (no
// GPU), each call must exit 0, stop at the CUDA device (the first thing a device call opens), or miss
// only a file under $OUT that an earlier call of the plan writes on the GPU.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const PLANS = 'docs/experiments/plans';

for (const name of readdirSync(PLANS).filter((f) => f.endsWith('.plan')).sort()) {
  test(`plan ${name}: every call passes the input checks before a device opens`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    const bin = join(dir, `tilesweep-node-${process.getuid?.() ?? 0}`);
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const out = join(dir, 'out');
    const logs = join(dir, 'logs');
    const run = spawnSync('bash', ['scripts/gpu-host.sh', 'plan', join(PLANS, name), logs], {
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: dir, XDG_RUNTIME_DIR: dir, OUT: out, TILESWEEP_CUDA_DEVICE: '' },
    });
    const calls = readFileSync(join(PLANS, name), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const exits = [...run.stdout.matchAll(/== (\d+): exit (\d+)/g)].map((m) => Number(m[2]));
    assert.equal(exits.length, calls.length, run.stdout + run.stderr);
    const bad = exits.flatMap((code, i) => {
      if (code === 0) return [];
      const log = readFileSync(join(logs, readdirSync(logs).sort()[i]), 'utf8').split('\n').slice(1).join('\n').trim();
      const atDevice = /CUDA backend unavailable/.test(log);
      const missing = /^tilesweep: (\S+): no such file$/.exec(log);
      const earlierOutput = missing !== null && missing[1].startsWith(out) && calls.slice(0, i).some((c) => c.includes(missing[1].slice(out.length)));
      return atDevice || earlierOutput ? [] : [`call ${i + 1} (${calls[i].slice(0, 80)}...): exit ${code}: ${log.slice(0, 300)}`];
    });
    assert.deepEqual(bad, []);
  });
}
