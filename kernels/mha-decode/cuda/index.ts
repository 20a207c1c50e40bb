// The mha-decode family's CUDA target (sm_90a), the tuned baseline MLA is compared with: the same
// split kernel and combine as MLA (kernels/attention/cuda/) over separate paged K and V caches of
// 128-dim heads, a CTA serving the query heads of one KV head (GQA), and torch's flash SDPA as the
// peer in the same call, with the roofs MLA's are (kernels/roofs/): the same comparison, same yardsticks.
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
import { mhaShape, type MhaProblem } from '../problem.ts';

export const MHA_DECODE_PEERS: readonly Peer<MhaProblem>[] = [
  {
    name: 'torch',
    config: { library: 'torch', via: 'aten._scaled_dot_product_flash_attention over K and V gathered contiguous (untimed), KV heads repeated for GQA' },
    via: { kind: 'command', command: ['python3', 'peers/mha-decode/torch_sdpa.py'], outputs: { o: 'f32', lse: 'f32' } },
    // Flash SDPA writes o in bf16 (2^-9 of |o|), inside our bound (2^-8 x max|v|).
    verify: (problem, workload, outputs) => verifyCudaDecode(mhaShape(problem), workload, outputs),
  },
  // K and V of every cached token; past 2 GiB (MHA at 128 heads) the copy stops at 2 GiB.
  copyRoof((problem: MhaProblem) => kvCacheBytes(mhaShape(problem))),
  cublasBf16Roof<MhaProblem>(),
];

export const mhaDecodeCudaTarget: Target<MhaProblem, CudaDecodeConfig> = {
  space: (problem, caps) => cudaDecodeSpace(mhaShape(problem), caps),
  candidates: (problem, caps) => cudaDecodeCandidates(mhaShape(problem), caps),
  source: (problem, config) => decodeCuda('mha-decode', problem, mhaShape(problem), config),
  workload: (problem, seed) => cudaDecodeWorkload(mhaShape(problem), seed),
  verify: (problem, workload, outputs) => verifyCudaDecode(mhaShape(problem), workload, outputs),
  peers: MHA_DECODE_PEERS,
  model: cudaDecodeModel(mhaShape),
};
