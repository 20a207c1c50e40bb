// The MLA absorbed decode problem as DeepSeek-V3 serves it (../shared/reference/deepseek-v3.md,
// "MLA in decode"): q [B, s_q, H, 576] (512 absorbed latent + 64 RoPE dims) against a paged latent
// cache [pages, 64, 576] shared by all H heads; o [B, s_q, H, 512] (values are the cache's first 512
// dims) and lse [B, s_q, H]. Softmax scale 1/sqrt(192): the unabsorbed q/k head dim, 128 + 64.
import { message, UsageError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { checkDecodeShape, decodeShapeValues } from '../attention/checks.ts';
import type { AttentionShape, StorageType } from '../attention/shape.ts';

/** kv_lora_rank (latent dims) and qk_rope_head_dim of DeepSeek-V3 (config_671B.json). */
export const LATENT_DIM = 512;
export const ROPE_DIM = 64;
/** qk_nope_head_dim + qk_rope_head_dim: the head dim the softmax scale is taken from. */
export const UNABSORBED_QK_DIM = 128 + ROPE_DIM;
export const MLA_SCALE = 1 / Math.sqrt(UNABSORBED_QK_DIM);

export type LengthPattern = 'fixed' | 'varied' | 'edges';

export interface MlaProblem {
  /** Sequences in the batch. */
  readonly B: number;
  /** Query tokens per sequence: 1, or 2 with multi-token prediction. */
  readonly sq: number;
  /** Query heads on this device (a tensor-parallel shard of 128). */
  readonly H: number;
  /** Longest sequence (tokens in cache, the step's query tokens included). */
  readonly L: number;
  /**
   * Every sequence L long; lengths spread over [L/4, L] (varlen batch); or the edge cases in turn
   * (L, 0, 1, 63, 64, 65, 129, L-1, clamped to L): empty sequences, partial and exactly full pages.
   */
  readonly lengths: LengthPattern;
  /** Storage of q and the cache: f16 stands in for the BF16 cache of real deployments. */
  readonly dtype: StorageType;
}

export const DIMENSIONS = ['B', 'sq', 'H', 'L', 'varied', 'edges', 'f32'] as const;
const REQUIRED = ['B', 'H', 'L'] as const;

const EDGE_LENGTHS = (L: number): number[] => [L, 0, 1, 63, 64, 65, 129, Math.max(0, L - 1)];

/**
 * Sequence lengths of a problem: deterministic in the problem alone (so flops and bytes are exact),
 * the first sequence always L long.
 */
export function sequenceLengths(p: { B: number; L: number; lengths: LengthPattern }): number[] {
  if (p.lengths === 'fixed') return Array.from({ length: p.B }, () => p.L);
  if (p.lengths === 'edges') return Array.from({ length: p.B }, (_, b) => Math.min(p.L, EDGE_LENGTHS(p.L)[b % 8]));
  const rng = createRng(p.B * 7919 + p.L);
  const low = Math.ceil(p.L / 4);
  return Array.from({ length: p.B }, (_, b) => (b === 0 ? p.L : low + rng.int(p.L - low + 1)));
}

export function mlaShape(p: MlaProblem): AttentionShape {
  return {
    batch: p.B,
    queryTokens: p.sq,
    heads: p.H,
    kvHeads: 1,
    keyDim: LATENT_DIM + ROPE_DIM,
    valueDim: LATENT_DIM,
    valuesInKeys: true,
    scale: MLA_SCALE,
    lengths: sequenceLengths(p),
    storage: p.dtype,
  };
}

/** The length pattern of --shape flags varied=1 / edges=1 (exclusive). */
export function lengthPattern(v: Readonly<Record<string, number>>): LengthPattern {
  if (v.varied && v.edges) throw new UsageError(message.exclusiveDimensions('varied', 'edges'));
  return v.varied ? 'varied' : v.edges ? 'edges' : 'fixed';
}

/** --shape flags that give back `pattern`. */
export const patternFlags = (pattern: LengthPattern): Record<string, number> => ({ varied: pattern === 'varied' ? 1 : 0, edges: pattern === 'edges' ? 1 : 0 });

export function mlaProblem(shape: Readonly<Record<string, number>>): MlaProblem {
  const v = decodeShapeValues('mla-decode', shape, DIMENSIONS, REQUIRED);
  return { B: v.B, sq: v.sq, H: v.H, L: v.L, lengths: lengthPattern(v), dtype: v.f32 ? 'f32' : 'f16' };
}

export function checkMlaProblem(p: MlaProblem, caps: Capabilities): void {
  mlaProblem({ B: p.B, sq: p.sq, H: p.H, L: p.L, ...patternFlags(p.lengths), f32: p.dtype === 'f32' ? 1 : 0 });
  checkDecodeShape('mla-decode', mlaShape(p), caps, p);
}
