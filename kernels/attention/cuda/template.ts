// The KernelSource of a CUDA decode config: the even plan's split kernel over a (splits, head
// groups, B) grid and, with more than one split, the combine kernel over the query rows; or the
// balanced plan's kernel, then the split kernel over (CTAs, head groups), then the combine kernel. The split count, H, the
// GQA group and the block table's width are launch arguments, not compiled in, so one cubin serves
// every split count and every batch of a config.
import { sourceHeader } from '../../template.ts';
import type { CudaKernelSource, CudaLaunch, CudaParam } from '../../cuda-source.ts';
import type { BindingSpec } from '../../types.ts';
import { maxPagesPerSequence, PAGE_SIZE, queryRows, type AttentionShape } from '../shape.ts';
import { decodeKernelCode, SPLIT_ENTRY } from './kernel.ts';
import { COMBINE_ENTRY, COMBINE_THREADS, PLAN_ENTRY } from './merge.ts';
import { sharedBytes, type CudaDecodeConfig } from './space.ts';
import { WGMMA_THREADS } from './wgmma.ts';
import { cachePages } from './workload.ts';

export const SM90A_FLAGS = ['-gencode=arch=compute_90a,code=sm_90a', '-O3', '-std=c++17'] as const;

const pointer = (buffer: string): CudaParam => ({ kind: 'pointer', buffer });
const i32 = (value: number): CudaParam => ({ kind: 'i32', value });

const bindings = (params: readonly CudaParam[], written: readonly string[]): BindingSpec[] =>
  params.flatMap((p, binding) => (p.kind === 'pointer' ? [{ binding, buffer: p.buffer, access: written.includes(p.buffer) ? 'read-write' as const : 'read' as const }] : []));

/** The cache buffers the split kernel reads as its key and value operands. */
function cacheBuffers(s: AttentionShape, c: CudaDecodeConfig): [string, string] {
  if (!s.valuesInKeys) return ['k', 'v'];
  return c.cache === 'fp8' ? ['kvFp8', 'kvFp8'] : ['kv', 'kv'];
}

export function decodeCuda(family: string, problem: object, s: AttentionShape, c: CudaDecodeConfig): CudaKernelSource {
  const [keys, values] = cacheBuffers(s, c);
  const wgmma = c.kernel === 'wgmma';
  // The WGMMA kernel reads the latent cache through a tensor map of 64 x 64 boxes (128 bytes of bf16).
  // Over the FP8 cache it reads whole pages of raw rows by bulk copies from a pointer.
  const cache: CudaParam[] = wgmma
    ? c.cache === 'fp8'
      ? [pointer('kvFp8')]
      : [{ kind: 'tensor-map', buffer: 'kv', rows: cachePages(s) * PAGE_SIZE, cols: s.keyDim, boxRows: PAGE_SIZE, boxCols: 64, elementBytes: 2 }]
    : [pointer(keys), pointer(values)];
  const splitParams: CudaParam[] = [
    pointer('q'), ...cache, pointer('blockTable'), pointer('lengths'),
    pointer('o'), pointer('lse'), pointer('oPart'), pointer('lsePart'), pointer('plan'),
    i32(s.heads), i32(s.heads / s.kvHeads), i32(maxPagesPerSequence(s)), i32(c.splits), i32(s.batch),
  ];
  const balanced = c.schedule === 'balanced';
  const launches: CudaLaunch[] = [];
  if (balanced) {
    const planParams: CudaParam[] = [pointer('lengths'), pointer('plan'), i32(s.batch), i32(c.splits)];
    launches.push({ entryPoint: PLAN_ENTRY, grid: [1, 1, 1], block: [32, 1, 1], bindings: bindings(planParams, ['plan']), params: planParams });
  }
  launches.push({
    entryPoint: SPLIT_ENTRY,
    grid: [c.splits, s.heads / c.headsPerCta, balanced ? 1 : s.batch],
    block: [wgmma ? WGMMA_THREADS : 32 * c.warps, 1, 1],
    sharedBytes: sharedBytes(s, c),
    bindings: bindings(splitParams, ['o', 'lse', 'oPart', 'lsePart']),
    params: splitParams,
  });
  // Even with one split, every row is written by the split kernel; a balanced plan cuts whatever it must.
  if (balanced || c.splits > 1) {
    const combineParams: CudaParam[] = [
      pointer('oPart'), pointer('lsePart'), pointer('o'), pointer('lse'), pointer('plan'), i32(c.splits), i32(s.batch), i32(s.queryTokens * s.heads),
    ];
    launches.push({
      entryPoint: COMBINE_ENTRY,
      grid: [queryRows(s), 1, 1],
      block: [COMBINE_THREADS, 1, 1],
      bindings: bindings(combineParams, ['o', 'lse']),
      params: combineParams,
    });
  }
  return {
    language: 'cuda',
    code: [sourceHeader('//', family, problem, c), decodeKernelCode(s, c)].join('\n'),
    launches,
    flags: SM90A_FLAGS,
  };
}
