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

/** DeepSeek-V3's router: 256 routed experts, 8 per token. */
export const DEEPSEEK_V3_ROUTE = { experts: 256, topK: 8 } as const;
/** Experts per GPU at expert parallelism 8 (256 / 8). */
export const EP8_EXPERTS = 32;
/** Expected tokens per expert of decode batches (masked layout, DeepGEMM's decode kernel). */
export const DECODE_TOKENS_PER_EXPERT = [16, 32, 64, 128, 256, 512, 1024] as const;

/**
 * Routing as the model has it: top-8 of 256 experts, uniform or Zipf-skewed popularity, over the whole
 * layer on one GPU (G=256) and over the 32 experts one GPU holds at EP=8; masked at decode-sized groups.
 */
const routed: Record<string, GroupedProblem> = Object.fromEntries([
  ...[128, 512].flatMap((M) => DEEPSEEK_V3_EXPERT_NK.flatMap(([N, K]) => (['uniform', 'zipf'] as const).map((routing) => [
    `dsv3-layer-top8-g256-m${M}-n${N}-k${K}-${routing}`,
    { G: 256, M, N, K, layout: 'contiguous', routing, align: 128, route: DEEPSEEK_V3_ROUTE } as GroupedProblem,
  ] as const))),
  ...[256, 1024].flatMap((M) => DEEPSEEK_V3_EXPERT_NK.flatMap(([N, K]) => (['uniform', 'zipf'] as const).map((routing) => [
    `dsv3-ep8-contiguous-g${EP8_EXPERTS}-m${M}-n${N}-k${K}-${routing}`,
    { G: EP8_EXPERTS, M, N, K, layout: 'contiguous', routing, align: 128, route: DEEPSEEK_V3_ROUTE } as GroupedProblem,
  ] as const))),
  // Zipf only up to 128 expected tokens: the masked A is G x (busiest expert's rows), and the busiest
  // of a Zipf layer gets ~60% of the tokens (M=1024: 32 x 20672 rows x 7168, 4.7 GB).
  ...DECODE_TOKENS_PER_EXPERT.flatMap((M) => DEEPSEEK_V3_EXPERT_NK.flatMap(([N, K]) => (M <= 128 ? ['uniform', 'zipf'] as const : ['uniform'] as const).map((routing) => [
    `dsv3-ep8-masked-g${EP8_EXPERTS}-m${M}-n${N}-k${K}-${routing}`,
    { G: EP8_EXPERTS, M, N, K, layout: 'masked', routing, align: 64, route: DEEPSEEK_V3_ROUTE } as GroupedProblem,
  ] as const))),
]);

export const presets: Readonly<Record<string, GroupedProblem>> = { ...small, ...deepseek, ...routed };

export function defaultGroupedProblem(caps: Capabilities): GroupedProblem {
  if (caps.isCpu) return presets['tiny-contiguous-zipf'];
  const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
  const fits = (p: GroupedProblem) => Object.values(bufferBytes(p)).every((x) => x <= limit);
  return [presets['dsv3-contiguous-g8-m4096-n4096-k7168-zipf'], presets['dsv3-masked-g8-m128-n4096-k7168-zipf']].find(fits) ?? presets['small-contiguous-zipf'];
}
