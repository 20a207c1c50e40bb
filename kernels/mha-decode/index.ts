// The mha-decode kernel family: MHA / GQA / MQA decode over the same paged cache and the same
// split-KV template as mla-decode, tuned the same way, so MLA is compared against a tuned baseline.
import type { Capabilities } from '../../core/capabilities.ts';
import { attentionBytes, attentionFlops, kvCacheBytes } from '../attention/shape.ts';
import { decodeSpace, type DecodeConfig } from '../attention/space.ts';
import { decodeTolerance, verifyAttention } from '../attention/verify.ts';
import { decodeBaseline } from '../attention/gpujs.ts';
import { decodeWgsl } from '../attention/wgsl.ts';
import { wgslDecodeModel } from '../attention/model/wgsl.ts';
import { attentionWorkload } from '../attention/workload.ts';
import type { CudaDecodeConfig } from '../attention/cuda/space.ts';
import { mhaDecodeCudaTarget } from './cuda/index.ts';
import type { RowElementTypes } from '../element-types.ts';
import type { KernelFamily, Outputs, Workload } from '../types.ts';
import { defaultMhaProblem, presets } from './presets.ts';
import { checkMhaProblem, DIMENSIONS, mhaProblem, mhaShape, type MhaProblem } from './problem.ts';

export const mhaDecode: KernelFamily<MhaProblem, DecodeConfig, CudaDecodeConfig> = {
  name: 'mha-decode',
  description: 'MHA / GQA / MQA decode baseline: 128-dim heads, separate paged K and V caches, split-KV + combine',
  dimensions: DIMENSIONS,
  presets,
  problemFromShape: mhaProblem,
  defaultProblem: defaultMhaProblem,
  checkProblem: checkMhaProblem,
  workload: (problem: MhaProblem, seed: number): Workload => attentionWorkload(mhaShape(problem), seed),
  verify: (problem: MhaProblem, workload: Workload, outputs: Outputs) => verifyAttention(mhaShape(problem), workload, outputs, decodeTolerance()),
  flops: (problem: MhaProblem) => attentionFlops(mhaShape(problem)),
  bytes: (problem: MhaProblem, types?: RowElementTypes) => attentionBytes(mhaShape(problem), types),
  cacheBytes: (problem: MhaProblem, types?: RowElementTypes) => kvCacheBytes(mhaShape(problem), types?.cache),
  targets: {
    cuda: mhaDecodeCudaTarget,
    gpujs: { build: (context, problem, workload) => decodeBaseline(context, mhaShape(problem), workload) },
    wgsl: {
      space: (problem: MhaProblem, caps: Capabilities) => decodeSpace(mhaShape(problem), caps),
      source: (problem: MhaProblem, config: DecodeConfig) => decodeWgsl('mha-decode', problem, mhaShape(problem), config),
      verify: (problem: MhaProblem, workload: Workload, outputs: Outputs, config: DecodeConfig) =>
        verifyAttention(mhaShape(problem), workload, outputs, decodeTolerance(config)),
      model: wgslDecodeModel(mhaShape),
    },
  },
};
