// The MHA / GQA / MQA decode baseline MLA is compared against, over the same 64-token pages:
// q [B, s_q, H, 128], separate K and V caches [pages, 64, H_kv, 128], o [B, s_q, H, 128] and
// lse [B, s_q, H]. H_kv = H is MHA, 1 < H_kv < H is GQA (H/H_kv heads share a KV head), H_kv = 1 is MQA.
// DeepSeek-V3's unabsorbed head dims (v_head_dim 128, ../shared/reference/deepseek-v3.md) size it.
import { message, UsageError } from '../../core/errors.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { checkDecodeShape, decodeShapeValues } from '../attention/checks.ts';
import type { AttentionShape, StorageType } from '../attention/shape.ts';
import { lengthPattern, patternFlags, sequenceLengths, type LengthPattern } from '../mla-decode/problem.ts';

export const HEAD_DIM = 128;

export interface MhaProblem {
  readonly B: number;
  readonly sq: number;
  readonly H: number;
  /** KV heads: H (MHA), a divisor of H (GQA), 1 (MQA). */
  readonly Hkv: number;
  readonly L: number;
  readonly lengths: LengthPattern;
  readonly dtype: StorageType;
}

export type AttentionKind = 'mha' | 'gqa' | 'mqa';
export const attentionKind = (p: MhaProblem): AttentionKind => (p.Hkv === p.H ? 'mha' : p.Hkv === 1 ? 'mqa' : 'gqa');

export const DIMENSIONS = ['B', 'sq', 'H', 'Hkv', 'L', 'varied', 'edges', 'f32'] as const;
const REQUIRED = ['B', 'H', 'L'] as const;

export function mhaShape(p: MhaProblem): AttentionShape {
  return {
    batch: p.B,
    queryTokens: p.sq,
    heads: p.H,
    kvHeads: p.Hkv,
    keyDim: HEAD_DIM,
    valueDim: HEAD_DIM,
    valuesInKeys: false,
    scale: 1 / Math.sqrt(HEAD_DIM),
    lengths: sequenceLengths(p),
    storage: p.dtype,
  };
}

export function mhaProblem(shape: Readonly<Record<string, number>>): MhaProblem {
  const v = decodeShapeValues('mha-decode', { Hkv: shape.H, ...shape }, DIMENSIONS, REQUIRED);
  if (v.Hkv === 0 || v.H % v.Hkv !== 0) throw new UsageError(message.notDivisor('Hkv', v.Hkv, 'H', v.H));
  return { B: v.B, sq: v.sq, H: v.H, Hkv: v.Hkv, L: v.L, lengths: lengthPattern(v), dtype: v.f32 ? 'f32' : 'f16' };
}

export function checkMhaProblem(p: MhaProblem, caps: Capabilities): void {
  mhaProblem({ B: p.B, sq: p.sq, H: p.H, Hkv: p.Hkv, L: p.L, ...patternFlags(p.lengths), f32: p.dtype === 'f32' ? 1 : 0 });
  checkDecodeShape('mha-decode', mhaShape(p), caps, p);
}
