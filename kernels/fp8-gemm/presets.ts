// Named problems: the six (N, K) of DeepSeek-V3's FP8 GEMMs at M in {64, 128, 4096}, as DeepGEMM
// benchmarks them (../shared/reference/deepseek-v3.md, "Published kernel figures"), and small
// problems a CPU adapter sweeps in seconds.
import type { Capabilities } from '../../core/capabilities.ts';
import { bufferBytes, type GemmProblem } from './problem.ts';

/** (N, K) columns in the order of DeepGEMM's table. */
export const DEEPSEEK_V3_NK: readonly (readonly [number, number])[] = [
  [2112, 7168],
  [24576, 1536],
  [32768, 512],
  [7168, 16384],
  [4096, 7168],
  [7168, 2048],
];
export const DEEPSEEK_V3_M: readonly number[] = [64, 128, 4096];

const small: Record<string, GemmProblem> = {
  tiny: { M: 32, N: 64, K: 256 },
  small: { M: 128, N: 128, K: 512 },
  medium: { M: 256, N: 512, K: 1024 },
};

const deepseek: Record<string, GemmProblem> = Object.fromEntries(
  DEEPSEEK_V3_M.flatMap((M) => DEEPSEEK_V3_NK.map(([N, K]) => [`dsv3-m${M}-n${N}-k${K}`, { M, N, K }] as const)),
);

export const presets: Readonly<Record<string, GemmProblem>> = { ...small, ...deepseek };

/** `small` on a CPU adapter; on a GPU the largest M=4096 DeepSeek-V3 shape whose buffers fit. */
export function defaultGemmProblem(caps: Capabilities): GemmProblem {
  if (caps.isCpu) return presets.small;
  const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
  const fits = Object.values(deepseek)
    .filter((p) => p.M === 4096)
    .filter((p) => Object.values(bufferBytes(p)).every((b) => b <= limit));
  return fits.sort((x, y) => y.N * y.K - x.N * x.K)[0] ?? presets.medium;
}
