// Analytic time of the WGSL grouped FP8 GEMM for one config: the fp8-gemm WGSL tile (the same loop
// over K, decode by bits, f32 products: kernels/fp8-gemm/model/wgsl.ts) for every tile that holds an
// expert's rows, and for every tile that exits at once (contiguous: a row tile starting in an
// expert's padding; masked: past masked_m) only its launch and entry. The tiles are handed to the
// adapter's runners in grid order (x = column tiles fastest), so an expert with many rows next to
// empty ones shows as imbalance. The contiguous layout also reads each row's expert index: TM a
// invocation before the loop and one per output before its store.
import type { Capabilities } from '../../../core/capabilities.ts';
import { gemmTileWork } from '../../fp8-gemm/model/wgsl.ts';
import type { CostEstimate, CostModel } from '../../types.ts';
import { noWork, wgslPrices, workgroupCost } from '../../wgsl-cost.ts';
import { makespan } from '../../makespan.ts';
import { groupLayout, type GroupedProblem } from '../problem.ts';
import { invocations, type GroupedConfig } from '../space.ts';

export function estimateWgslGrouped(problem: GroupedProblem, config: GroupedConfig, caps: Capabilities): CostEstimate {
  const prices = wgslPrices(caps);
  const layout = groupLayout(problem);
  const threads = invocations(config);
  const tile = gemmTileWork(problem.K, config, prices.lanes);
  const rowChecks = problem.layout === 'contiguous' ? threads * (config.TM + config.TM * config.TN) : 0;
  const busy = workgroupCost({ ...tile, storage: { accesses: tile.storage.accesses + rowChecks, components: tile.storage.components + rowChecks } }, prices);
  const idle = workgroupCost(noWork(threads), prices);
  // A config without the fields this model reads (a results row's, renamed) has no estimate.
  if (!Number.isFinite(busy) || !Number.isFinite(idle)) return { time: NaN, bound: 'issue', terms: {} };
  const columns = Math.ceil(problem.N / config.BN);
  // Row tiles in grid order, each busy (it holds rows of an expert) or idle.
  const rowTiles: boolean[] = [];
  if (problem.layout === 'masked') {
    for (const count of layout.counts) for (let y = 0; y < Math.ceil(layout.mMax / config.BM); y++) rowTiles.push(y * config.BM < count);
  } else {
    const expertOf = new Array<boolean>(layout.rows).fill(false);
    layout.counts.forEach((count, g) => { for (let r = 0; r < count; r++) expertOf[layout.offsets[g] + r] = true; });
    for (let y = 0; y < Math.ceil(layout.rows / config.BM); y++) rowTiles.push(expertOf[y * config.BM] === true);
  }
  const costs = rowTiles.flatMap((isBusy) => new Array<number>(columns).fill(isBusy ? busy : idle));
  const busyTiles = rowTiles.filter(Boolean).length * columns;
  const time = makespan(costs, prices.concurrent);
  return {
    time,
    bound: tile.vectorOps > busy - tile.vectorOps ? 'compute' : 'issue',
    terms: { tiles: costs.length, busyTiles, perTile: busy, idleTile: idle, barriers: tile.barriers },
  };
}

export const wgslGroupedModel: CostModel<GroupedProblem, GroupedConfig> = { estimate: estimateWgslGrouped };
