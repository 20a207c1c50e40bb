// Analytic time of the sm_90a paged decode (split kernel and combine, kernels/attention/cuda/) for one
// config, in SM cycles, before anything is measured.
//
// A CTA serves `headsPerCta` query heads of one KV head for every query token of the step, so it
// reads the whole cache of its piece of a sequence, and the cache is read once per head group: more
// heads a CTA, fewer tiles in all. It walks its tiles one after another; a tile's time on its SM is
// the longer of what the SM's shared resources need (tensor cores, shared-memory bandwidth, the bytes
// coming in from L2) and the tile's chain of dependent steps (the q.k accumulations, the softmax
// reductions, the barriers between the phases), its loads hidden behind the tiles in flight, and at
// least its share of the HBM while every SM streams at once. Query rows are padded to the MMA's rows:
// 16 (mma.sync, m16n8k16) or 64 (WGMMA, m64): 16 heads on the WGMMA kernel do a 64-row tile's work.
// The WGMMA kernel's scores 'whole' compute q.k once per warpgroup (twice in all), 'halves' and
// 'alternating' once; 'alternating' overlaps one warpgroup's softmax with the other's products, but
// with whole-page loads it waits for a page's load every second page; 'transposed' pads the rows to
// 8 only (tokens as the MMA's m), its products bound by the page's bytes through shared memory. The CTAs (B x head groups x
// splits, or head groups x splits on the balanced plan) run in waves over the SMs (x CTAs an SM);
// more splits fill the SMs at small batch but add a pipeline fill per CTA and the combine kernel (a
// launch, and every partial output written and read back in f32).
//
// Device figures: the SM count from the device (caps.cuda.smCount); the rates of an sm_90 part
// (../../fp8-gemm/model/sm90.ts, and the decode's own below, each with its source or marked an
// estimate). None was fitted to the recorded decode sweeps; only ratios between configs of one problem
// matter for ranking.
import type { Capabilities } from '../../../core/capabilities.ts';
import { SM90 } from '../../fp8-gemm/model/sm90.ts';
import { makespan } from '../../makespan.ts';
import type { CostEstimate, CostModel } from '../../types.ts';
import type { AttentionShape } from '../shape.ts';
import { PLAN_OVERHEAD_TOKENS } from './merge.ts';
import { FP8_ROW_BYTES } from './workload.ts';

/** Figures of the decode kernels on an sm_90 SM, in cycles (beside SM90's). */
export const SM90_DECODE = {
  /** Dense BF16 WGMMA per SM: half the FP8 rate (989 against 1979 TFLOP/s on the datasheet). */
  wgmmaMacsPerCycle: SM90.macsPerCycle / 2,
  /** BF16 mma.sync m16n8k16 per SM: an estimate, half of WGMMA's (published sm_90 microbenchmarks put the legacy MMA at 50-65% of WGMMA). */
  mmaMacsPerCycle: SM90.macsPerCycle / 4,
  /** Shared memory per SM: 32 banks of 4 bytes a cycle. */
  sharedBytesPerCycle: 128,
  /** One mma.sync to the next that accumulates into the same registers (an estimate, ~30 cycles on sm_80/sm_90). */
  mmaLatency: 32,
  /** A shared-memory load's latency (an estimate, ~30 cycles). */
  sharedLatency: 30,
  /** A warp shuffle's latency (an estimate). */
  shuffleLatency: 25,
  /** __syncthreads or a named barrier when the warps arrive together (an estimate). */
  barrier: 40,
  /** From a WGMMA group's last issue to its wait returning (an estimate). */
  wgmmaWait: 100,
  /** FP32 instructions issued per cycle per SM (4 sub-partitions x 32 lanes). */
  lanesPerCycle: 128,
  /** Cycles between two kernels of one stream (~2 us at ~1.8 GHz, the launch gap back to back; as cuda-gemv.ts). */
  launchGap: 3600,
} as const;

/**
 * The one place the model reads a CUDA decode config (the config type is being reshaped: only this
 * accessor follows it). Absent options read as their defaults.
 */
export interface DecodeSchedule {
  kernel: 'mma-sync' | 'wgmma';
  scores: 'whole' | 'halves' | 'alternating' | 'transposed';
  loads: 'page' | 'boxes';
  overlap: 'none' | 'softmax';
  headsPerCta: number;
  tokensPerTile: number;
  stages: number;
  warps: number;
  schedule: 'even' | 'balanced';
  splits: number;
  ctasPerSm: number;
  cache: 'bf16' | 'fp8';
}

const read = (config: object, name: string): unknown => (config as Record<string, unknown>)[name];
const number = (config: object, name: string, fallback: number): number => (typeof read(config, name) === 'number' ? (read(config, name) as number) : fallback);
const oneOf = <T extends string>(config: object, name: string, values: readonly T[], fallback: T): T =>
  values.includes(read(config, name) as T) ? (read(config, name) as T) : fallback;

export function decodeSchedule(config: object): DecodeSchedule {
  return {
    kernel: oneOf(config, 'kernel', ['mma-sync', 'wgmma'] as const, 'mma-sync'),
    scores: oneOf(config, 'scores', ['whole', 'halves', 'alternating', 'transposed'] as const, 'whole'),
    loads: oneOf(config, 'loads', ['page', 'boxes'] as const, 'page'),
    overlap: oneOf(config, 'overlap', ['none', 'softmax'] as const, 'none'),
    headsPerCta: number(config, 'headsPerCta', 1),
    tokensPerTile: number(config, 'tokensPerTile', 64),
    stages: number(config, 'stages', 1),
    warps: number(config, 'warps', 8),
    schedule: oneOf(config, 'schedule', ['even', 'balanced'] as const, 'even'),
    splits: number(config, 'splits', 1),
    ctasPerSm: number(config, 'ctasPerSm', 1),
    cache: oneOf(config, 'cache', ['bf16', 'fp8'] as const, 'bf16'),
  };
}

/** One tile of one CTA: what the SM's shared resources need, and the chain of its dependent steps. */
export interface TileCost {
  /** Cycles of the SM's tensor cores and shared-memory bandwidth, phase by phase (the SM is shared by its CTAs). */
  throughput: number;
  /** Cycles of one CTA's tile when it has the SM to itself: each phase the longer of its throughput and its chain, plus the barriers. */
  serial: number;
  /** Bytes of the cache the tile reads. */
  bytes: number;
  /** Tiles of compute in flight over a tile's load (the pipeline's depth less the tile being computed). */
  overlap: number;
}

/** Query rows a CTA carries, as the MMA pads them (the transposed WGMMA kernel's rows are its n: a multiple of 8). */
export function paddedRows(s: AttentionShape, c: DecodeSchedule): number {
  const rows = s.queryTokens * c.headsPerCta;
  if (c.kernel === 'wgmma') return c.scores === 'transposed' ? Math.ceil(rows / 8) * 8 : 64;
  return Math.ceil(rows / 16) * 16;
}

/** Bytes of cache one token of one KV head takes in the config's storage. */
export const tokenBytes = (s: AttentionShape, c: DecodeSchedule): number =>
  c.cache === 'fp8' ? FP8_ROW_BYTES : (s.valuesInKeys ? s.keyDim : s.keyDim + s.valueDim) * 2;

/** The mma.sync kernel's tile (kernel.ts): q.k, softmax by warps, p.v, four barriers; FP8 rows dequantized first. */
function mmaSyncTile(s: AttentionShape, c: DecodeSchedule): TileCost {
  const d = SM90_DECODE;
  const rows = paddedRows(s, c);
  const mTiles = rows / 16;
  const TN = c.tokensPerTile;
  const nTiles = TN / 8;
  // q.k: warp w takes the 8-token n-tiles w, w + warps, ...; each active warp reloads q's fragments per k step.
  const qkWarps = Math.min(c.warps, nTiles);
  const kSteps = s.keyDim / 16;
  const qkTensor = (rows * TN * s.keyDim) / d.mmaMacsPerCycle;
  const qkShared = (qkWarps * kSteps * mTiles * 4 + nTiles * kSteps * 2) * 128 / d.sharedBytesPerCycle;
  // Each accumulator adds its k steps one after another; with 16 warps the loop is not unrolled (registers), so each step also waits its loads.
  const qkChain = kSteps * (d.mmaLatency + (c.warps >= 16 ? d.sharedLatency : 0));
  // Softmax: a warp per row, a max and a sum over the warp (five shuffles each), exp2 of the row's tokens.
  const rowsPerWarp = Math.ceil(rows / c.warps);
  const softmaxChain = rowsPerWarp * (10 * d.shuffleLatency + 4 * Math.ceil(TN / 32) * 8);
  // p.v: warp w owns value dims; q's probability fragments reloaded by every warp, the values as 16-bit loads.
  const pvTensor = (rows * TN * s.valueDim) / d.mmaMacsPerCycle;
  const pvShared = ((c.warps * (TN / 16) * mTiles * 4 + (TN / 16) * (s.valueDim / 8) * 4) * 128) / d.sharedBytesPerCycle;
  const pvChain = (TN / 16) * d.mmaLatency;
  const bytes = TN * tokenBytes(s, c);
  // cp.async writes the tile into shared memory through the same port the fragment loads read.
  const landing = bytes / d.sharedBytesPerCycle;
  // FP8: all threads turn the raw rows into bf16 (a conversion, a scale, a store per pair) behind one more barrier.
  const dequant = c.cache === 'fp8' ? (TN * s.keyDim / 2) * 6 / d.lanesPerCycle : 0;
  const barriers = (4 + (c.cache === 'fp8' ? 1 : 0)) * d.barrier;
  const throughput = Math.max(qkTensor, qkShared) + Math.max(pvTensor, pvShared) + landing + dequant;
  const serial = dequant + Math.max(qkTensor, qkShared, qkChain) + softmaxChain + Math.max(pvTensor, pvShared, pvChain) + barriers;
  return { throughput, serial, bytes, overlap: c.stages - 1 };
}

/**
 * The transposed WGMMA kernel's page (wgmma-transposed.ts): S^T = K q^T and O^T = V^T P^T with the
 * page's 64 tokens as m and the n padded rows as n, both operands from shared memory, so at small n
 * the page's bytes read twice through shared memory bound the products, not the tensor cores. The
 * warpgroups take pages in turn, a stage each: one's page waits for its load while the other computes,
 * so a page takes half of one warpgroup's chain and load.
 */
function transposedTile(s: AttentionShape, c: DecodeSchedule): TileCost {
  const d = SM90_DECODE;
  const n = paddedRows(s, c);
  const TN = 64;
  const qkInstructions = s.keyDim / 16;  // one m64 tile: the page's 64 tokens
  const pvInstructions = (s.valueDim / 64) * (TN / 16);
  // Each instruction reads its A tile (64 x 16 bf16) and its B tile (n x 16) from shared memory.
  const qk = Math.max((TN * n * s.keyDim) / d.wgmmaMacsPerCycle, (qkInstructions * (2048 + 32 * n)) / d.sharedBytesPerCycle);
  const pv = Math.max((s.valueDim * n * TN) / d.wgmmaMacsPerCycle, (pvInstructions * (2048 + 32 * n)) / d.sharedBytesPerCycle);
  // Per thread n / 4 columns of two scores: masked, maxed over the lanes (three shuffles) and the four
  // warps (shared memory behind a barrier), exponentiated, summed, written to P^T (behind another);
  // O^T's 8 x n / 2 accumulators rescaled; each WGMMA group waited for.
  const columns = n / 4;
  const softmax = columns * 2 * 10 + 3 * d.shuffleLatency + 2 * d.barrier + 2 * d.sharedLatency + 4 * n + 2 * d.wgmmaWait;
  const bytes = TN * tokenBytes(s, c);
  const landing = bytes / d.sharedBytesPerCycle;
  const chain = qk + softmax + pv + d.barrier;
  const throughput = qk + pv + landing;
  // Two warpgroups, each its page's chain then its next page's load: a page every half of that.
  const serial = (chain + pageLoad(s, c, 1)) / 2;
  return { throughput, serial, bytes, overlap: 2 };
}

/** The WGMMA kernel's page (wgmma*.ts): two math warpgroups over a 64-row tile and a 64-token page. */
function wgmmaTile(s: AttentionShape, c: DecodeSchedule): TileCost {
  if (c.scores === 'transposed') return transposedTile(s, c);
  const d = SM90_DECODE;
  const rows = 64;
  const TN = 64;
  // q.k: whole, each warpgroup all 64 tokens (twice the tensor work); halves, each its 32; alternating,
  // the page's owner alone. (Reading q from shared memory once per warpgroup is not a limit: on the
  // H200 whole minus halves was what the second q.k costs at the tensor rate.)
  const qkGroups = c.scores === 'alternating' ? 1 : 2;
  const qkTokens = c.scores === 'halves' ? TN / 2 : TN;
  const qk = (qkGroups * rows * qkTokens * s.keyDim) / d.wgmmaMacsPerCycle;
  // p.v: probabilities from registers, each warpgroup its 256 value dims of the page.
  const pv = (rows * TN * s.valueDim) / d.wgmmaMacsPerCycle;
  // Softmax in registers: each thread's scores (a warpgroup's 64 x 64, or 64 x 32 in halves, over 128
  // threads) scaled, maxed, exponentiated, summed and packed (~8 instructions each, two warps a
  // sub-partition), and the quads' row max and sum (two shuffle rounds each); each WGMMA group waited for.
  const perThread = (rows * (c.scores === 'halves' ? TN / 2 : TN)) / 128;
  const softmax = 2 * perThread * 8 + 4 * d.shuffleLatency + 2 * d.wgmmaWait;
  // Halves: the row maxima and then the probability fragments cross through shared memory, each behind
  // a named barrier; alternating: the owner's slot published and read behind one.
  const exchange = c.scores === 'halves' ? 2 * (d.barrier + 2 * d.sharedLatency) : c.scores === 'alternating' ? d.barrier + 2 * d.sharedLatency : 0;
  // Alternating: a warpgroup's softmax runs while the other's products keep the tensor cores busy; the
  // chain from one published maximum to the next is the softmax, and the other's p.v unless it stays
  // in flight. With whole-page loads a warpgroup's next page (two on) is loaded only when both have
  // released the stage before it, just before it is needed: every second page waits for its whole load.
  const exposed = c.scores === 'alternating' && c.loads === 'page' ? pageLoad(s, c, 1) / 2 : 0;
  const chain = c.scores === 'alternating'
    ? Math.max(qk + pv, softmax + exchange + (c.overlap === 'softmax' ? 0 : pv)) + exposed
    : qk + softmax + exchange + pv;
  const bytes = TN * tokenBytes(s, c);
  // FP8: the page's raw rows dequantized into the swizzled bf16 tile by all 256 threads behind a barrier.
  const dequant = c.cache === 'fp8' ? ((TN * s.keyDim) / 2) * 6 / d.lanesPerCycle + d.barrier : 0;
  const throughput = qk + pv + dequant;
  const serial = dequant + chain + d.barrier;
  return { throughput, serial, bytes, overlap: c.stages - 1 };
}

/** From a tile's load issued to its bytes in shared memory: the latency, then its bytes at the SM's L2 rate (shared by the SM's CTAs). */
export const pageLoad = (s: AttentionShape, c: DecodeSchedule, ctasPerSm = c.ctasPerSm): number =>
  SM90.loadLatencyCycles + (ctasPerSm * c.tokensPerTile * tokenBytes(s, c)) / SM90.l2BytesPerCycle;

export function tileCost(s: AttentionShape, c: DecodeSchedule): TileCost {
  return c.kernel === 'wgmma' ? wgmmaTile(s, c) : mmaSyncTile(s, c);
}

/** Tiles of each CTA of the split kernel, in launch order (x = splits fastest, then head groups, then sequences). */
export function ctaTiles(s: AttentionShape, c: DecodeSchedule): number[] {
  const groups = s.heads / c.headsPerCta;
  const tilesOf = (len: number) => Math.ceil(len / c.tokensPerTile);
  if (c.schedule === 'balanced') {
    // The plan's budget per CTA: the batch's tiles plus each sequence's fixed cost, cut evenly.
    const overhead = PLAN_OVERHEAD_TOKENS / c.tokensPerTile;
    const total = s.lengths.reduce((sum, len) => sum + tilesOf(len) + overhead, 0);
    const per = Math.ceil(total / c.splits);
    return Array.from({ length: groups * c.splits }, () => per);
  }
  const out: number[] = [];
  for (const len of s.lengths) {
    const per = Math.ceil(tilesOf(len) / c.splits);
    for (let g = 0; g < groups; g++) for (let split = 0; split < c.splits; split++) out.push(Math.max(0, Math.min(per, tilesOf(len) - split * per)));
  }
  return out;
}

export function estimateCudaDecode(s: AttentionShape, config: object, caps: Capabilities): CostEstimate {
  const sms = caps.cuda?.smCount;
  if (!sms || !Number.isFinite(sms)) return { time: Infinity, bound: 'issue', terms: {} };
  const c = decodeSchedule(config);
  const d = SM90_DECODE;
  const tile = tileCost(s, c);
  const tiles = ctaTiles(s, c);
  const slots = sms * c.ctasPerSm;
  const active = Math.min(tiles.length, slots);
  // The head groups of one piece of a sequence are launched side by side (x = splits, y = head
  // groups): while they run together, a page one of them reads the others find in L2.
  const groups = s.heads / c.headsPerCta;
  const sharers = Math.min(groups, Math.max(1, Math.floor(active / c.splits)));
  const hbm = (active * tile.bytes) / sharers / SM90.hbmBytesPerCycle;
  // A tile's wall time on its SM: its chain, the SM shared with its neighbours, its load over the tiles in flight, its HBM share.
  const load = pageLoad(s, c);
  const hidden = tile.overlap > 0 ? load / tile.overlap : tile.serial + load;
  const perTile = Math.max(tile.serial, c.ctasPerSm * tile.throughput, hidden, hbm);
  // A CTA: q and its rows' state in, the pipeline's first load, its tiles, its outputs (f32) out.
  const rows = s.queryTokens * c.headsPerCta;
  const prologue = SM90.loadLatencyCycles + (paddedRows(s, c) * s.keyDim * 2) / SM90.l2BytesPerCycle;
  const epilogue = (rows * s.valueDim * 4) / SM90.l2BytesPerCycle;
  // The last tile's chain comes after its bytes are in: even a CTA bound by the HBM ends with it.
  const last = Math.max(tile.serial, c.ctasPerSm * tile.throughput);
  const split = makespan(tiles.map((n) => prologue + (n > 0 ? (n - 1) * perTile + last : 0) + epilogue), slots);
  // Partials: every split of every row written (f32) by the split kernel and read back by the combine kernel.
  const queryRows = s.batch * s.queryTokens * s.heads;
  const partials = c.schedule === 'balanced' ? s.batch + c.splits - 1 : s.batch * c.splits;
  const merged = c.schedule === 'balanced' || c.splits > 1;
  const combine = merged
    ? d.launchGap + SM90.loadLatencyCycles + (2 * (partials / s.batch) * queryRows * s.valueDim * 4) / SM90.hbmBytesPerCycle
    : 0;
  const plan = c.schedule === 'balanced' ? d.launchGap + s.batch * d.sharedLatency : 0;
  const time = plan + split + combine;
  const bound = perTile === hbm ? 'memory' : perTile === hidden ? 'latency' : perTile === tile.serial ? 'latency' : 'compute';
  return {
    time,
    bound,
    terms: { ctas: tiles.length, waves: Math.ceil(tiles.length / slots), tilesPerCta: Math.max(...tiles), perTile, serial: tile.serial, throughput: tile.throughput, hbm, load, split, combine },
  };
}

/** The model of a decode family's CUDA target, given how its problem reads as an attention shape. */
export function cudaDecodeModel<P extends object>(shapeOf: (problem: P) => AttentionShape): CostModel<P, object> {
  return { estimate: (problem: P, config: object, caps: Capabilities) => estimateCudaDecode(shapeOf(problem), config, caps) };
}
