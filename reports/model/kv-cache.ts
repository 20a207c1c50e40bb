// KV-cache bytes per token for the attention variants, and the largest decode batch that fits a GPU.
// Elements per token per layer (DeepSeek-V2 paper, Table 1; shared/reference/deepseek-v3.md):
// MHA 2·n_h·d_h, GQA 2·n_g·d_h, MQA 2·d_h, MLA d_c + d_h^R (latent plus the shared RoPE key).

export type AttentionKind = 'MHA' | 'GQA' | 'MQA' | 'MLA';

export interface AttentionShape {
  kind: AttentionKind;
  /** Human description, e.g. "128 heads x 128". */
  detail: string;
  elementsPerTokenPerLayer: number;
}

export const kvElements = {
  mha: (heads: number, headDim: number) => 2 * heads * headDim,
  gqa: (groups: number, headDim: number) => 2 * groups * headDim,
  mqa: (headDim: number) => 2 * headDim,
  mla: (latentDim: number, ropeDim: number) => latentDim + ropeDim,
} as const;

/** DeepSeek-V3 (inference/configs/config_671B.json; shared/reference/deepseek-v3.md). */
export const deepseekV3 = {
  layers: 61,
  heads: 128,
  headDim: 128,
  kvLoraRank: 512,
  ropeHeadDim: 64,
  /** 671B parameters stored as FP8 e4m3, one byte each; 128x128 block scales add ~0.02%, left out. */
  weightBytes: 671e9,
  activeParams: 37e9,
} as const;

export const bf16Bytes = 2;

/** The four variants at DeepSeek-V3's dimensions; GQA with 8 groups as a common choice (illustrative). */
export function deepseekV3Variants(gqaGroups = 8): AttentionShape[] {
  const { heads, headDim, kvLoraRank, ropeHeadDim } = deepseekV3;
  return [
    { kind: 'MHA', detail: `${heads} heads x ${headDim}`, elementsPerTokenPerLayer: kvElements.mha(heads, headDim) },
    { kind: 'GQA', detail: `${gqaGroups} KV groups x ${headDim}`, elementsPerTokenPerLayer: kvElements.gqa(gqaGroups, headDim) },
    { kind: 'MQA', detail: `1 KV head x ${headDim}`, elementsPerTokenPerLayer: kvElements.mqa(headDim) },
    { kind: 'MLA', detail: `latent ${kvLoraRank} + RoPE key ${ropeHeadDim}`, elementsPerTokenPerLayer: kvElements.mla(kvLoraRank, ropeHeadDim) },
  ];
}

export function kvBytesPerTokenPerLayer(shape: AttentionShape, bytesPerElement = bf16Bytes): number {
  return shape.elementsPerTokenPerLayer * bytesPerElement;
}

export function kvBytesPerToken(shape: AttentionShape, layers: number = deepseekV3.layers, bytesPerElement = bf16Bytes): number {
  return kvBytesPerTokenPerLayer(shape, bytesPerElement) * layers;
}

export interface Deployment {
  /** HBM of one GPU, bytes. */
  gpuMemoryBytes: number;
  /** GPUs that hold one copy of the weights; the KV cache is spread over them (data-parallel attention). */
  gpus: number;
  weightBytes: number;
}

/** KV-cache bytes left on one GPU once its share of the weights is placed; 0 when the weights do not fit. */
export function kvBudgetPerGpu(d: Deployment): number {
  return Math.max(0, d.gpuMemoryBytes - d.weightBytes / d.gpus);
}

/** Smallest power-of-two instance whose weight share fills at most `weightShare` of each GPU. */
export function instanceSize(gpuMemoryBytes: number, weightBytes: number, weightShare = 0.75): number {
  let gpus = 1;
  while (weightBytes / gpus > weightShare * gpuMemoryBytes) gpus *= 2;
  return gpus;
}

/** Largest batch of sequences of `context` tokens whose KV cache fits the per-GPU budget. */
export function maxBatch(budgetBytes: number, bytesPerToken: number, context: number): number {
  return Math.floor(budgetBytes / (bytesPerToken * context));
}
