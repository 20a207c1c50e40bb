// The mla-decode kernel family: DeepSeek-V3's absorbed MLA decode over a paged latent cache,
// split-KV with a combine pass, tunable on WebGPU.
import type { Verification } from '../../core/results.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { decodeSpace, type DecodeConfig } from '../attention/space.ts';
import { attentionBytes, attentionFlops, kvCacheBytes } from '../attention/shape.ts';
import { decodeTolerance, verifyAttention } from '../attention/verify.ts';
import { decodeBaseline } from '../attention/gpujs.ts';
import { decodeWgsl } from '../attention/wgsl.ts';
import { wgslDecodeModel } from '../attention/model/wgsl.ts';
import { attentionWorkload } from '../attention/workload.ts';
import type { CudaDecodeConfig } from '../attention/cuda/space.ts';
import { mlaDecodeCudaTarget } from './cuda/index.ts';
import type { RowElementTypes } from '../element-types.ts';
import type { KernelFamily, KernelSource, Outputs, Workload } from '../types.ts';
import { defaultMlaProblem, presets } from './presets.ts';
import { checkMlaProblem, DIMENSIONS, mlaProblem, mlaShape, type MlaProblem } from './problem.ts';

export const mlaDecode: KernelFamily<MlaProblem, DecodeConfig, CudaDecodeConfig> = {
  name: 'mla-decode',
  description: 'absorbed MLA decode: 576-dim latent keys, 512-dim values from the same paged cache, split-KV + combine',
  dimensions: DIMENSIONS,
  presets,
  problemFromShape: mlaProblem,
  defaultProblem: defaultMlaProblem,
  checkProblem: checkMlaProblem,
  workload: (problem: MlaProblem, seed: number): Workload => attentionWorkload(mlaShape(problem), seed),
  verify: (problem: MlaProblem, workload: Workload, outputs: Outputs): Verification =>
    verifyAttention(mlaShape(problem), workload, outputs, decodeTolerance()),
  flops: (problem: MlaProblem) => attentionFlops(mlaShape(problem)),
  bytes: (problem: MlaProblem, types?: RowElementTypes) => attentionBytes(mlaShape(problem), types),
  cacheBytes: (problem: MlaProblem, types?: RowElementTypes) => kvCacheBytes(mlaShape(problem), types?.cache),
  targets: {
    cuda: mlaDecodeCudaTarget,
    gpujs: { build: (context, problem, workload) => decodeBaseline(context, mlaShape(problem), workload) },
    wgsl: {
      space: (problem: MlaProblem, caps: Capabilities) => decodeSpace(mlaShape(problem), caps),
      source: (problem: MlaProblem, config: DecodeConfig): KernelSource => decodeWgsl('mla-decode', problem, mlaShape(problem), config),
      verify: (problem: MlaProblem, workload: Workload, outputs: Outputs, config: DecodeConfig): Verification =>
        verifyAttention(mlaShape(problem), workload, outputs, decodeTolerance(config)),
      model: wgslDecodeModel(mlaShape),
    },
  },
};
