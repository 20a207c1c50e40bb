// A CUDA FP8 GEMM config read as JSON (a --space or --config file, a results row): in today's form
// (`loop`, `epilogue`, `grid`, ...) checked field by field, or in the flat form that results files
// up to run 53 hold (`accBuffers`, `subTilesInTurn`, `smemScales`, `splitTail`, ... independent
// fields) converted. Anything the sum type cannot hold is a UsageError that names it; flags that
// left the code name the docs/experiments/ entry that says why.
import { message, UsageError } from '../../../core/errors.ts';
import type { CudaGemmConfig, Epilogue, Fault, HopperGemmConfig } from './config.ts';
import { GEMV_FAULTS, type GemvGemmConfig } from './gemv.ts';

type Json = Readonly<Record<string, unknown>>;

const fail = (detail: string): never => {
  throw new UsageError(message.badConfig(detail));
};

/** Flags that were measured, never the best of a recorded run, and left the code. */
const REMOVED: Readonly<Record<string, string>> = {
  tryAhead: 'tryAhead (the next stage tried once after the release) left the code: docs/experiments/try-ahead.md',
  scalePrefetch: 'scalePrefetch (L1 prefetch of the scales) left the code: docs/experiments/scale-prefetch.md',
};
const ONE_SET_OVERLAP = 'one accumulator set with overlapStore left the code: docs/experiments/one-set-overlap-store.md';

const FAULTS: readonly Fault[] = ['skip-last-k-block', 'wrong-b-scale', 'skip-partials', 'time-no-promote', 'time-no-store', 'time-one-kstep', 'time-fixed-scales'];

function oneOf<T>(value: unknown, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value as T)) fail(`${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(value)}`);
  return value as T;
}

function whole(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(`${name} must be a whole number >= 1, not ${JSON.stringify(value)}`);
  return value as number;
}

/** Only these fields, each a JSON scalar. */
function onlyFields(value: Json, allowed: readonly string[], form: string): void {
  for (const [key, v] of Object.entries(value)) {
    if (key in REMOVED) fail(REMOVED[key]);
    if (!allowed.includes(key)) fail(`unknown field ${JSON.stringify(key)} in a ${form} CUDA fp8-gemm config (fields: ${allowed.join(', ')})`);
    if (v !== null && typeof v === 'object') fail(`${key} must be a plain value, not ${JSON.stringify(v)}`);
  }
}

/** The tile, pipeline, raster, output and test-only fields both forms share. */
function tile(value: Json): Omit<HopperGemmConfig, 'loop' | 'epilogue' | 'grid' | 'cluster'> {
  const { blockM, blockN, stages, mathWarpgroups, raster, rasterGroup, out, ffmaYield, fault } = value;
  return {
    blockM: whole(blockM, 'blockM'),
    blockN: whole(blockN, 'blockN'),
    mathWarpgroups: oneOf(mathWarpgroups, [1, 2, 3] as const, 'mathWarpgroups'),
    stages: whole(stages, 'stages'),
    raster: oneOf(raster, ['along-m', 'along-n'] as const, 'raster'),
    ...(rasterGroup !== undefined ? { rasterGroup: whole(rasterGroup, 'rasterGroup') } : {}),
    out: oneOf(out, ['bf16', 'f32'] as const, 'out'),
    ...(ffmaYield !== undefined ? { ffmaYield: whole(ffmaYield, 'ffmaYield') } : {}),
    ...(fault !== undefined ? { fault: oneOf(fault, FAULTS, 'fault') } : {}),
  } as Omit<HopperGemmConfig, 'loop' | 'epilogue' | 'grid' | 'cluster'>;
}

const flag = (value: unknown, name: string): boolean => {
  if (value !== undefined && typeof value !== 'boolean') fail(`${name} must be true or false, not ${JSON.stringify(value)}`);
  return value === true;
};

/**
 * Assembles a config from its choices, checking what the type forbids (the checks the compiler makes
 * on a config written in TypeScript, made here on one read as JSON).
 */
function assemble(c: {
  tile: ReturnType<typeof tile>;
  loop: 'two-sets' | 'one-set' | 'in-turn';
  scales: 'ring' | 'scale-warp' | 'tma';
  overlapStore: boolean;
  waitAhead: boolean;
  stagger: boolean;
  turnUnroll: 2 | 4;
  epilogue: Epilogue;
  grid: 'full' | 'balanced' | 'split-tail';
  cluster: 1 | 2 | 4;
  clusterAlong: 'm' | 'n' | undefined;
  swapAB: boolean;
}): HopperGemmConfig {
  if (c.loop === 'two-sets' && (c.scales !== 'ring' || c.waitAhead || c.stagger)) fail('two accumulator sets read their scales from the ring, without waitAhead or stagger');
  if (c.loop !== 'two-sets' && c.overlapStore) fail(c.loop === 'one-set' ? ONE_SET_OVERLAP : 'the overlapped store is two accumulator sets\' option');
  if (c.stagger && (c.loop !== 'one-set' || c.scales !== 'ring')) fail('stagger is one set\'s option, with scales from the ring');
  if (c.loop === 'in-turn' && c.waitAhead && c.scales !== 'ring') fail('in turn, waitAhead reads its scales from the ring (not staged)');
  if (c.cluster > 1 && c.clusterAlong === undefined) fail('a cluster of 2 or 4 needs clusterAlong "m" or "n"');
  if (c.grid === 'split-tail' && (c.cluster > 1 || c.overlapStore || c.loop === 'in-turn' || c.scales !== 'ring')) {
    fail('the split tail takes single CTAs (no cluster) and a loop that holds every sub-tile with scales from the ring (two sets without the overlapped store, or one set)');
  }
  if (c.swapAB && (c.epilogue !== 'threads' || c.loop === 'in-turn' || c.scales !== 'ring')) {
    fail('swapped A and B take the threads epilogue and a loop with scales from the ring (two sets or one set)');
  }
  const loop =
    c.loop === 'two-sets'
      ? { loop: c.loop, ...(c.overlapStore ? { overlapStore: true } : {}) }
      : c.loop === 'one-set'
        ? { loop: c.loop, scales: c.scales, ...(c.waitAhead ? { waitAhead: true } : {}), ...(c.stagger ? { stagger: true } : {}) }
        : { loop: c.loop, turnUnroll: c.turnUnroll, scales: c.scales, ...(c.waitAhead ? { waitAhead: true } : {}) };
  return {
    ...c.tile,
    ...loop,
    epilogue: c.epilogue,
    grid: c.grid,
    cluster: c.cluster,
    ...(c.cluster > 1 ? { clusterAlong: c.clusterAlong } : {}),
    ...(c.swapAB ? { swapAB: true } : {}),
  } as HopperGemmConfig;
}

const TILE_FIELDS = ['blockM', 'blockN', 'mathWarpgroups', 'stages', 'raster', 'rasterGroup', 'out', 'ffmaYield', 'fault'];

/** Today's form. */
function parseCurrent(value: Json): HopperGemmConfig {
  onlyFields(value, [...TILE_FIELDS, 'loop', 'overlapStore', 'waitAhead', 'stagger', 'scales', 'turnUnroll', 'epilogue', 'grid', 'cluster', 'clusterAlong', 'swapAB'], 'current');
  const loop = oneOf(value.loop, ['two-sets', 'one-set', 'in-turn'] as const, 'loop');
  if (loop === 'two-sets' && value.scales !== undefined) fail('two accumulator sets have no scales field (always the ring)');
  if (loop !== 'in-turn' && value.turnUnroll !== undefined) fail('turnUnroll is the in-turn loop\'s option');
  for (const key of ['overlapStore', 'waitAhead', 'stagger', 'swapAB']) if (value[key] === false) fail(`${key}: false is written by leaving it out`);
  const cluster = oneOf(value.cluster, [1, 2, 4] as const, 'cluster');
  if (cluster === 1 && value.clusterAlong !== undefined) fail('clusterAlong means nothing without a cluster (cluster: 1)');
  return assemble({
    tile: tile(value),
    loop,
    scales: loop === 'two-sets' ? 'ring' : oneOf(value.scales, ['ring', 'scale-warp', 'tma'] as const, 'scales'),
    overlapStore: flag(value.overlapStore, 'overlapStore'),
    waitAhead: flag(value.waitAhead, 'waitAhead'),
    stagger: flag(value.stagger, 'stagger'),
    turnUnroll: loop === 'in-turn' ? oneOf(value.turnUnroll, [2, 4] as const, 'turnUnroll') : 4,
    epilogue: oneOf(value.epilogue, ['threads', 'tma', 'tma-by-sub-tile'] as const, 'epilogue'),
    grid: oneOf(value.grid, ['full', 'balanced', 'split-tail'] as const, 'grid'),
    cluster,
    clusterAlong: cluster === 1 ? undefined : oneOf(value.clusterAlong, ['m', 'n'] as const, 'clusterAlong'),
    swapAB: flag(value.swapAB, 'swapAB'),
  });
}

/** The GEMV kernel's config (one form: it came after the flat one). */
function parseGemv(value: Json): GemvGemmConfig {
  onlyFields(value, ['kernel', 'out', 'warps', 'rowGroups', 'unroll', 'splits', 'combine', 'fault'], 'GEMV');
  const { out, warps, rowGroups, unroll, splits, combine, fault } = value;
  return {
    kernel: 'gemv',
    out: oneOf(out, ['bf16', 'f32'] as const, 'out'),
    warps: oneOf(warps, [2, 4, 8] as const, 'warps'),
    rowGroups: oneOf(rowGroups, [1, 2, 4] as const, 'rowGroups'),
    unroll: oneOf(unroll, [1, 2, 4] as const, 'unroll'),
    splits: whole(splits, 'splits'),
    combine: oneOf(combine, ['last-cta', 'launch'] as const, 'combine'),
    ...(fault !== undefined ? { fault: oneOf(fault, GEMV_FAULTS, 'fault') } : {}),
  };
}

/** The flat form of results files up to run 53 (absent flags false, absent epilogue 'threads'). */
export function fromFlat(value: Json): CudaGemmConfig {
  if (value.kernel === 'gemv') return parseGemv(value);
  if (value.kernel === 'simt') {
    const { out, fault } = value;
    return { kernel: 'simt', out: oneOf(out, ['bf16', 'f32'] as const, 'out'), ...(fault !== undefined ? { fault: oneOf(fault, FAULTS, 'fault') } : {}) };
  }
  onlyFields(value, [...TILE_FIELDS, 'accBuffers', 'overlapStore', 'stagger', 'cluster', 'clusterAlong', 'splitTail', 'swapAB', 'subTilesInTurn', 'waitAhead', 'smemScales', 'tmaScales', 'turnUnroll', 'storeBySubTile', 'balancedGrid', 'epilogue', 'kernel'], 'flat');
  const inTurn = flag(value.subTilesInTurn, 'subTilesInTurn');
  const sets = oneOf(value.accBuffers, [1, 2] as const, 'accBuffers');
  if (inTurn && sets !== 1) fail('subTilesInTurn takes one accumulator set');
  const staged = flag(value.smemScales, 'smemScales');
  const byTma = flag(value.tmaScales, 'tmaScales');
  if (byTma && !staged) fail('tmaScales stages the scales: it needs smemScales');
  if (value.turnUnroll !== undefined && !inTurn) fail('turnUnroll is the in-turn loop\'s option');
  const bySubTile = flag(value.storeBySubTile, 'storeBySubTile');
  const epilogue = oneOf(value.epilogue ?? 'threads', ['threads', 'tma'] as const, 'epilogue');
  if (bySubTile && epilogue !== 'tma') fail('storeBySubTile is the TMA epilogue\'s option');
  const split = flag(value.splitTail, 'splitTail');
  const balanced = flag(value.balancedGrid, 'balancedGrid');
  if (split && balanced) fail('the split tail and the balanced grid are two grids: one of them');
  const cluster = oneOf(value.cluster, [1, 2, 4] as const, 'cluster');
  return assemble({
    tile: tile(value),
    loop: inTurn ? 'in-turn' : sets === 2 ? 'two-sets' : 'one-set',
    scales: staged ? (byTma ? 'tma' : 'scale-warp') : 'ring',
    overlapStore: flag(value.overlapStore, 'overlapStore'),
    waitAhead: flag(value.waitAhead, 'waitAhead'),
    stagger: flag(value.stagger, 'stagger'),
    turnUnroll: value.turnUnroll === undefined ? 4 : oneOf(value.turnUnroll, [2, 4] as const, 'turnUnroll'),
    epilogue: bySubTile ? 'tma-by-sub-tile' : epilogue,
    grid: split ? 'split-tail' : balanced ? 'balanced' : 'full',
    cluster,
    // Without a cluster the old rows' direction meant nothing (they list 'n').
    clusterAlong: cluster === 1 ? undefined : oneOf(value.clusterAlong, ['m', 'n'] as const, 'clusterAlong'),
    swapAB: flag(value.swapAB, 'swapAB'),
  });
}

/** A config read as JSON, in either form. */
export function parseCudaGemmConfig(value: Json): CudaGemmConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`a config is a JSON object, not ${JSON.stringify(value)}`);
  if (value.kernel === 'gemv') return parseGemv(value);
  if (value.kernel === 'simt' && !('accBuffers' in value)) {
    onlyFields(value, ['kernel', 'out', 'fault'], 'SIMT');
    return fromFlat(value);
  }
  return 'loop' in value ? parseCurrent(value) : fromFlat(value);
}
