// The grouped (MoE expert) FP8 GEMM: for each expert g, C_g = A_g * B_g^T with DeepSeek-V3's
// block scales (1x128 on activations, 128x128 on weights, as fp8-gemm). Two layouts, as DeepGEMM
// names them: contiguous (tokens sorted by expert into one A, each expert's rows padded to `align`
// rows, a per-row expert index with -1 on padding rows) and masked (A [G, M_max, K] with masked_m[g]
// valid rows per expert). Rows that are padding, or past masked_m, are never written: the harness
// clears outputs before a run, so they read back as 0.
import { message, UsageError } from '../../core/errors.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { elementBytes, type RowElementTypes } from '../element-types.ts';
import { scaleBlocks } from '../fp8/quantize.ts';
import { checkKLength } from '../fp8/k-length.ts';
import { expertCounts, type Routing, type TopKRouting } from './routing.ts';

export type GroupedLayout = 'contiguous' | 'masked';

export interface GroupedProblem {
  /** Experts (groups). */
  readonly G: number;
  /** Average rows (routed tokens) per expert: G*M tokens in all. */
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly layout: GroupedLayout;
  readonly routing: Routing;
  /** Contiguous layout: each expert's rows start at a multiple of this. Masked: M_max is rounded up to it. */
  readonly align: number;
  /**
   * Top-k routing over a layer's experts, this GPU holding experts 0..G-1 (DeepSeek-V3: 256, top-8;
   * G=32 is its slice at EP=8); M is then the expected rows per expert. Absent: G*M rows drawn one by one.
   */
  readonly route?: TopKRouting;
}

export const DIMENSIONS = ['G', 'M', 'N', 'K', 'masked', 'zipf', 'align', 'experts', 'topk'] as const;

export interface GroupLayoutInfo {
  counts: number[];
  /** First row of each expert in A and C (contiguous: padded offsets; masked: g * mMax). */
  offsets: number[];
  /** Rows of A and C in all, padding included. */
  rows: number;
  /** Masked layout: rows per expert slot. */
  mMax: number;
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

export function groupLayout(p: GroupedProblem): GroupLayoutInfo {
  const counts = expertCounts(p.G, p.M, p.routing, p.route);
  if (p.layout === 'masked') {
    const mMax = Math.max(p.align, roundUp(Math.max(...counts), p.align));
    return { counts, offsets: counts.map((_, g) => g * mMax), rows: p.G * mMax, mMax };
  }
  const offsets: number[] = [];
  let rows = 0;
  for (const count of counts) {
    offsets.push(rows);
    rows += roundUp(count, p.align);
  }
  return { counts, offsets, rows: Math.max(rows, 1), mMax: 0 };
}

export function groupedProblem(shape: Readonly<Record<string, number>>): GroupedProblem {
  for (const name of Object.keys(shape)) {
    if (!(DIMENSIONS as readonly string[]).includes(name)) throw new UsageError(message.unknownDimension('grouped-gemm', name, DIMENSIONS));
  }
  const v: Record<string, number> = { masked: 0, zipf: 0, align: 128, experts: 0, topk: 0, ...shape };
  for (const name of ['G', 'M', 'N', 'K']) if (shape[name] === undefined) throw new UsageError(message.missingDimension('grouped-gemm', name));
  for (const name of ['G', 'M', 'N', 'K', 'align']) {
    if (!Number.isSafeInteger(v[name]) || v[name] <= 0) throw new UsageError(message.notPositive(name, v[name]));
  }
  for (const flag of ['masked', 'zipf']) if (v[flag] !== 0 && v[flag] !== 1) throw new UsageError(message.notOneOf(flag, v[flag], [0, 1]));
  checkKLength(v.K);
  if (v.align % 16 !== 0) throw new UsageError(message.notMultiple('align', v.align, 16));
  // experts=0 (the default): rows drawn one by one; otherwise top-k over that many experts, G of them here.
  for (const name of ['experts', 'topk']) {
    if (!Number.isSafeInteger(v[name]) || v[name] < 0) throw new UsageError(`grouped-gemm: ${name}=${v[name]} must be a whole number, 0 or more (0: no top-k routing)`);
  }
  if ((v.experts === 0) !== (v.topk === 0)) throw new UsageError('grouped-gemm: experts and topk go together (top-k routing over that many experts)');
  if (v.experts > 0 && (v.topk > v.experts || v.G > v.experts)) {
    throw new UsageError(`grouped-gemm: topk (${v.topk}) and G (${v.G}) must not exceed experts (${v.experts})`);
  }
  const route = v.experts > 0 ? { route: { experts: v.experts, topK: v.topk } } : {};
  return { G: v.G, M: v.M, N: v.N, K: v.K, layout: v.masked ? 'masked' : 'contiguous', routing: v.zipf ? 'zipf' : 'uniform', align: v.align, ...route };
}

/** 128-wide K blocks, one scale each: the last one partial when K is not a multiple of 128. */
export const kBlocks = (p: GroupedProblem): number => scaleBlocks(p.K);
export const nBlocks = (p: GroupedProblem): number => scaleBlocks(p.N);

export function bufferBytes(p: GroupedProblem, layout = groupLayout(p)): Record<string, number> {
  return {
    a: layout.rows * p.K,
    b: p.G * p.N * p.K,
    scaleA: 4 * layout.rows * kBlocks(p),
    scaleB: 4 * p.G * nBlocks(p) * kBlocks(p),
    c: 4 * layout.rows * p.N,
    rowInfo: 4 * (p.layout === 'masked' ? p.G : layout.rows),
  };
}

/** Useful work: the valid rows only (padding rows are not work). */
export const groupedFlops = (p: GroupedProblem): number => 2 * groupLayout(p).counts.reduce((a, c) => a + c, 0) * p.N * p.K;

/**
 * Compulsory traffic: valid A rows and their scales, the weights of experts that got tokens, valid C
 * rows, in the row's element types (e4m3 operands with f32 scales and f32 output unless named).
 */
export function groupedBytes(p: GroupedProblem, types: RowElementTypes = {}): number {
  const { counts } = groupLayout(p);
  const rows = counts.reduce((a, c) => a + c, 0);
  const experts = counts.filter((c) => c > 0).length;
  const operand = elementBytes(types.operands ?? 'e4m3');
  const scales = (types.operands ?? 'e4m3') === 'e4m3' ? 4 : 0;
  const output = elementBytes(types.output ?? 'f32');
  return (
    rows * (operand * p.K + scales * kBlocks(p) + output * p.N) +
    experts * (operand * p.N * p.K + scales * nBlocks(p) * kBlocks(p)) +
    bufferBytes(p).rowInfo
  );
}

export function checkGroupedProblem(p: GroupedProblem, caps: Capabilities): void {
  groupedProblem({
    G: p.G, M: p.M, N: p.N, K: p.K, masked: p.layout === 'masked' ? 1 : 0, zipf: p.routing === 'zipf' ? 1 : 0, align: p.align,
    ...(p.route ? { experts: p.route.experts, topk: p.route.topK } : {}),
  });
  const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
  for (const [name, bytes] of Object.entries(bufferBytes(p))) {
    if (bytes > limit) throw new UsageError(message.tooLargeForDevice(`grouped-gemm buffer ${name}`, bytes, limit));
  }
}
