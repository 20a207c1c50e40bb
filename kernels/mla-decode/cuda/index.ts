// The mla-decode family's CUDA target (sm_90a): the split kernel and combine over the bf16 latent
// cache or its FP8 form, candidates generated from the shape and the SM count, inputs in bf16 with
// the FP8 cache beside them (kernels/attention/cuda/workload.ts), and the peers measured in the same
// call: torch eager absorbed MLA and FlashMLA, external commands over the same input files, and the
// roofs its rates are held to (a device-to-device copy as large as the latent cache, cuBLAS BF16 at
// 8192 cubed: kernels/roofs/).
import type { Peer, Target } from '../../types.ts';
import { kvCacheBytes } from '../../attention/shape.ts';
import { copyRoof } from '../../roofs/copy.ts';
import { cublasBf16Roof } from '../../roofs/cublas-bf16.ts';
import { cudaDecodeCandidates } from '../../attention/cuda/candidates.ts';
import { cudaDecodeModel } from '../../attention/cuda/model.ts';
import { cudaDecodeSpace, type CudaDecodeConfig } from '../../attention/cuda/space.ts';
import { decodeCuda } from '../../attention/cuda/template.ts';
import { verifyCudaDecode } from '../../attention/cuda/verify.ts';
import { cudaDecodeWorkload } from '../../attention/cuda/workload.ts';
import { mlaShape, type MlaProblem } from '../problem.ts';

const verify: Peer<MlaProblem>['verify'] = (problem, workload, outputs) => verifyCudaDecode(mlaShape(problem), workload, outputs);

export const MLA_DECODE_PEERS: readonly Peer<MlaProblem>[] = [
  {
    name: 'torch',
    config: { library: 'torch', via: 'eager absorbed MLA: gather, einsum, masked softmax (f32 math over bf16 inputs)', cache: 'bf16' },
    via: { kind: 'command', command: ['python3', 'peers/mla-decode/torch_absorbed.py'], outputs: { o: 'f32', lse: 'f32' } },
    verify,
  },
  {
    name: 'flashmla',
    config: { library: 'FlashMLA', via: 'flash_mla_with_kvcache (bf16 paged cache, causal)', cache: 'bf16', out: 'bf16' },
    // FlashMLA writes o in bf16: its rounding (2^-9 of |o|) sits inside our bound (2^-8 x max|v|).
    via: { kind: 'command', command: ['python3', 'peers/mla-decode/flashmla.py'], outputs: { o: 'f32', lse: 'f32' } },
    verify,
  },
  // The latent cache in bf16 (1152 bytes a token): the copy's rate is the same at FP8's 656.
  copyRoof((problem: MlaProblem) => kvCacheBytes(mlaShape(problem))),
  cublasBf16Roof<MlaProblem>(),
];

export const mlaDecodeCudaTarget: Target<MlaProblem, CudaDecodeConfig> = {
  space: (problem, caps) => cudaDecodeSpace(mlaShape(problem), caps),
  candidates: (problem, caps) => cudaDecodeCandidates(mlaShape(problem), caps),
  source: (problem, config) => decodeCuda('mla-decode', problem, mlaShape(problem), config),
  workload: (problem, seed) => cudaDecodeWorkload(mlaShape(problem), seed),
  verify: (problem, workload, outputs) => verifyCudaDecode(mlaShape(problem), workload, outputs),
  peers: MLA_DECODE_PEERS,
  model: cudaDecodeModel(mlaShape),
};
