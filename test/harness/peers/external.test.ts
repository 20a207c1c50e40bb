// The external-peer protocol without a GPU: a host peer (test/fixtures/peers) reads tilesweep's input
// files, writes C, and its output is verified against the family's reference; a peer that refuses,
// crashes or cannot start becomes a failure with the right status, never a crash of tilesweep.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BUDGET } from '../../../harness/measure.ts';
import { ExternalPeer, PeerFailure } from '../../../harness/peers/external.ts';
import { fastGemmWorkload } from '../../../kernels/fp8-gemm/cuda/workload.ts';
import { verifyGemm } from '../../../kernels/fp8-gemm/verify.ts';
import { BF16_TOLERANCE } from '../../../kernels/fp8-gemm/cuda/cublas-bf16.ts';

const fixture = fileURLToPath(new URL('../../fixtures/peers/fp8-gemm-host-peer.mjs', import.meta.url));
const peer = (mode: string) => new ExternalPeer(`host-${mode}`, [process.execPath, fixture, mode], 60_000);
const problem = { M: 24, N: 136, K: 256 };
const workload = fastGemmWorkload(problem, 5);

test('a peer reads our inputs, writes C in bf16, and its C verifies against our reference', async () => {
  const host = peer('ok');
  try {
    assert.equal((await host.hello()).library, 'host-fixture');
    const m = await host.measure('fp8-gemm', problem, workload, { c: 'bf16' }, DEFAULT_BUDGET);
    assert.equal(m.samplesMs.length, 3);
    assert.ok(m.medianMs > 0);
    assert.equal(verifyGemm(problem, workload, m.outputs, BF16_TOLERANCE).ok, true);
  } finally {
    await host.close();
  }
});

test('a peer whose C is wrong is caught by the same verification', async () => {
  const host = peer('wrong');
  try {
    const m = await host.measure('fp8-gemm', problem, workload, { c: 'f32' }, DEFAULT_BUDGET);
    assert.equal(verifyGemm(problem, workload, m.outputs, BF16_TOLERANCE).ok, false);
  } finally {
    await host.close();
  }
});

test('a peer that is not installed, that crashes, or whose command is missing fails with its status', async () => {
  const refused = peer('unavailable');
  await assert.rejects(refused.hello(), (e: unknown) => e instanceof PeerFailure && e.status === 'unavailable' && /not installed/.test(e.message));
  await refused.close();
  const crashed = peer('crash');
  await assert.rejects(crashed.measure('fp8-gemm', problem, workload, { c: 'bf16' }, DEFAULT_BUDGET), (e: unknown) => e instanceof PeerFailure && e.status === 'runtime-error' && /exit code 3/.test(e.message));
  await crashed.close();
  const missing = new ExternalPeer('missing', ['/nonexistent/peer-command'], 60_000);
  await assert.rejects(missing.hello(), (e: unknown) => e instanceof PeerFailure && e.status === 'unavailable');
  await missing.close();
});

test('a peer that never answers a measurement times out within its limit', async () => {
  const mute = new ExternalPeer('mute', [process.execPath, fixture, 'mute'], 2_000);
  try {
    await assert.rejects(mute.measure('fp8-gemm', problem, workload, { c: 'bf16' }, DEFAULT_BUDGET), (e: unknown) => e instanceof PeerFailure && e.status === 'timeout');
  } finally {
    await mute.close();
  }
});

test('a peer that cannot run a K with a partial last block says unavailable, and runs the next problem', async () => {
  const tail = { M: 8, N: 40, K: 272 };
  const tailWorkload = fastGemmWorkload(tail, 6);
  const host = peer('ok');
  try {
    // Scales [M][ceil(K/128)] and [ceil(N/128)][ceil(K/128)]: a peer that reads them so verifies.
    const m = await host.measure('fp8-gemm', tail, tailWorkload, { c: 'f32' }, DEFAULT_BUDGET);
    assert.equal(verifyGemm(tail, tailWorkload, m.outputs, BF16_TOLERANCE).ok, true);
  } finally {
    await host.close();
  }
  const whole = peer('whole-blocks');
  try {
    await assert.rejects(whole.measure('fp8-gemm', tail, tailWorkload, { c: 'bf16' }, DEFAULT_BUDGET), (e: unknown) => e instanceof PeerFailure && e.status === 'unavailable' && /K=272 ends in a partial/.test(e.message));
    const m = await whole.measure('fp8-gemm', problem, workload, { c: 'bf16' }, DEFAULT_BUDGET);
    assert.equal(verifyGemm(problem, workload, m.outputs, BF16_TOLERANCE).ok, true);
  } finally {
    await whole.close();
  }
});
