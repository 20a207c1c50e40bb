// Ours and the peers in one call: rounds alternate (the order rotates every round, after one
// discarded measurement each), every side keeps its per-round medians, a side that fails mid-way keeps
// what it measured, and a peer that cannot run here is a row saying why (never a crash).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capabilities } from '../../core/capabilities.ts';
import type { ResultRow } from '../../core/results.ts';
import type { Backend } from '../../harness/backend.ts';
import { DEFAULT_BUDGET, summarize } from '../../harness/measure.ts';
import { fp8Gemm } from '../../kernels/fp8-gemm/index.ts';
import { FP8_GEMM_PEERS, fp8GemmCudaTarget } from '../../kernels/fp8-gemm/cuda/index.ts';
import type { Peer } from '../../kernels/types.ts';
import { measureSideBySide, peerSide, type Side } from '../../tuner/side-by-side.ts';

const row = (name: string): ResultRow => ({ kernel: 'k', problem: { n: 1 }, config: { name }, role: 'candidate', status: 'ok', flops: 1, bytes: 1 });

/** A side whose n-th measurement takes times[n] ms, logging the order in which sides were measured. */
function scripted(name: string, times: number[], log: string[], failAt?: number): Side {
  let n = 0;
  return {
    row: row(name),
    time: async () => {
      log.push(name);
      if (n === failAt) throw new Error(`${name} lost its device`);
      const ms = times[n++];
      return summarize([ms, ms], 0);
    },
    dispose: async () => {},
  };
}

test('rounds alternate after one discarded measurement each, and rows carry the rounds\' medians', async () => {
  const log: string[] = [];
  const rows = await measureSideBySide([scripted('ours', [9, 1, 2, 3], log), scripted('peer', [9, 2, 4, 6], log)], { rounds: 3 });
  assert.deepEqual(log, ['ours', 'peer', 'ours', 'peer', 'peer', 'ours', 'ours', 'peer']);
  assert.deepEqual(rows.map((r) => r.rounds), [[1, 2, 3], [2, 4, 6]]);
  assert.deepEqual(rows.map((r) => r.medianMs), [2, 4]);
  assert.equal(rows[0].samplesMs!.length, 6, 'the discarded measurement leaves no samples');
});

test('without rounds each side is measured once; a side that fails keeps its row and says why', async () => {
  const log: string[] = [];
  const rows = await measureSideBySide([scripted('ours', [1, 1, 1], log), scripted('peer', [2], log, 0)], { rounds: 0 });
  assert.deepEqual(log, ['ours', 'peer']);
  assert.equal(rows[0].status, 'ok');
  assert.equal(rows[0].rounds, undefined);
  assert.deepEqual([rows[1].status, rows[1].error], ['runtime-error', 'peer lost its device']);
});

const problem = { M: 16, N: 128, K: 256 };
const webgpu = { name: 'webgpu', language: 'wgsl', caps: { backend: 'webgpu', isCpu: true } as Capabilities } as unknown as Backend;
const options = { family: fp8Gemm, target: fp8GemmCudaTarget, problem, backend: webgpu, timing: DEFAULT_BUDGET };
const fixture = fileURLToPath(new URL('../fixtures/peers/fp8-gemm-host-peer.mjs', import.meta.url));
const hostPeer = (mode: string): Peer<object> => ({ ...FP8_GEMM_PEERS.find((p) => p.name === 'torch')!, name: `host-${mode}`, via: { kind: 'command', command: [process.execPath, fixture, mode], outputs: { c: 'bf16' } } } as Peer<object>);

test('a command peer is verified against our reference, then timed as a side', async () => {
  const prepared = await peerSide(options, hostPeer('ok'));
  assert.ok('time' in prepared, `expected a side, got ${JSON.stringify(prepared)}`);
  const side = prepared as Side;
  try {
    assert.equal(side.row.verified?.ok, true);
    assert.equal(side.row.config.library, 'torch');
    const [measured] = await measureSideBySide([side], { rounds: 2 });
    assert.equal(measured.status, 'ok');
    assert.equal(measured.rounds?.length, 2);
    assert.equal(measured.role, 'peer');
  } finally {
    await side.dispose();
  }
});

test('peers that are wrong, missing, or need the runner on another backend are rows with a status and reason', async () => {
  const wrong = await peerSide(options, hostPeer('wrong'));
  assert.deepEqual(['status' in wrong && wrong.status, 'verified' in wrong && wrong.verified?.ok], ['mismatch', false]);
  const missing = await peerSide(options, hostPeer('unavailable'));
  assert.equal('status' in missing && missing.status, 'unavailable');
  assert.match(String('error' in missing && missing.error), /not installed/);
  const runner = await peerSide(options, FP8_GEMM_PEERS.find((p) => p.name === 'cublaslt')!);
  assert.equal('status' in runner && runner.status, 'unavailable');
  assert.match(String('error' in runner && runner.error), /CUDA runner/);
  const torch = await peerSide(options, FP8_GEMM_PEERS.find((p) => p.name === 'torch')!);
  // Where torch and a GPU exist (a GPU host) the peer runs; elsewhere its row says why not.
  if ('time' in torch) await (torch as Side).dispose();
  else assert.match(`${(torch as ResultRow).status}: ${(torch as ResultRow).error}`, /^unavailable: /);
});

test('a runner peer whose library has no algorithm for the problem (e.g. a K with a partial block) is unavailable, saying so', async () => {
  const tail = { M: 16, N: 128, K: 272 };
  const refused = 'cuBLASLt has no algorithm for block-scaled FP8 at M=16 N=128 K=272';
  const cuda = { name: 'cuda', language: 'cuda', caps: { backend: 'cuda' } as Capabilities, compile: async () => { throw new Error(refused); } } as unknown as Backend;
  const peer = await peerSide({ ...options, problem: tail, backend: cuda }, FP8_GEMM_PEERS.find((p) => p.name === 'cublaslt')!);
  assert.deepEqual(['status' in peer && peer.status, 'error' in peer && peer.error], ['unavailable', refused]);
  // Any other failure of the library stays a runtime error.
  const broken = { ...cuda, compile: async () => { throw new Error('cublasLtMatmul failed: CUBLAS_STATUS_EXECUTION_FAILED'); } } as unknown as Backend;
  const failed = await peerSide({ ...options, problem: tail, backend: broken }, FP8_GEMM_PEERS.find((p) => p.name === 'cublaslt')!);
  assert.equal('status' in failed && failed.status, 'runtime-error');
});

test('a roof peer\'s row carries its own work (a copy\'s bytes, no FLOPs), not the family\'s', async () => {
  const { mlaDecode } = await import('../../kernels/mla-decode/index.ts');
  const { MLA_DECODE_PEERS, mlaDecodeCudaTarget } = await import('../../kernels/mla-decode/cuda/index.ts');
  const mla = { B: 2, sq: 1, H: 16, L: 200, lengths: 'fixed', dtype: 'f16' } as const;
  const decode = { family: mlaDecode, target: mlaDecodeCudaTarget, problem: mla, backend: webgpu, timing: DEFAULT_BUDGET };
  const copy = await peerSide(decode, MLA_DECODE_PEERS.find((p) => p.name === 'copy')! as Peer<object>);
  assert.ok(!('time' in copy));
  const row = copy as ResultRow;
  assert.deepEqual([row.status, row.peer, row.config.roof, row.flops, row.bytes], ['unavailable', 'copy', 'memory', 0, 2 * 400 * 1152]);
  const gemm = (await peerSide(decode, MLA_DECODE_PEERS.find((p) => p.name === 'cublas-bf16-8192')! as Peer<object>)) as ResultRow;
  assert.deepEqual([gemm.config.roof, gemm.flops], ['compute', 2 * 8192 ** 3]);
});
