// The memory roof beside a decode kernel: the CUDA driver's device-to-device copy (cuMemcpyDtoDAsync,
// a runner library launch: harness/cuda/runner/runner.cpp) of a buffer as large as the KV cache the
// kernel reads, timed on the same stream, timer and L2 flush as ours. Its bytes are read plus write
// (twice the buffer), as nvbench and STREAM count a copy; the buffer stops at 2 GiB (the decode
// workload's pool bound), far past the L2, where the copy rate no longer grows with size.
import type { Verification } from '../../core/results.ts';
import type { CudaKernelSource } from '../cuda-source.ts';
import { sourceHeader } from '../template.ts';
import type { Outputs, Peer, Workload } from '../types.ts';

export const COPY_ROOF_PEER = { library: 'copy', via: 'tilesweep runner (cuMemcpyDtoDAsync, device to device)', roof: 'memory' } as const;

/** Largest buffer copied: the decode workload's cache-buffer bound (kernels/attention/cuda/workload.ts). */
export const MAX_COPY_BYTES = 2 ** 31;

/** Bytes the roof copies for a cache of `cacheBytes`: as many, whole 16-byte vectors, at least one, at most 2 GiB. */
export const copiedBytes = (cacheBytes: number): number => Math.max(16, Math.min(MAX_COPY_BYTES, Math.floor(cacheBytes / 16) * 16));

export function copyRoofSource(bytes: number): CudaKernelSource {
  return {
    language: 'cuda',
    code: [sourceHeader('//', 'copy', { bytes }, COPY_ROOF_PEER), 'extern "C" __global__ void tilesweep_library_launch() {}'].join('\n'),
    launches: [{
      entryPoint: 'tilesweep_library_launch', library: 'memcpy-d2d', grid: [1, 1, 1], block: [1, 1, 1],
      bindings: [{ binding: 0, buffer: 'src', access: 'read' }, { binding: 1, buffer: 'dst', access: 'read-write' }],
      params: [{ kind: 'pointer', buffer: 'src' }, { kind: 'pointer', buffer: 'dst' }],
    }],
    flags: ['-gencode=arch=compute_90a,code=sm_90a'],
  };
}

/** A source buffer of distinct words (a multiplicative hash of the index and seed) and a destination as large. */
export function copyWorkload(bytes: number, seed: number): Workload {
  const src = new Uint32Array(bytes / 4);
  const salt = Math.imul(seed, 0x9e3779b9);
  for (let i = 0; i < src.length; i++) src[i] = Math.imul(i + 1, 2654435761) ^ salt;
  return { seed, buffers: { src: { role: 'input', bytes, data: src }, dst: { role: 'output', bytes, elementType: 'u32' } }, meta: { roof: 'memory', copiedBytes: bytes } };
}

/** Every word must arrive: a copy has no arithmetic to allow for. */
export function verifyCopy(workload: Workload, outputs: Outputs): Verification {
  const src = workload.buffers.src.data!;
  const dst = outputs.dst;
  let failures = 0;
  for (let i = 0; i < src.length; i++) if (dst[i] !== src[i]) failures++;
  const err = failures === 0 ? 0 : Infinity;
  return { ok: failures === 0 && dst.length >= src.length, maxAbsErr: err, maxRelErr: err, cosineDiff: 0, checked: src.length, total: src.length, failures };
}

/** The copy roof of a family whose problems read `cacheBytes(problem)` bytes of cache: `--peers copy`. */
export function copyRoof<P extends object>(cacheBytes: (problem: P) => number): Peer<P> {
  const bytes = (problem: P) => copiedBytes(cacheBytes(problem));
  return {
    name: 'copy',
    config: COPY_ROOF_PEER,
    via: { kind: 'launch', source: (problem) => copyRoofSource(bytes(problem)), workload: (problem, seed) => copyWorkload(bytes(problem), seed) },
    verify: (_problem, workload, outputs) => verifyCopy(workload, outputs),
    flops: () => 0,
    bytes: (problem) => 2 * bytes(problem),
  };
}
