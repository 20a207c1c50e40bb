// Named grouped GEMM problems: DeepSeek-V3's expert GEMMs (N, K) = (4096, 7168) and (7168, 2048)
// (../shared/reference/deepseek-v3.md: DeepGEMM's grouped contiguous and masked tables) with 4, 8
// and 256 experts, uniform and Zipf-skewed routing; and small problems a CPU adapter runs in seconds.
import type { Capabilities } from '../../core/capabilities.ts';
import { bufferBytes, type GroupedProblem } from './problem.ts';

export const DEEPSEEK_V3_EXPERT_NK: readonly (readonly [number, number])[] = [
  [4096, 7168],
  [7168, 2048],
];

const small: Record<string, GroupedProblem> = {
  'tiny-contiguous': { G: 4, M: 40, N: 160, K: 256, layout: 'contiguous', routing: 'uniform', align: 32 },
  'tiny-contiguous-zipf': { G: 4, M: 40, N: 160, K: 256, layout: 'contiguous', routing: 'zipf', align: 32 },
  'tiny-masked': { G: 4, M: 40, N: 160, K: 256, layout: 'masked', routing: 'uniform', align: 32 },
  'tiny-masked-zipf': { G: 4, M: 40, N: 160, K: 256, layout: 'masked', routing: 'zipf', align: 32 },
  'small-contiguous-zipf': { G: 8, M: 64, N: 256, K: 512, layout: 'contiguous', routing: 'zipf', align: 64 },
};

/** DeepGEMM's benchmark points (groups, rows per group) plus 256 experts at decode-sized M. */
const POINTS: readonly { layout: GroupedProblem['layout']; G: number; M: number }[] = [
  { layout: 'contiguous', G: 4, M: 8192 },
  { layout: 'contiguous', G: 8, M: 4096 },
  { layout: 'contiguous', G: 256, M: 128 },
  { layout: 'masked', G: 4, M: 256 },
  { layout: 'masked', G: 8, M: 128 },
  { layout: 'masked', G: 256, M: 32 },
];

const deepseek: Record<string, GroupedProblem> = Object.fromEntries(
  POINTS.flatMap(({ layout, G, M }) =>
    DEEPSEEK_V3_EXPERT_NK.flatMap(([N, K]) =>
      (['uniform', 'zipf'] as const).map((routing) => [
        `dsv3-${layout}-g${G}-m${M}-n${N}-k${K}-${routing}`,
        { G, M, N, K, layout, routing, align: 128 } as GroupedProblem,
      ] as const),
    ),
  ),
);

export const presets: Readonly<Record<string, GroupedProblem>> = { ...small, ...deepseek };

export function defaultGroupedProblem(caps: Capabilities): GroupedProblem {
  if (caps.isCpu) return presets['tiny-contiguous-zipf'];
  const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
  const fits = (p: GroupedProblem) => Object.values(bufferBytes(p)).every((x) => x <= limit);
  return [presets['dsv3-contiguous-g8-m4096-n4096-k7168-zipf'], presets['dsv3-masked-g8-m128-n4096-k7168-zipf']].find(fits) ?? presets['small-contiguous-zipf'];
}
