import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileKey, parsePtxas } from '../../../harness/cuda/compile.ts';
import type { CudaKernelSource } from '../../../kernels/cuda-source.ts';

const log = `ptxas info    : Compiling entry function 'k' for 'sm_90a'
ptxas info    : Function properties for k
    16 bytes stack frame, 8 bytes spill stores, 12 bytes spill loads
ptxas info    : Used 168 registers, used 1 barriers
ptxas warning : (C7508) Potential Performance Loss: setmaxnreg ignored
ptxas info    : (C7514) Potential Performance Loss: wgmma.mma_async instructions are serialized
ptxas info    : (C7517) warpgroup.wait is injected in around line 12 by compiler`;

test('ptxas resource reports are read: registers, stack, spills, warnings', () => {
  assert.deepEqual(parsePtxas(log), {
    registers: 168,
    stackBytes: 16,
    spillStoreBytes: 8,
    spillLoadBytes: 12,
    warnings: [
      'ptxas warning : (C7508) Potential Performance Loss: setmaxnreg ignored',
      'ptxas info    : (C7514) Potential Performance Loss: wgmma.mma_async instructions are serialized',
    ],
    notes: ['ptxas info    : (C7517) warpgroup.wait is injected in around line 12 by compiler'],
  });
});

test('a module of several kernels reports the largest registers and stack frame and every spill', () => {
  const two = `ptxas info    : Compiling entry function 'combine' for 'sm_90a'
ptxas info    : Function properties for combine
    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
ptxas info    : Used 32 registers, used 1 barriers, 384 bytes smem
ptxas info    : Compiling entry function 'split' for 'sm_90a'
ptxas info    : Function properties for split
    24 bytes stack frame, 20 bytes spill stores, 28 bytes spill loads
ptxas info    : Used 255 registers, used 1 barriers
ptxas info    : Function properties for helper
    8 bytes stack frame, 4 bytes spill stores, 4 bytes spill loads`;
  const report = parsePtxas(two);
  assert.deepEqual([report.registers, report.stackBytes, report.spillStoreBytes, report.spillLoadBytes], [255, 24, 24, 32]);
});

test('the cubin key ignores the provenance header but not the code, flags or compiler', () => {
  const nvcc = { path: '/x/nvcc', version: 'release 13.0, V13.0.88' };
  const source = (header: string, body: string, flags = ['-O3']): CudaKernelSource => ({ language: 'cuda', code: `// ${header}\n${body}`, launches: [], flags });
  const key = compileKey(nvcc, source('problem M=64', 'kernel A'));
  assert.equal(compileKey(nvcc, source('problem M=4096', 'kernel A')), key);
  assert.notEqual(compileKey(nvcc, source('problem M=64', 'kernel B')), key);
  assert.notEqual(compileKey(nvcc, source('problem M=64', 'kernel A', ['-O2'])), key);
  assert.notEqual(compileKey({ ...nvcc, version: 'release 13.1' }, source('problem M=64', 'kernel A')), key);
});
