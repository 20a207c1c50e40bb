// The mla-decode kernel family: DeepSeek-V3's absorbed MLA decode over a paged latent cache,
// split-KV with a combine pass, tunable on WebGPU.
import type { Verification } from '../../core/results.ts';
import type { Capabilities } from '../../harness/capabilities.ts';
import { decodeSpace, type DecodeConfig } from '../attention/space.ts';
import { attentionBytes, attentionFlops } from '../attention/shape.ts';
import { verifyAttention, type Tolerance } from '../attention/verify.ts';
import { decodeWgsl } from '../attention/wgsl.ts';
import { attentionWorkload } from '../attention/workload.ts';
import type { HostArray, KernelFamily, KernelSource, Workload } from '../types.ts';
import { defaultMlaProblem, presets } from './presets.ts';
import { checkMlaProblem, DIMENSIONS, mlaProblem, mlaShape, type MlaProblem } from './problem.ts';

/**
 * Allowed error per output element: abs + rel * |reference|. With an f32 cache every config computes
 * in f32 (errors ~1e-6); with an f16 cache a config may form q.k products in f16, whose 4-term
 * partial sums round to 11 bits: measured 5e-5 in o on lavapipe, bounded here by 2e-3. A split that
 * loses a step of tokens moves lse by log(1 - dropped/visible), far outside either bound.
 */
export function decodeTolerance(dtype: 'f16' | 'f32'): Tolerance {
  return dtype === 'f16' ? { abs: 2e-3, rel: 2e-3 } : { abs: 1e-4, rel: 1e-4 };
}

export const mlaDecode: KernelFamily<MlaProblem, DecodeConfig> = {
  name: 'mla-decode',
  description: 'absorbed MLA decode: 576-dim latent keys, 512-dim values from the same paged cache, split-KV + combine',
  dimensions: DIMENSIONS,
  presets,
  problemFromShape: mlaProblem,
  defaultProblem: defaultMlaProblem,
  checkProblem: checkMlaProblem,
  space: (problem: MlaProblem, caps: Capabilities) => decodeSpace(mlaShape(problem), caps),
  workload: (problem: MlaProblem, seed: number): Workload => attentionWorkload(mlaShape(problem), seed),
  verify: (problem: MlaProblem, workload: Workload, outputs: Readonly<Record<string, HostArray>>): Verification =>
    verifyAttention(mlaShape(problem), workload, outputs, decodeTolerance(problem.dtype)),
  flops: (problem: MlaProblem) => attentionFlops(mlaShape(problem)),
  bytes: (problem: MlaProblem) => attentionBytes(mlaShape(problem)),
  wgsl: (problem: MlaProblem, config: DecodeConfig, _caps: Capabilities): KernelSource =>
    decodeWgsl('mla-decode', problem, mlaShape(problem), config),
};
