// The FP8 GEMM for decode batches (M <= 16) as a GEMV: bound by reading the weights (N x K e4m3)
// once, so the whole design is about bytes in flight. Every SM busy: the grid is column blocks of
// 8 x rowGroups weight rows times K splits, sized from the device's SM count and the CTAs that fit
// an SM, so that one wave holds them all; every thread keeps 2 x rowGroups x unroll 16-byte weight
// loads in flight (non-caching, L2 256-byte prefetch); the products go to the tensor cores through
// mma.sync (gemv-kernel.ts says why and how), so the SM's pipes never bound it.
//
// What it should reach (Little's law): HBM3e at ~4.8 TB/s with ~700-800 ns of loaded latency needs
// ~3.4-3.8 MB in flight over the chip, ~26-29 KB per SM of 132. The launch bounds hold a thread to
// 128 registers (ptxas takes 84-128 of them, without spills, at every candidate), so an SM holds 512
// threads whatever the CTA shape; at 2 x rowGroups x unroll = 8 weight loads of 16 bytes each they
// keep 64 KB in flight in their load phase (4 loads, 32 KB, for the shapes of one or two), 1.1-2.5x
// what the HBM needs; a warp's loads stop while it multiplies (~100 instructions a trip, chains of
// 4 dependent MMAs: a few hundred cycles beside the ~1500 its loads wait), so ~80% of that is in
// flight on average: about what the HBM needs, or twice it. So the weights should stream at the HBM's read
// rate less the ramp and tail of one wave: ~1 us of the first loads' latency and the last CTAs'
// finish (plus the combine, one L2 round trip, or a launch gap) on top of N x K / 4.8 TB/s: about
// 75% of the HBM at N x K = 15 MB (N=2112, K=7168: ~3.1 us + ~1 us), over 90% at 100 MB (N=24576,
// K=4096), and under half at 4 MB (N=576, K=7168), where a few trips of ~1 us each are all there is.
// The split partials cost 8 x splits x M x N bytes (written, then read by the combine): 1-4% of the
// weights for the splits the candidates choose at M=16.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CudaKernelSource, CudaLaunch, CudaParam } from '../../cuda-source.ts';
import { FP8_GEMM_BINDINGS } from '../../fp8/bindings.ts';
import { fillTemplate, sourceHeader } from '../../template.ts';
import type { Constraint } from '../../types.ts';
import type { GemmProblem } from '../problem.ts';
import type { CudaGemmConfig, GemvFault, GemvGemmConfig } from './config.ts';

export type { GemvFault, GemvGemmConfig } from './config.ts';
import { GEMV_COMBINE_ENTRY_POINT, GEMV_COMBINE_THREADS, GEMV_DEVICE_HELPERS, GEMV_ENTRY_POINT, GEMV_TEMPLATE } from './gemv-kernel.ts';
import { scalesOutputSizes } from './params.ts';

export const GEMV_FAULTS: readonly GemvFault[] = ['skip-last-k-block', 'wrong-b-scale', 'skip-partials'];

export const isGemv = (c: CudaGemmConfig): c is GemvGemmConfig => c.kernel === 'gemv';

/** mma.sync with e4m3 operands exists from sm_89; the kernel is built for the Hopper target only. */
export const GEMV_FLAGS = ['-gencode=arch=compute_90a,code=sm_90a', '-O3', '-std=c++17'] as const;
/** The most tokens the kernel holds: the MMA's 16 rows. */
export const GEMV_MAX_M = 16;
/**
 * Registers each thread may use: the launch bounds ask ptxas for 512 / threads CTAs per SM, i.e. at
 * most 128 registers, so that at least 16 warps (the loads of 16 x 32 threads) share an SM.
 */
export const GEMV_REGISTER_CAP = 128;
/** sm_90's per-SM limits besides registers (the capabilities do not carry them): 64 warps, 32 CTAs. */
const WARPS_PER_SM = 64;
const CTAS_PER_SM = 32;

const BLOCK_K = 128;
const kBlockCount = (p: GemmProblem): number => Math.ceil(p.K / BLOCK_K);
export const gemvThreads = (c: GemvGemmConfig): number => 32 * c.warps;
export const gemvRows = (c: GemvGemmConfig): number => 8 * c.rowGroups;
export const columnBlocks = (p: GemmProblem, c: GemvGemmConfig): number => Math.ceil(p.N / gemvRows(c));
/** Compiled in: the MMA's rows 8-15 hold tokens only when M > 8. */
export const tokenRows = (p: GemmProblem): 8 | 16 => (p.M <= 8 ? 8 : 16);

/**
 * Registers per thread a config needs without spilling: per K block of the trip its weight loads
 * (4 per 16 bytes, 2 per row group), token loads (8, or 16 when M > 8) and 3 scales; per row group
 * ~12 (totals, the MMA fragment, the row's predicate and offset); ~32 for pointers and indices.
 * Fitted to ptxas (nvcc 13.0) at the 128-register cap: it fits 4 warps x 16 rows x unroll 2 at M=16
 * (estimate 126) and 32 rows x unroll 1 at M=1 (123), and spills 8-28 bytes at M=16 for 32 rows x
 * unroll 1 (131) and 8 rows x unroll 4 (152).
 */
export function gemvRegisters(p: GemmProblem, c: Pick<GemvGemmConfig, 'rowGroups' | 'unroll'>): number {
  return 32 + c.unroll * (8 * c.rowGroups + (tokenRows(p) === 16 ? 16 : 8) + 3) + 12 * c.rowGroups;
}

/**
 * CTAs resident on one SM: registers (ptxas takes up to the cap the launch bounds give, so the cap
 * counts), warps, CTAs, shared memory.
 */
export function residentCtas(c: GemvGemmConfig, caps: Capabilities): number {
  const cuda = cudaFigures(caps);
  const byRegisters = Math.floor(cuda.registersPerSm / (GEMV_REGISTER_CAP * gemvThreads(c)));
  const byShared = Math.floor(cuda.sharedPerSmBytes / (gemvSharedBytes(c) + 1024));
  return Math.max(0, Math.min(byRegisters, Math.floor(WARPS_PER_SM / c.warps), CTAS_PER_SM, byShared));
}

/** The warps' totals meeting in shared memory (static), and the last-arrival flag. */
export const gemvSharedBytes = (c: GemvGemmConfig): number => 4 * c.warps * c.rowGroups * 4 * 32 + 4;

/** Scratch: an arrival counter per column block (16-byte aligned), then [splits][M][N] f32 partials. */
export const gemvScratchBytes = (p: GemmProblem, c: GemvGemmConfig): number =>
  4 * (Math.ceil(columnBlocks(p, c) / 4) * 4 + (c.splits > 1 ? c.splits * p.M * p.N : 0));

function cudaFigures(caps: Capabilities) {
  if (!caps.cuda) throw new Error(`the CUDA fp8-gemm needs a CUDA device's capabilities, not ${caps.backend}'s`);
  return caps.cuda;
}

/** Constraints that judge only the GEMV variant (every other config passes them). */
export function gemvConstraints(problem: GemmProblem, caps: Capabilities): Constraint<CudaGemmConfig>[] {
  const gemv = (name: string, why: string, ok: (c: GemvGemmConfig) => boolean): Constraint<CudaGemmConfig> => ({ name, why, ok: (c) => !isGemv(c) || ok(c) });
  const kb = kBlockCount(problem);
  return [
    gemv('gemv-small-m', `the GEMV kernel holds at most ${GEMV_MAX_M} tokens (the MMA's rows), here M=${problem.M}`, () => problem.M <= GEMV_MAX_M),
    gemv('gemv-k-chunks', `its 16-byte loads need rows of whole 16-byte chunks: K a multiple of 16 (K=${problem.K})`, () => problem.K % 16 === 0),
    gemv('gemv-splits-within-k', `each K split takes at least one 128-wide K block: 1 <= splits <= ${kb}`, (c) => Number.isInteger(c.splits) && c.splits >= 1 && c.splits <= kb),
    gemv('gemv-grid-y', 'splits are the grid\'s y dimension: at most 65535', (c) => c.splits <= 65535),
    gemv(
      'gemv-registers',
      `the trip's loads, the totals and the fragments must fit the ${GEMV_REGISTER_CAP} registers the launch bounds give each thread (no spills)`,
      (c) => gemvRegisters(problem, c) <= GEMV_REGISTER_CAP,
    ),
    gemv('gemv-fits-an-sm', 'at least one CTA must fit an SM\'s registers, warps and shared memory', (c) => residentCtas(c, caps) >= 1),
    gemv(
      'gemv-fault',
      `the GEMV kernel's broken variants: ${GEMV_FAULTS.join(', ')} (dropping the other splits' partials needs more than one split)`,
      (c) => c.fault === undefined || (GEMV_FAULTS.includes(c.fault) && (c.fault !== 'skip-partials' || c.splits > 1)),
    ),
  ];
}

/**
 * K splits that fill the SMs: at least `waves` waves of every SM's resident CTAs (column blocks
 * alone fill them at large N: then one split), never so many that a warp of a split has no K block
 * of its own (a split keeps at least `warps` of them).
 */
export function fillingSplits(p: GemmProblem, c: Omit<GemvGemmConfig, 'splits'>, caps: Capabilities, waves = 1): number {
  const full = { ...c, splits: 1 } as GemvGemmConfig;
  const slots = cudaFigures(caps).smCount * residentCtas(full, caps) * waves;
  const most = Math.max(1, Math.floor(kBlockCount(p) / c.warps));
  return Math.min(most, Math.max(1, Math.ceil(slots / columnBlocks(p, full))));
}

/**
 * The CTA shapes, first those tried with two split counts: 4 warps x 16 rows x 2 K blocks per trip
 * (8 loads in flight per thread, the tokens reused twice), 8 rows x 4 K blocks (long trips, half the
 * columns per CTA: more column blocks at small N), 2 warps (small K: more splits before a warp of a
 * split has no K block); then 8 warps of one or two K blocks, and 32 rows (the tokens reused 4 times).
 */
const SHAPES: readonly Pick<GemvGemmConfig, 'warps' | 'rowGroups' | 'unroll'>[] = [
  { warps: 4, rowGroups: 2, unroll: 2 },
  { warps: 4, rowGroups: 1, unroll: 4 },
  { warps: 2, rowGroups: 2, unroll: 2 },
  { warps: 8, rowGroups: 2, unroll: 1 },
  { warps: 8, rowGroups: 1, unroll: 2 },
  { warps: 4, rowGroups: 4, unroll: 1 },
];
const TWO_SPLIT_COUNTS = 3;

/**
 * Candidates derived from the problem and the device: each CTA shape whose registers fit, with the
 * splits that fill one wave of the SMs' resident CTAs and, for the first shapes where the column
 * blocks leave room, two waves (shorter splits, more CTAs to even out the SMs), their partials added
 * by the last CTA; the first shape also with a second launch adding them. Deduplicated; every one
 * passes the constraints (4-12 over DeepSeek-V3's decode shapes).
 */
export function gemvCandidates(problem: GemmProblem, caps: Capabilities, out: GemvGemmConfig['out'] = 'bf16'): CudaGemmConfig[] {
  const constraints = gemvConstraints(problem, caps);
  const configs: GemvGemmConfig[] = [];
  SHAPES.forEach((shape, i) => {
    const base = { kernel: 'gemv', out, ...shape, combine: 'last-cta' } as const;
    const one = fillingSplits(problem, base, caps, 1);
    configs.push({ ...base, splits: one });
    if (i < TWO_SPLIT_COUNTS) configs.push({ ...base, splits: fillingSplits(problem, base, caps, 2) });
    if (i === 0 && one > 1) configs.push({ ...base, splits: one, combine: 'launch' });
  });
  const seen = new Set<string>();
  return configs.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return constraints.every((k) => k.ok(c));
  });
}

/** The source and its launches: the GEMV over (column blocks, splits), then the combine if it is a launch. */
export function gemmCudaGemv(problem: GemmProblem, config: GemvGemmConfig, _caps: Capabilities): CudaKernelSource {
  const lastCta = config.combine === 'last-cta';
  const code = fillTemplate(GEMV_TEMPLATE, {
    outType: config.out === 'bf16' ? '__nv_bfloat16' : 'float',
    convert: config.out === 'bf16' ? '__float2bfloat16_rn' : 'float',
    warps: config.warps,
    rowGroups: config.rowGroups,
    unroll: config.unroll,
    tokens16: tokenRows(problem) === 16 ? 'true' : 'false',
    lastCta: lastCta ? 'true' : 'false',
    minBlocks: Math.max(1, Math.floor((65536 / GEMV_REGISTER_CAP) / gemvThreads(config))),
    faultSkipLastKBlock: config.fault === 'skip-last-k-block' ? 'true' : 'false',
    faultWrongBScale: config.fault === 'wrong-b-scale' ? 'true' : 'false',
    faultSkipPartials: config.fault === 'skip-partials' ? 'true' : 'false',
    entryPoint: GEMV_ENTRY_POINT,
    combineEntryPoint: GEMV_COMBINE_ENTRY_POINT,
    combineThreads: GEMV_COMBINE_THREADS,
    deviceHelpers: GEMV_DEVICE_HELPERS,
  });
  const scratch: CudaParam = { kind: 'scratch', bytes: gemvScratchBytes(problem, config) };
  const launches: CudaLaunch[] = [
    {
      entryPoint: GEMV_ENTRY_POINT,
      grid: [columnBlocks(problem, config), config.splits, 1],
      block: [gemvThreads(config), 1, 1],
      sharedBytes: 0,
      bindings: FP8_GEMM_BINDINGS,
      params: [
        { kind: 'pointer', buffer: 'a' },
        { kind: 'pointer', buffer: 'b' },
        ...scalesOutputSizes(problem),
        { kind: 'i32', value: config.splits },
        scratch,
      ],
    },
  ];
  if (!lastCta && config.splits > 1) {
    // The same scratch (same size: the runner hands every launch of a request the same allocation).
    launches.push({
      entryPoint: GEMV_COMBINE_ENTRY_POINT,
      grid: [Math.ceil((problem.M * problem.N) / GEMV_COMBINE_THREADS), 1, 1],
      block: [GEMV_COMBINE_THREADS, 1, 1],
      sharedBytes: 0,
      bindings: FP8_GEMM_BINDINGS,
      params: [{ kind: 'pointer', buffer: 'c' }, scratch, { kind: 'i32', value: problem.M }, { kind: 'i32', value: problem.N }, { kind: 'i32', value: config.splits }],
    });
  }
  return {
    language: 'cuda',
    code: `${sourceHeader('//', 'fp8-gemm', problem, config)}\n${code}`,
    flags: GEMV_FLAGS,
    outputTypes: { c: config.out },
    launches,
  };
}
