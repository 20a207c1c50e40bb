// Needs a CUDA GPU with sm_90a (H200/H100) and nvcc. The sm_90a decode kernels (MLA over the bf16
// and the FP8 latent cache, by mma.sync and by WGMMA, MHA and GQA over paged K and V; even and
// balanced split plans) verify against the CPU reference at the
// edge lengths (0, 1, 63, 64, 65, 129, L-1, L), for s_q 1 and 2, one and several splits, every tile
// size, pipeline depth and warp count of the space's corners; every candidate of a varied-length
// batch verifies; deliberately broken variants (a split that loses its last tile, no masking) come
// back as `mismatch`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCuda } from '../../../harness/cuda/backend.ts';
import { mhaDecode } from '../../../kernels/mha-decode/index.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import { mhaCases, mhaFaults, mhaShard, mlaCases, mlaFaults, mlaShard } from './decode-cases.ts';
import { sweep } from '../sweep.ts';

const timing = { warmupIterations: 1, timeMs: 5, minSamples: 3, maxSamples: 5 };

// TILESWEEP_GPU_ONLY=TEXT keeps the configs whose JSON holds TEXT (e.g. '"scores":"transposed"'), so a
// short device call can verify one new variant first; the test says so, and a full run sets nothing.
const only = process.env.TILESWEEP_GPU_ONLY;
if (only) console.log(`decode GPU test: only configs whose JSON holds ${only}`);
const picked = <C>(configs: readonly C[]): C[] => configs.filter((c) => !only || JSON.stringify(c).includes(only));

function assertVerified(rows: Awaited<ReturnType<typeof sweep>>): void {
  for (const row of rows) {
    assert.equal(row.status, 'ok', `${JSON.stringify(row.problem)} ${JSON.stringify(row.config)}: ${row.error}`);
    assert.ok(row.verified?.ok && (row.medianMs ?? 0) > 0, JSON.stringify(row.config));
  }
}

test('sm_90a MLA decode: edge lengths, s_q 1 and 2, both caches, splits, tiles, stages and warps verify; broken variants do not', { timeout: 900_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 5000 });
  try {
    for (const { problem, configs } of mlaCases()) assertVerified(await sweep({ family: mlaDecode, problem, backend, configs: picked(configs), timing }));
    const shard = mlaShard(backend.caps);
    assertVerified(await sweep({ family: mlaDecode, problem: shard.problem, backend, configs: picked(shard.configs), timing }));
    const faults = await sweep({ family: mlaDecode, problem: mlaFaults.problem, backend, configs: picked(mlaFaults.configs), timing });
    for (const row of faults) assert.equal(row.status, 'mismatch', `${JSON.stringify(row.config)}: ${row.status} ${row.error}`);
  } finally {
    await backend.dispose();
  }
});

test('sm_90a MHA / GQA / MQA decode: edge lengths, s_q 1 and 2, head groups and splits verify; broken variants do not', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 5000 });
  try {
    for (const { problem, configs } of mhaCases()) assertVerified(await sweep({ family: mhaDecode, problem, backend, configs, timing }));
    const shard = mhaShard(backend.caps);
    assertVerified(await sweep({ family: mhaDecode, problem: shard.problem, backend, configs: shard.configs, timing }));
    const faults = await sweep({ family: mhaDecode, problem: mhaFaults.problem, backend, configs: mhaFaults.configs, timing });
    for (const row of faults) assert.equal(row.status, 'mismatch', `${JSON.stringify(row.config)}: ${row.status} ${row.error}`);
  } finally {
    await backend.dispose();
  }
});
