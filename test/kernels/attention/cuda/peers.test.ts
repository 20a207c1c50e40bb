// The decode peers are registered on the CUDA targets by `--peers` name and speak the external-peer
// protocol: started here (no GPU, torch absent or without CUDA), each greets with a clean
// `unavailable` and its reason, or with its library where torch and a GPU are present; never a
// crash or a protocol error. Skipped where python3 is absent. The roofs (a copy, cuBLAS BF16) run
// through the runner: test/kernels/roofs/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ExternalPeer, PeerFailure } from '../../../../harness/peers/external.ts';
import { MHA_DECODE_PEERS } from '../../../../kernels/mha-decode/cuda/index.ts';
import { MLA_DECODE_PEERS } from '../../../../kernels/mla-decode/cuda/index.ts';

const python = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('peers by name: torch and flashmla for mla-decode, torch for mha-decode, o and lse back in f32; then the roofs', () => {
  const roofs = ['copy', 'cublas-bf16-8192'];
  assert.deepEqual(MLA_DECODE_PEERS.map((p) => p.name), ['torch', 'flashmla', ...roofs]);
  assert.deepEqual(MHA_DECODE_PEERS.map((p) => p.name), ['torch', ...roofs]);
  for (const peer of [...MLA_DECODE_PEERS, ...MHA_DECODE_PEERS].filter((p) => !roofs.includes(p.name))) {
    assert.equal(peer.via.kind, 'command');
    if (peer.via.kind === 'command') assert.deepEqual(peer.via.outputs, { o: 'f32', lse: 'f32' });
  }
});

test('each decode peer greets cleanly: its library, or unavailable with a reason', { skip: python ? false : 'skipped: no python3' }, async () => {
  for (const peer of [...MLA_DECODE_PEERS, ...MHA_DECODE_PEERS]) {
    if (peer.via.kind !== 'command') continue;
    const external = new ExternalPeer(peer.name, peer.via.command, 60_000);
    try {
      const hello = await external.hello();
      assert.ok(typeof hello.library === 'string', `${peer.name}: ${JSON.stringify(hello)}`);
    } catch (error) {
      assert.ok(error instanceof PeerFailure && error.status === 'unavailable', `${peer.name}: ${String(error)}`);
      assert.match(error.message, /torch|CUDA|FlashMLA/, peer.name);
    } finally {
      await external.close();
    }
  }
});
