// Opening several GPUs, device-free: a fake opener stands for one runner per GPU. A GPU the host
// lacks is refused once the first runner has counted the GPUs, before any other runner starts; GPUs
// of different kinds are refused; everything opened is closed again on a refusal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../core/errors.ts';
import type { CudaBackend, CudaBackendOptions } from '../../../harness/cuda/backend.ts';
import { openCudaGpus } from '../../../harness/cuda/gpus.ts';
import { parseGpus, resolveGpus } from '../../../tuner/gpus.ts';

function host(names: readonly string[]) {
  const opened: number[] = [];
  const disposed: number[] = [];
  const open = async ({ ordinal }: CudaBackendOptions): Promise<CudaBackend> => {
    const gpu = ordinal!;
    if (gpu >= names.length) throw new UsageError(`CUDA backend unavailable: no CUDA device ${gpu} (the host has ${names.length})`);
    opened.push(gpu);
    return {
      device: { backend: 'cuda', name: names[gpu], vendor: 'NVIDIA', driver: 'CUDA 13.0', fingerprint: names[gpu], gpu, gpusOnHost: names.length },
      dispose: async () => void disposed.push(gpu),
    } as unknown as CudaBackend;
  };
  return { open, opened, disposed };
}

const selection = (text: string) => {
  const choice = parseGpus(text);
  return { first: choice.kind === 'all' ? 0 : choice.ordinals[0], resolve: (count: number) => resolveGpus(choice, count) };
};

test('all opens every GPU of the host, one runner each, in ordinal order', async () => {
  const h = host(['NVIDIA H200', 'NVIDIA H200']);
  const gpus = await openCudaGpus(selection('all'), {}, h.open);
  assert.deepEqual(gpus.map((g) => [g.gpu, g.backend.device.gpu]), [[0, 0], [1, 1]]);
});

test('--gpus 0,3 on a 2-GPU host is a usage error once counted; only GPU 0 was opened, and it is closed', async () => {
  const h = host(['NVIDIA H200', 'NVIDIA H200']);
  await assert.rejects(openCudaGpus(selection('0,3'), {}, h.open), (e: unknown) => e instanceof UsageError && /GPU 3, but this host has 2/.test((e as Error).message));
  assert.deepEqual(h.opened, [0]);
  assert.deepEqual(h.disposed, [0]);
});

test('GPUs of different kinds are refused and every opened runner is closed', async () => {
  const h = host(['NVIDIA H200', 'NVIDIA H100 80GB HBM3']);
  await assert.rejects(openCudaGpus(selection('all'), {}, h.open), (e: unknown) => e instanceof UsageError && /different kinds \(GPU 0: NVIDIA H200.*GPU 1: NVIDIA H100/.test((e as Error).message));
  assert.deepEqual(h.disposed.sort(), [0, 1]);
});
