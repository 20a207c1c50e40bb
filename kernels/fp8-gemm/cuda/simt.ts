// The portable variant of the CUDA FP8 GEMM, for GPUs without WGMMA/TMA (compute capability below
// 9.0; built as compute_80 PTX, so any later GPU JIT-compiles it too): a plain shared-memory tiled
// SIMT kernel with the same problem semantics. 64x64 outputs per 256-thread block, 4x4 per thread;
// each 128-wide K block is staged as 32-bit words, decoded exactly (e4m3 -> f32 by bit arithmetic),
// summed in f32 and promoted with the block's two scales, as the sm_90a kernel does.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CudaKernelSource } from '../../cuda-source.ts';
import { FP8_GEMM_BINDINGS } from '../../fp8/bindings.ts';
import { fillTemplate, sourceHeader } from '../../template.ts';
import { SCALE_BLOCK } from '../../fp8/quantize.ts';
import type { GemmProblem } from '../problem.ts';
import { scalesOutputSizes } from './params.ts';
import type { CudaGemmConfig } from './space.ts';

export const SIMT_ENTRY_POINT = 'fp8_gemm_simt';
/** sm_80 machine code (checked by ptxas in CI) plus compute_80 PTX, which later GPUs JIT-compile. */
export const SIMT_FLAGS = ['-gencode=arch=compute_80,code=[sm_80,compute_80]', '-O3', '-std=c++17'] as const;
export const SIMT_TILE = 64;

const SIMT_TEMPLATE = String.raw`
#include <cuda_bf16.h>
#include <stdint.h>
typedef {{outType}} out_t;
constexpr int TILE = 64;
constexpr int WORDS = 32;  // one 128-byte K block of a row, as 32-bit words

// Exact: a normal e4m3 (exponent e >= 1, bias 7) is the f32 with exponent e + 120 and the three
// mantissa bits on top; a subnormal is m * 2^-9; 0x7f and 0xff are NaN.
__device__ __forceinline__ float e4m3(uint32_t code) {
  const uint32_t e = (code >> 3) & 15, m = code & 7;
  float v = e == 0 ? float(m) * 0.001953125f : __uint_as_float(((e + 120u) << 23) | (m << 20));
  if (e == 15 && m == 7) v = __uint_as_float(0x7fc00000u);
  return (code & 0x80) ? -v : v;
}

extern "C" __global__ void __launch_bounds__(256)
{{entryPoint}}(const uint32_t* __restrict__ A, const uint32_t* __restrict__ B, const float* __restrict__ scaleA,
               const float* __restrict__ scaleB, out_t* __restrict__ C, int M, int N, int K) {
  __shared__ uint32_t As[TILE][WORDS + 1];
  __shared__ uint32_t Bs[TILE][WORDS + 1];
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  const int m0 = blockIdx.y * TILE, n0 = blockIdx.x * TILE;
  const int KB = {{kBlocks}}, rowWords = K / 4;
  float total[4][4] = {};
  for (int kb = 0; kb < KB; ++kb) {
    for (int w = threadIdx.x; w < TILE * WORDS; w += 256) {
      const int r = w / WORDS, c = w % WORDS;
      As[r][c] = m0 + r < M{{inK}} ? A[size_t(m0 + r) * rowWords + kb * WORDS + c] : 0u;
      Bs[r][c] = n0 + r < N{{inK}} ? B[size_t(n0 + r) * rowWords + kb * WORDS + c] : 0u;
    }
    __syncthreads();
    float acc[4][4] = {};
    for (int w = 0; w < WORDS; ++w) {
      uint32_t a[4], b[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) { a[i] = As[ty + 16 * i][w]; b[i] = Bs[tx + 16 * i][w]; }
#pragma unroll
      for (int byte = 0; byte < 4; ++byte) {
        float x[4], y[4];
#pragma unroll
        for (int i = 0; i < 4; ++i) { x[i] = e4m3((a[i] >> (8 * byte)) & 255); y[i] = e4m3((b[i] >> (8 * byte)) & 255); }
#pragma unroll
        for (int i = 0; i < 4; ++i)
#pragma unroll
          for (int j = 0; j < 4; ++j) acc[i][j] += x[i] * y[j];
      }
    }
    __syncthreads();
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const float sa = scaleA[size_t(min(m0 + ty + 16 * i, M - 1)) * KB + kb];
#pragma unroll
      for (int j = 0; j < 4; ++j) {
        const float sb = scaleB[size_t(min(n0 + tx + 16 * j, N - 1) / 128) * KB + kb];
        total[i][j] += acc[i][j] * (sa * sb);
      }
    }
  }
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const int row = m0 + ty + 16 * i, col = n0 + tx + 16 * j;
      if (row < M && col < N) C[size_t(row) * N + col] = {{convert}}(total[i][j]);
    }
}
`;

export function gemmCudaSimt(problem: GemmProblem, config: CudaGemmConfig, _caps: Capabilities): CudaKernelSource {
  // K not a multiple of 128: the last block is partial, its words past K staged as zeros (emitted only
  // then, so the source of whole-block problems stays as it was).
  const tail = problem.K % SCALE_BLOCK !== 0;
  const code = fillTemplate(SIMT_TEMPLATE, {
    kBlocks: tail ? '(K + 127) / 128' : 'K / 128',
    inK: tail ? ' && kb * WORDS + c < rowWords' : '',
    outType: config.out === 'bf16' ? '__nv_bfloat16' : 'float',
    convert: config.out === 'bf16' ? '__float2bfloat16_rn' : 'float',
    entryPoint: SIMT_ENTRY_POINT,
  });
  return {
    language: 'cuda',
    code: `${sourceHeader('//', 'fp8-gemm', problem, config)}\n${code}`,
    flags: SIMT_FLAGS,
    outputTypes: { c: config.out },
    launches: [
      {
        entryPoint: SIMT_ENTRY_POINT,
        grid: [Math.ceil(problem.N / SIMT_TILE), Math.ceil(problem.M / SIMT_TILE), 1],
        block: [256, 1, 1],
        sharedBytes: 0,
        bindings: FP8_GEMM_BINDINGS,
        params: [
          { kind: 'pointer', buffer: 'a' },
          { kind: 'pointer', buffer: 'b' },
          ...scalesOutputSizes(problem),
        ],
      },
    ],
  };
}
