// Named MHA / GQA / MQA decode problems: DeepSeek-V3's head counts (16..128 as tensor-parallel
// shards) with 128-dim heads, as MHA, GQA with 8 KV heads and MQA, and small CPU problems.
import type { Capabilities } from '../../core/capabilities.ts';
import { attentionBufferBytes } from '../attention/shape.ts';
import { DEEPSEEK_V3_HEAD_SHARDS, DEEPSEEK_V3_LENGTHS } from '../mla-decode/presets.ts';
import { mhaShape, type MhaProblem } from './problem.ts';

const small: Record<string, MhaProblem> = {
  'tiny-mha': { B: 2, sq: 1, H: 16, Hkv: 16, L: 200, lengths: 'varied', dtype: 'f16' },
  'tiny-gqa': { B: 2, sq: 1, H: 16, Hkv: 2, L: 200, lengths: 'varied', dtype: 'f16' },
  'tiny-mqa': { B: 2, sq: 1, H: 16, Hkv: 1, L: 200, lengths: 'varied', dtype: 'f16' },
  'tiny-mha-mtp': { B: 2, sq: 2, H: 16, Hkv: 16, L: 200, lengths: 'varied', dtype: 'f16' },
  'tiny-mha-f32': { B: 2, sq: 1, H: 16, Hkv: 16, L: 200, lengths: 'varied', dtype: 'f32' },
  'edges-gqa': { B: 8, sq: 2, H: 16, Hkv: 4, L: 150, lengths: 'edges', dtype: 'f16' },
  'small-mha': { B: 4, sq: 1, H: 16, Hkv: 16, L: 520, lengths: 'varied', dtype: 'f16' },
};

const KV_HEADS = { mha: (H: number) => H, gqa8: () => 8, mqa: () => 1 } as const;

const deepseek: Record<string, MhaProblem> = Object.fromEntries(
  Object.entries(KV_HEADS).flatMap(([kind, kvHeads]) =>
    DEEPSEEK_V3_HEAD_SHARDS.flatMap((H) =>
      [1, 32].flatMap((B) =>
        DEEPSEEK_V3_LENGTHS.map(
          (L) => [`dsv3-${kind}-h${H}-b${B}-l${L}`, { B, sq: 1, H, Hkv: kvHeads(H), L, lengths: 'fixed', dtype: 'f16' } as MhaProblem] as const,
        ),
      ),
    ),
  ),
);

export const presets: Readonly<Record<string, MhaProblem>> = { ...small, ...deepseek };

export function defaultMhaProblem(caps: Capabilities): MhaProblem {
  if (caps.isCpu) return caps.shaderF16 ? presets['tiny-mha'] : presets['tiny-mha-f32'];
  const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
  const fits = (p: MhaProblem): boolean => Object.values(attentionBufferBytes(mhaShape(p))).every((b) => b <= limit);
  const problem = [presets['dsv3-mha-h128-b32-l8192'], presets['dsv3-mha-h128-b1-l8192'], presets['dsv3-mha-h16-b1-l2048']].find(fits) ?? presets['small-mha'];
  return caps.shaderF16 ? problem : { ...problem, dtype: 'f32' };
}
