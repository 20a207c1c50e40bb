// Analytic time of the sm_90a FP8 GEMM for one config, in SM cycles, before anything is measured:
// the persistent kernel runs waves of output tiles over the SMs; a tile is K/128 pipelined K blocks,
// each bounded by the tensor cores (WGMMA), by the operand loads into the SM, or by the load latency
// the stages in flight fail to hide, then an epilogue. Occupancy enters as SMs busy, not CTAs per SM:
// the kernel is persistent with one CTA per SM whatever the tile (the space rejects tiles and stages
// whose shared memory does not fit), so a tile count just past a multiple of the SMs leaves a last
// wave of mostly idle SMs, and whole clusters only fit floor(SMs / cluster) times.
//
// The HBM is shared, and it bounds each K block of each wave, not only the whole: a K block of a
// wave of `active` CTAs cannot take less than the HBM needs to move their shares of the block's
// compulsory bytes, so an HBM-bound wave still pays its pipeline fill and its epilogue, each extra
// wave adds its own, and a last wave of few CTAs shares the HBM among few. With the load latency over
// the stages, that is Little's law for the chip: at most active CTAs x stages x stage bytes in flight
// per latency, and at most the HBM's rate. Below all that, the kernel cannot beat streaming the
// compulsory bytes at the HBM's rate after the first loads' latency, plus the work the last K block
// leaves: its WGMMAs and promotion and the tile's store (for the split tail also the partial totals).
// Where every config is bound by the HBM (decode-sized M) these are what set them apart.
//
// Device figures: the SM count is read from the device (caps.cuda.smCount); per-SM and per-chip rates
// are an sm_90 part's (sm90.ts). Only ratios between configs of one problem matter for ranking;
// model-error.ts fits the scale to measured rows before it reports an error.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CostEstimate, CostModel } from '../../types.ts';
import type { GemmProblem } from '../problem.ts';
import type { GemvGemmConfig } from '../cuda/gemv.ts';
import { cudaTile, tileCount } from './cuda-tile.ts';
import { estimateGemv } from './cuda-gemv.ts';
import { SM90 } from './sm90.ts';

export { SM90 } from './sm90.ts';


export function estimateCudaGemm(problem: GemmProblem, config: object, caps: Capabilities): CostEstimate {
  // The GEMV kernel for decode batches has no output tile: its own bandwidth and latency estimate.
  if ((config as { kernel?: unknown }).kernel === 'gemv') return estimateGemv(problem, config as GemvGemmConfig, caps);
  const tile = cudaTile(config);
  const sms = caps.cuda?.smCount;
  if (!tile || !sms || !Number.isFinite(sms)) return { time: Infinity, bound: 'issue', terms: {} };
  const d = SM90;
  const { rows, cols, stages, cluster } = tile;
  const tiles = tileCount(problem, tile);
  // Clusters are placed whole: SMs that cannot hold one more cluster idle.
  const slots = Math.max(1, Math.floor(sms / cluster) * cluster);
  const waves = Math.ceil(tiles / slots);
  const kBlocks = Math.ceil(problem.K / d.blockK);
  const mma = (rows * cols * d.blockK) / d.macsPerCycle;
  // Every accumulator is scaled and added once per K block; two math warpgroups hide about half of it behind each other's WGMMAs.
  const promotion = (rows * cols) / d.ffmaPerCycle / 2;
  // A cluster multicasts one operand's tile: on average half of the stage's bytes are shared cluster-wide.
  const stageBytes = (rows + cols) * d.blockK;
  const load = (stageBytes * (1 + 1 / cluster)) / 2 / d.l2BytesPerCycle;
  const latency = d.loadLatencyCycles / stages;
  const perBlock = Math.max(mma + promotion, load, latency);
  const epilogue = (rows * cols * d.outBytes) / d.l2BytesPerCycle;
  const partials = (2 * rows * cols * 4) / d.l2BytesPerCycle;
  // A tile's share of one K block's compulsory operand bytes, in HBM cycles (the tiles read A and B once between them).
  const shared = ((problem.M + problem.N) * d.blockK) / tiles / d.hbmBytesPerCycle;
  // Cycles per K block with `active` CTAs sharing the HBM.
  const blockWith = (active: number): number => Math.max(perBlock, active * shared);
  const tileWith = (active: number): number => d.loadLatencyCycles + kBlocks * blockWith(active) + epilogue;
  const lastWave = tiles - (waves - 1) * slots;
  const perTile = tileWith(Math.min(tiles, slots));
  const compute = tile.splitTail
    ? splitTailCycles(tiles, kBlocks, sms, perTile, blockWith(sms), partials + epilogue)
    : (waves - 1) * perTile + tileWith(lastWave);
  const compulsory = problem.M * problem.K + problem.N * problem.K + problem.M * problem.N * d.outBytes;
  // The roofline's HBM bound, with the first loads' latency before it and the last block's work after it.
  const drain = mma + promotion + epilogue + (tile.splitTail ? partials : 0);
  const memory = d.loadLatencyCycles + compulsory / d.hbmBytesPerCycle + drain;
  const time = Math.max(compute, memory);
  // The slower of the two bounds of a block names what holds the kernel back.
  const hbmPerBlock = Math.min(tiles, slots) * shared;
  const bound = memory >= compute || hbmPerBlock >= perBlock ? 'memory' : perBlock === latency ? 'latency' : perBlock === load ? 'memory' : 'compute';
  return { time, bound, terms: { tiles, waves, kBlocks, mma, promotion, load, latency, hbmPerBlock, perTile, compute, memory } };
}

/**
 * The split tail (stream-K over the last wave): the whole waves as usual, then the leftover tiles'
 * K blocks dealt evenly over every SM (`perBlock` with all of them sharing the HBM); each piece pays
 * a pipeline fill and, at most once per SM, the partial totals written and read back through L2
 * (f32) plus the finishing tile's epilogue.
 */
function splitTailCycles(tiles: number, kBlocks: number, sms: number, perTile: number, perBlock: number, partials: number): number {
  const whole = Math.floor(tiles / sms);
  const left = tiles - whole * sms;
  return whole * perTile + (left > 0 ? SM90.loadLatencyCycles + Math.ceil((left * kBlocks) / sms) * perBlock + partials : 0);
}

export const cudaGemmModel: CostModel<GemmProblem, object> = { estimate: estimateCudaGemm };
