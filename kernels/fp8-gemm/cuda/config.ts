// The CUDA FP8 GEMM config as a sum type: the tile, pipeline, cluster, raster and output that every
// sm_90a kernel has, then the choices that only make sense together, each a variant with only its
// own options, so that an invalid combination cannot be written:
// - the main loop: two accumulator sets (block k+1's WGMMAs run while block k is promoted), one set
//   (each block issued, waited for and promoted in turn), or the m64 sub-tiles of a warpgroup in
//   turn through one set (256-row tiles in two warpgroups' registers);
// - where the scales come from (one set, in turn): a ring of global loads two K blocks ahead, or
//   staged in shared memory with each stage by a warp of the producer or by its TMA thread;
// - the epilogue (threads, TMA, TMA one sub-tile at a time); the grid (full, balanced, split tail);
//   A and B swapped (small M: plain loops, threads epilogue).
// What is left to the constraints (space.ts) are resource limits (shared memory, registers, TMA
// boxes, the device's cluster size, what ptxas serializes or spills) and the problem's own.
// Every field is a plain JSON value, so a results row stores a config as it is.

/** WGMMA accumulator schedules: the main loop's variant. */
export type Loop = 'two-sets' | 'one-set' | 'in-turn';

/**
 * Where the promotion's scales come from: 'ring', global loads two K blocks ahead into registers
 * through pointers that walk one float per block; 'scale-warp', a warp of the producer warpgroup
 * stores each stage's scales in shared memory beside its tiles; 'tma', the producer's TMA thread
 * loads them with the stage's tiles (the activation scales by TMA from a rows-fastest copy the runner
 * makes, the weight scales by cp.async). Staged, the math threads read theirs with LDS once the stage is full.
 */
export type ScaleStaging = 'ring' | 'scale-warp' | 'tma';

/**
 * How the tile reaches C: 'threads' copy rows out of a padded staging buffer with 16-byte stores;
 * 'tma' stages 128B-swizzled slabs of 64 rows x 128 bytes and stores them with TMA (asynchronously:
 * the math warpgroups go on to the next tile); 'tma-by-sub-tile' stages one m64 sub-tile per
 * warpgroup at a time (half the staging with two sub-tiles, so 256x128 fits a fourth stage).
 */
export type Epilogue = 'threads' | 'tma' | 'tma-by-sub-tile';

/**
 * The persistent grid: 'full', min(tiles, SMs) clusters; 'balanced', as few as finish the tiles in
 * the same number of waves (every cluster walks as many tiles; idle SMs draw no power under the cap);
 * 'split-tail', every SM, the tiles left after the last whole wave split along K over all of them
 * (stream-K; partial totals meet in global memory).
 */
export type Grid = 'full' | 'balanced' | 'split-tail';

/** A deliberately broken variant (tests only): verification must catch it, or timing places a part. */
export type Fault = 'skip-last-k-block' | 'wrong-b-scale' | 'skip-partials' | 'time-no-promote' | 'time-no-store' | 'time-one-kstep' | 'time-fixed-scales';

/** What every sm_90a config has. */
interface Tile {
  readonly kernel?: never;
  /** Output rows per CTA tile: 64 per math warpgroup times the m64 sub-tiles each one owns (1 or 2). */
  readonly blockM: number;
  /** Output columns per CTA tile: a multiple of 8 up to 256 (WGMMA's n). */
  readonly blockN: number;
  /** Consumer warpgroups issuing WGMMA (one more produces). */
  readonly mathWarpgroups: 1 | 2 | 3;
  /** Shared-memory pipeline depth: the TMA producer runs this many 128-wide K blocks ahead. */
  readonly stages: number;
  /** Tile order: consecutive tiles walk along M or along N, inside groups of rasterGroup tiles (absent: 8). */
  readonly raster: 'along-m' | 'along-n';
  readonly rasterGroup?: number;
  readonly out: 'bf16' | 'f32';
  /** Every ffmaYield-th FFMA of the compiled cubin gets the yield hint (harness/cuda/sass.ts). */
  readonly ffmaYield?: number;
  readonly fault?: Fault;
}

/** Options a variant does not have: written, they are type errors. */
type Without<K extends string> = { readonly [P in K]?: never };
type LoopOptions = 'overlapStore' | 'waitAhead' | 'stagger' | 'scales' | 'turnUnroll';

/**
 * Two accumulator sets: block k+1's WGMMAs are issued before block k is promoted. overlapStore:
 * the next tile's first block also goes in before the last promotion (with an even number of K
 * blocks), so the tensor cores work while the tile is stored.
 */
export type TwoSets = { readonly loop: 'two-sets'; readonly overlapStore?: true } & Without<Exclude<LoopOptions, 'overlapStore'>>;
/**
 * One set, scales from the ring. waitAhead: the next block's stage is waited for while this block's
 * WGMMAs run; stagger: warpgroup 1 starts one K block after warpgroup 0 (two or more warpgroups).
 */
export type OneSet = { readonly loop: 'one-set'; readonly scales: 'ring'; readonly waitAhead?: true; readonly stagger?: true } & Without<'overlapStore' | 'turnUnroll'>;
/** One set, scales staged in shared memory. */
export type OneSetStaged = { readonly loop: 'one-set'; readonly scales: 'scale-warp' | 'tma'; readonly waitAhead?: true } & Without<'overlapStore' | 'stagger' | 'turnUnroll'>;
/**
 * The m64 sub-tiles in turn through one set, turnUnroll K blocks per trip of the loop (no test
 * between them, so ptxas moves each block's stage wait up into the previous promotion). With
 * scales from the ring, waitAhead waits for the next stage (with block k+2's scale loads) while
 * the last sub-tile's WGMMAs run.
 */
export type InTurn = { readonly loop: 'in-turn'; readonly turnUnroll: 2 | 4; readonly scales: 'ring'; readonly waitAhead?: true } & Without<'overlapStore' | 'stagger'>;
export type InTurnStaged = { readonly loop: 'in-turn'; readonly turnUnroll: 2 | 4; readonly scales: 'scale-warp' | 'tma' } & Without<'overlapStore' | 'stagger' | 'waitAhead'>;
export type MainLoop = TwoSets | OneSet | OneSetStaged | InTurn | InTurnStaged;
/** The loops that hold every sub-tile at once and read their scales from the ring. */
export type RingLoop = TwoSets | OneSet;

/** CTAs of a cluster share one operand's tile by TMA multicast: side by side along M (sharing B) or N (sharing A). */
type Cluster = { readonly cluster: 1 } & Without<'clusterAlong'> | { readonly cluster: 2 | 4; readonly clusterAlong: 'm' | 'n' };
type WholeTiles = { readonly grid: 'full' | 'balanced' } & Cluster;
/** The split tail deals K blocks to single CTAs, and a split piece has no fixed next block to overlap. */
type SplitTail = { readonly grid: 'split-tail'; readonly cluster: 1 } & Without<'clusterAlong'> & (({ readonly loop: 'two-sets' } & Without<LoopOptions>) | OneSet);

/** C computed the usual way, with any epilogue. */
type Unswapped = { readonly swapAB?: never; readonly epilogue: Epilogue };
/**
 * C^T = B x A^T, for small M (decode batches): WGMMA's 64-row side walks N, its n side the tokens, so
 * blockM tiles N and blockN tiles M (cluster and raster are in that frame too); threads epilogue
 * (C's columns are the kernel's rows).
 */
type Swapped = { readonly swapAB: true; readonly epilogue: 'threads' };

export type HopperGemmConfig = Tile & (
  | (Unswapped & WholeTiles & MainLoop)
  | (Unswapped & SplitTail)
  | (Swapped & WholeTiles & RingLoop)
  | (Swapped & SplitTail)
);

/** The portable shared-memory kernel for GPUs below sm_90 (simt.ts): a fixed tile. */
export interface SimtGemmConfig {
  readonly kernel: 'simt';
  readonly out: 'bf16' | 'f32';
  readonly fault?: Fault;
}

/**
 * The memory-bound kernel for decode batches (M <= 16; gemv.ts): the CTA, what each thread keeps in
 * flight, the K splits and how they meet.
 */
export interface GemvGemmConfig {
  readonly kernel: 'gemv';
  readonly out: 'bf16' | 'f32';
  /** Warps per CTA; they share the CTA's weight rows and take its K blocks in turn. */
  readonly warps: 2 | 4 | 8;
  /** Groups of 8 weight rows per CTA (the MMA's n): more reuse each token load, fewer column blocks. */
  readonly rowGroups: 1 | 2 | 4;
  /** K blocks a warp loads before it multiplies: 2 x rowGroups x unroll 16-byte loads in flight per thread. */
  readonly unroll: 1 | 2 | 4;
  /** CTAs along K (a launch argument: one binary serves every split). */
  readonly splits: number;
  /** How the split partials meet: the column block's last CTA adds them, or a second launch does. */
  readonly combine: 'last-cta' | 'launch';
  readonly fault?: GemvFault;
}

/** The broken variants verification must catch (the timing faults are the sm_90a kernel's). */
export type GemvFault = Extract<Fault, 'skip-last-k-block' | 'wrong-b-scale' | 'skip-partials'>;

export type CudaGemmConfig = HopperGemmConfig | SimtGemmConfig | GemvGemmConfig;

export const isHopper = (c: CudaGemmConfig): c is HopperGemmConfig => c.kernel === undefined;

/** Accumulator sets per math thread besides the totals (in turn: one set for all sub-tiles). */
export const accumulatorSets = (c: HopperGemmConfig): 1 | 2 => (c.loop === 'two-sets' ? 2 : 1);
export const scaleStaging = (c: HopperGemmConfig): ScaleStaging => (c.loop === 'two-sets' ? 'ring' : c.scales);
export const tmaEpilogue = (c: HopperGemmConfig): boolean => c.epilogue !== 'threads';
export const clusterAlong = (c: HopperGemmConfig): 'm' | 'n' => (c.cluster === 1 ? 'n' : c.clusterAlong);
export const overlapsStore = (c: HopperGemmConfig): boolean => c.loop === 'two-sets' && c.overlapStore === true;
export const waitsAhead = (c: HopperGemmConfig): boolean => c.loop !== 'two-sets' && c.waitAhead === true;
export const staggered = (c: HopperGemmConfig): boolean => c.loop === 'one-set' && c.scales === 'ring' && c.stagger === true;
export const swapped = (c: HopperGemmConfig): boolean => c.swapAB === true;
