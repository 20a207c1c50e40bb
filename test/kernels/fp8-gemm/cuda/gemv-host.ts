// A host build of the GEMV kernel's CUDA text, to check its logic where no GPU is (g++, C++20): the
// source gemmCuda generates, with only its inline PTX (GEMV_DEVICE_HELPERS) put back as plain C++:
// 16-byte loads, and mma.sync m16n8k32 e4m3 emulated over the warp's 32 lanes from the PTX ISA's
// fragment layout (A: lane (row % 8) x 4 + (k % 16) / 4, register row / 8 + 2 x (k / 16), byte k % 4;
// B: lane col x 4 + (k % 16) / 4, register k / 16; D: rows g and g + 8, columns 2t and 2t + 1), the
// lanes' operands exchanged through a per-warp buffer between two warp barriers. Each CTA's threads
// run as std::threads, one CTA at a time (so __shared__ is a function static), __syncthreads is a
// barrier over the CTA. The launches run in order, as the runner would: the GEMV over (column blocks,
// splits), then the combine launch if there is one; `repeat` runs them again after poisoning C,
// without zeroing the scratch in between (the counters must have put themselves back).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256 } from '../../../../core/hash.ts';
import type { CudaKernelSource } from '../../../../kernels/cuda-source.ts';
import { GEMV_DEVICE_HELPERS } from '../../../../kernels/fp8-gemm/cuda/gemv-kernel.ts';
import type { GemmProblem } from '../../../../kernels/fp8-gemm/problem.ts';
import type { Workload } from '../../../../kernels/types.ts';

const run = promisify(execFile);

const PRELUDE = String.raw`
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>
#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
struct Dim { unsigned x = 0, y = 0, z = 0; };
thread_local Dim threadIdx, blockIdx;
Dim gridDim, blockDim;
struct uint4 { uint32_t x, y, z, w; };
inline uint4 make_uint4(uint32_t x, uint32_t y, uint32_t z, uint32_t w) { return {x, y, z, w}; }
struct __nv_bfloat16 { uint16_t bits; };
inline __nv_bfloat16 __float2bfloat16_rn(float v) {
  uint32_t u;
  std::memcpy(&u, &v, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) return {uint16_t((u >> 16) | 0x40)};
  u += 0x7fffu + ((u >> 16) & 1);
  return {uint16_t(u >> 16)};
}
using std::min;
std::barrier<>* ctaBarrier;
std::barrier<>* warpBarriers[32];
inline void __syncthreads() { ctaBarrier->arrive_and_wait(); }
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline int atomicAdd(int* p, int v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
inline int atomicExch(int* p, int v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
template <class T> inline T __ldg(const T* p) { return *p; }
template <class T> inline T __ldcg(const T* p) { return *p; }
template <class T> inline void __stcg(T* p, T v) { *p = v; }
`;

const HOST_HELPERS = String.raw`
inline uint4 load_weights(const uint8_t* p) { uint4 v; std::memcpy(&v, p, 16); return v; }
inline uint4 load_tokens(const uint8_t* p) { uint4 v; std::memcpy(&v, p, 16); return v; }
inline float e4m3(uint32_t code) {
  const uint32_t e = (code >> 3) & 15, m = code & 7;
  float v = e == 0 ? float(m) * 0.001953125f : std::ldexp(1.0f + float(m) / 8.0f, int(e) - 7);
  if (e == 15 && m == 7) v = NAN;
  return (code & 0x80) ? -v : v;
}
struct MmaOperands { uint32_t a[4], b[2]; };
MmaOperands mmaOperands[32][32];  // [warp][lane]
inline void mma_e4m3(float (&d)[4], uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t b0, uint32_t b1) {
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
  mmaOperands[warp][lane] = {{a0, a1, a2, a3}, {b0, b1}};
  warpBarriers[warp]->arrive_and_wait();
  for (int i = 0; i < 4; ++i) {
    const int row = g + 8 * (i / 2), col = 2 * t + i % 2;
    float sum = 0.0f;
    for (int k = 0; k < 32; ++k) {
      const uint32_t a = mmaOperands[warp][(row % 8) * 4 + (k % 16) / 4].a[row / 8 + 2 * (k / 16)];
      const uint32_t b = mmaOperands[warp][col * 4 + (k % 16) / 4].b[k / 16];
      sum += e4m3((a >> (8 * (k % 4))) & 255) * e4m3((b >> (8 * (k % 4))) & 255);
    }
    d[i] += sum;
  }
  warpBarriers[warp]->arrive_and_wait();
}
`;

const MAIN = String.raw`
static std::vector<char> slurp(const char* dir, const char* name) {
  char path[4096];
  std::snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = std::fopen(path, "rb");
  if (!f) { std::perror(path); std::exit(1); }
  std::fseek(f, 0, SEEK_END);
  std::vector<char> bytes(std::ftell(f));
  std::fseek(f, 0, SEEK_SET);
  if (std::fread(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::exit(1);
  std::fclose(f);
  return bytes;
}

int main(int argc, char** argv) {
  if (argc != 11) return 2;
  const char* dir = argv[1];
  const int M = std::atoi(argv[2]), N = std::atoi(argv[3]), K = std::atoi(argv[4]), splits = std::atoi(argv[5]);
  const unsigned columnBlocks = std::atoi(argv[6]), threads = std::atoi(argv[7]), combineBlocks = std::atoi(argv[8]);
  const size_t scratchBytes = std::atol(argv[9]);
  const int repeat = std::atoi(argv[10]);
  const std::vector<char> A = slurp(dir, "a.bin"), B = slurp(dir, "b.bin"), SA = slurp(dir, "scaleA.bin"), SB = slurp(dir, "scaleB.bin");
  std::vector<out_t> C(size_t(M) * N);
  std::vector<float> scratch(scratchBytes / 4, 0.0f);
  for (int pass = 0; pass <= repeat; ++pass) {
    std::memset(C.data(), 0xff, C.size() * sizeof(out_t));
    gridDim = {columnBlocks, unsigned(splits), 1};
    blockDim = {threads, 1, 1};
    for (unsigned y = 0; y < gridDim.y; ++y)
      for (unsigned x = 0; x < gridDim.x; ++x) {
        std::barrier<> cta(threads);
        ctaBarrier = &cta;
        std::vector<std::barrier<>*> warps;
        for (unsigned w = 0; w < threads / 32; ++w) warps.push_back(warpBarriers[w] = new std::barrier<>(32));
        std::vector<std::thread> pool;
        for (unsigned i = 0; i < threads; ++i)
          pool.emplace_back([&, i] {
            threadIdx = {i, 0, 0};
            blockIdx = {x, y, 0};
            fp8_gemv(reinterpret_cast<const uint8_t*>(A.data()), reinterpret_cast<const uint8_t*>(B.data()),
                     reinterpret_cast<const float*>(SA.data()), reinterpret_cast<const float*>(SB.data()), C.data(), M, N, K, splits, scratch.data());
          });
        for (std::thread& t : pool) t.join();
        for (std::barrier<>* b : warps) delete b;
      }
    if (combineBlocks > 0) {
      gridDim = {combineBlocks, 1, 1};
      blockDim = {256, 1, 1};
      for (unsigned x = 0; x < combineBlocks; ++x)
        for (unsigned i = 0; i < 256; ++i) {
          threadIdx = {i, 0, 0};
          blockIdx = {x, 0, 0};
          fp8_gemv_combine(C.data(), scratch.data(), M, N, splits);
        }
    }
  }
  char path[4096];
  std::snprintf(path, sizeof path, "%s/c.bin", dir);
  FILE* f = std::fopen(path, "wb");
  std::fwrite(C.data(), sizeof(out_t), C.size(), f);
  std::fclose(f);
  return 0;
}
`;

/** The host program of a GEMV source: its CUDA text with the PTX helpers replaced, between the shims and main. */
export function hostProgram(source: CudaKernelSource): string {
  const body = source.code.replace('#include <cuda_bf16.h>', '');
  if (!body.includes(GEMV_DEVICE_HELPERS)) throw new Error('the GEMV source does not hold its device helpers as gemv-kernel.ts writes them');
  return [PRELUDE, body.replace(GEMV_DEVICE_HELPERS, HOST_HELPERS), MAIN].join('\n');
}

export async function findGxx(): Promise<string | undefined> {
  try {
    await run('g++', ['--version']);
    return 'g++';
  } catch {
    return undefined;
  }
}

/** Builds (cached by program text in `cacheDir`) and runs the source's launches on the host; returns C as f32. */
export async function runOnHost(problem: GemmProblem, source: CudaKernelSource, workload: Workload, cacheDir: string, repeat = 0): Promise<Float32Array> {
  const program = hostProgram(source);
  const binary = join(cacheDir, `gemv-host-${sha256(program).slice(0, 24)}`);
  if (!existsSync(binary)) {
    const file = `${binary}.cpp`;
    writeFileSync(file, program);
    await run('g++', ['-std=c++20', '-O1', '-pthread', '-fno-strict-aliasing', '-w', '-o', binary, file], { maxBuffer: 16 << 20 });
  }
  const dir = mkdtempSync(join(tmpdir(), 'gemv-host-'));
  try {
    for (const name of ['a', 'b', 'scaleA', 'scaleB'] as const) {
      const data = workload.buffers[name].data!;
      writeFileSync(join(dir, `${name}.bin`), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    const [main, combine] = source.launches;
    const scratch = main.params.at(-1);
    if (scratch?.kind !== 'scratch') throw new Error('the GEMV launch ends with its scratch');
    const splits = main.grid[1];
    await run(binary, [dir, problem.M, problem.N, problem.K, splits, main.grid[0], main.block[0], combine ? combine.grid[0] : 0, scratch.bytes, repeat].map(String));
    const bytes = readFileSync(join(dir, 'c.bin'));
    if (source.outputTypes?.c !== 'bf16') return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const halves = new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return new Float32Array(new Uint32Array(Array.from(halves, (h) => h << 16)).buffer);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
