// The roofs a decode call measures beside its kernels (bench --peers copy,cublas-bf16-8192): the
// driver's device-to-device copy of a buffer as large as the KV cache (2 GiB at most), counted as read
// plus write bytes and verified word for word; cuBLAS's BF16 GEMM at 8192 cubed with its own FLOPs.
// Both are declared on the mla-decode and mha-decode CUDA targets. No GPU: sources, sizes, workloads
// and verification are checked here; test/gpu/kernels/roofs.test.ts runs them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CudaKernelSource } from '../../../kernels/cuda-source.ts';
import type { Capabilities } from '../../../core/capabilities.ts';
import { kvCacheBytes } from '../../../kernels/attention/shape.ts';
import { mhaDecodeCudaTarget } from '../../../kernels/mha-decode/cuda/index.ts';
import { mhaShape } from '../../../kernels/mha-decode/problem.ts';
import { mlaDecodeCudaTarget } from '../../../kernels/mla-decode/cuda/index.ts';
import type { MlaProblem } from '../../../kernels/mla-decode/problem.ts';
import { copiedBytes, copyRoof, copyWorkload, MAX_COPY_BYTES, verifyCopy } from '../../../kernels/roofs/copy.ts';
import { roofOf } from '../../../kernels/roofs/roof.ts';
import type { Peer } from '../../../kernels/types.ts';

const caps = {} as Capabilities;
const mla: MlaProblem = { B: 128, sq: 1, H: 16, L: 8192, lengths: 'fixed', dtype: 'f16' };
const mha = { B: 128, sq: 1, H: 128, Hkv: 128, L: 4096, lengths: 'fixed', dtype: 'f16' } as const;
const peer = <P extends object>(peers: readonly Peer<P>[] | undefined, name: string): Peer<P> => peers!.find((p) => p.name === name)!;

test('both decode targets declare the copy and cuBLAS BF16 roofs by --peers name, as launches through the runner', () => {
  for (const peers of [mlaDecodeCudaTarget.peers!, mhaDecodeCudaTarget.peers!] as unknown as (readonly Peer<object>[])[]) {
    const names = peers.map((p) => p.name);
    assert.ok(names.includes('copy') && names.includes('cublas-bf16-8192'), names.join(','));
    assert.equal(roofOf(peer(peers, 'copy').config), 'memory');
    assert.equal(roofOf(peer(peers, 'cublas-bf16-8192').config), 'compute');
    for (const name of ['copy', 'cublas-bf16-8192']) assert.equal(peer(peers, name).via.kind, 'launch');
    // The others are not roofs: they did our work, and their time is compared with ours.
    for (const p of peers.filter((x) => !['copy', 'cublas-bf16-8192'].includes(x.name))) assert.equal(roofOf(p.config), undefined);
  }
});

test('the copy is as large as the latent cache (bf16 rows), counted read plus write, no FLOPs', () => {
  const copy = peer(mlaDecodeCudaTarget.peers, 'copy');
  const cache = 128 * 8192 * 1152;
  assert.equal(copiedBytes(cache), cache);
  assert.equal(copy.bytes!(mla), 2 * cache);
  assert.equal(copy.flops!(mla), 0);
  const via = copy.via as Extract<Peer<MlaProblem>['via'], { kind: 'launch' }>;
  const source = via.source(mla, caps) as CudaKernelSource;
  assert.deepEqual(source.launches.map((l) => [l.library, l.params.map((p) => 'buffer' in p && p.buffer)]), [['memcpy-d2d', ['src', 'dst']]]);
  assert.match(source.code, /^\/\/ .*copy/);
});

test('MHA\'s K and V caches (34 GiB at 128 heads) are stood for by a 2 GiB copy: the rate, not the size, is the roof', () => {
  assert.equal(kvCacheBytes(mhaShape(mha)), 16 * MAX_COPY_BYTES);
  assert.equal(peer(mhaDecodeCudaTarget.peers, 'copy').bytes!(mha), 2 * MAX_COPY_BYTES);
  assert.equal(copiedBytes(100), 96, 'whole 16-byte vectors');
  assert.equal(copiedBytes(0), 16, 'never an empty copy');
});

test('the copy is verified word for word: a copy that lost one word fails', () => {
  const copy = copyRoof(() => 4096);
  const workload = copyWorkload(4096, 7);
  const src = workload.buffers.src.data as Uint32Array;
  assert.equal(new Set(src).size, src.length, 'distinct words, so a shifted copy cannot pass');
  assert.equal(copy.verify({}, workload, { dst: Uint32Array.from(src) }).ok, true);
  const lost = Uint32Array.from(src);
  lost[1000] ^= 1;
  const v = verifyCopy(workload, { dst: lost });
  assert.deepEqual([v.ok, v.failures], [false, 1]);
  assert.equal(verifyCopy(workload, { dst: src.subarray(1) }).ok, false, 'a short copy fails');
});

test('cuBLAS BF16 at 8192 cubed: its own FLOPs and bytes, the runner\'s BF16 cuBLASLt launch', () => {
  const gemm = peer(mlaDecodeCudaTarget.peers, 'cublas-bf16-8192');
  assert.equal(gemm.flops!(mla), 2 * 8192 ** 3);
  assert.equal(gemm.bytes!(mla), 2 * 3 * 8192 ** 2);
  assert.deepEqual([gemm.config.library, gemm.config.dtype, gemm.config.M, gemm.config.N, gemm.config.K], ['cuBLAS', 'bf16', 8192, 8192, 8192]);
  const via = gemm.via as Extract<Peer<MlaProblem>['via'], { kind: 'launch' }>;
  const source = via.source(mla, caps) as CudaKernelSource;
  const [launch] = source.launches;
  assert.equal(launch.library, 'cublaslt-bf16');
  assert.deepEqual(launch.params.filter((p) => p.kind === 'i32').map((p) => 'value' in p && p.value), [8192, 8192, 8192]);
});
