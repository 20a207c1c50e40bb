// Named MLA decode problems: DeepSeek-V3 at FlashMLA's serving points (h_q in {16, 32, 64, 128} as
// tensor-parallel shards of 128 heads, s_q in {1, 2}, ../shared/reference/deepseek-v3.md) with
// batches up to 128 and lengths 2048, 4096 and 8192, and small problems a CPU adapter sweeps in seconds.
import type { Capabilities } from '../../core/capabilities.ts';
import { attentionBufferBytes } from '../attention/shape.ts';
import { mlaShape, type MlaProblem } from './problem.ts';

export const DEEPSEEK_V3_HEAD_SHARDS: readonly number[] = [16, 32, 64, 128];
export const DEEPSEEK_V3_BATCHES: readonly number[] = [1, 32, 128];
/** 4096 and 8192: the lengths issue 18's memory-bound bars and the MLA-versus-MHA bar are set at. */
export const DEEPSEEK_V3_LENGTHS: readonly number[] = [2048, 4096, 8192];

const small: Record<string, MlaProblem> = {
  tiny: { B: 2, sq: 1, H: 16, L: 200, lengths: 'varied', dtype: 'f16' },
  'tiny-mtp': { B: 2, sq: 2, H: 16, L: 200, lengths: 'varied', dtype: 'f16' },
  'tiny-f32': { B: 2, sq: 1, H: 16, L: 200, lengths: 'varied', dtype: 'f32' },
  /** Lengths 0, 1, 63, 64, 65, 129 and full, two query tokens: the edge cases in one batch. */
  edges: { B: 8, sq: 2, H: 16, L: 150, lengths: 'edges', dtype: 'f16' },
  small: { B: 4, sq: 1, H: 16, L: 520, lengths: 'varied', dtype: 'f16' },
  'small-mtp': { B: 4, sq: 2, H: 16, L: 520, lengths: 'varied', dtype: 'f16' },
};

const deepseek: Record<string, MlaProblem> = Object.fromEntries(
  DEEPSEEK_V3_HEAD_SHARDS.flatMap((H) =>
    DEEPSEEK_V3_BATCHES.flatMap((B) =>
      DEEPSEEK_V3_LENGTHS.flatMap((L) =>
        [1, 2].map((sq) => [`dsv3-h${H}-b${B}-l${L}-sq${sq}`, { B, sq, H, L, lengths: 'fixed', dtype: 'f16' } as MlaProblem] as const),
      ),
    ),
  ),
);

export const presets: Readonly<Record<string, MlaProblem>> = { ...small, ...deepseek };

/** `tiny` on a CPU adapter; on a GPU the 128-head, batch-32, 8192-token step if it fits. */
export function defaultMlaProblem(caps: Capabilities): MlaProblem {
  if (caps.isCpu) return caps.shaderF16 ? presets.tiny : presets['tiny-f32'];
  const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
  const fits = (p: MlaProblem): boolean => Object.values(attentionBufferBytes(mlaShape(p))).every((b) => b <= limit);
  const wanted = presets['dsv3-h128-b32-l8192-sq1'];
  const problem = fits(wanted) ? wanted : presets['dsv3-h128-b1-l8192-sq1'];
  return caps.shaderF16 ? problem : { ...problem, dtype: 'f32' };
}
