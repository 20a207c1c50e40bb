// Analytic time of the WGSL paged decode (kernels/attention/wgsl.ts) for one config: each split_kv
// workgroup's steps counted from the template, priced by the adapter's list (kernels/wgsl-cost.ts),
// the workgroups spread over the runners in grid order (x = head groups fastest, then splits, then
// sequences), then the combine pass (a workgroup of 32 per query row) after it.
//
// Per step of T tokens a workgroup of R = s_q x heads rows: the tokens' cache slots through the block
// table, optionally the key (and value) rows staged, every (row, token) score as a dot over the key
// dims (q and key read again for each pair), the online softmax of R rows, then every row's value
// dims accumulated over the step's tokens; four barriers (five staged). The q.k and p.v reads are the
// bulk, about the same in every config (each (row, token) pair once); what configs change is how
// often the per-step work and its barriers come (steps = tokens / T per head group: more heads per
// workgroup and more tokens per step make fewer), how the pairs fill the vectors, staged reads (no
// slot lookup or bounds check) against the staging copy, and how evenly the workgroups spread over
// the runners. More splits cut a sequence's steps over more workgroups and add combine work.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CostEstimate, CostModel } from '../../types.ts';
import { noWork, wgslPrices, workgroupCost, type WgslPrices, type WorkgroupWork } from '../../wgsl-cost.ts';
import { makespan } from '../../makespan.ts';
import type { AttentionShape } from '../shape.ts';
import { accumulators, rowsPerWorkgroup, type DecodeConfig } from '../space.ts';

/** Vector instructions of the template's parts, per vector of invocations. */
export const WGSL_DECODE_OPS = {
  /** One four-wide step of a q.k dot in f32: four products and adds, the f16 operands widened first. */
  dotF32: 8,
  widenF16: 8,
  /** The same in f16 arithmetic on a CPU without it: each of the seven operations rounded by a conversion pair. */
  dotF16: 23,
  /** exp() of one value: range reduction and a polynomial. */
  exp: 20,
  /** One p x value step: four multiply-adds (and the widening of an f16 value). */
  accumulate: 4,
  /** A subgroup sum of one vector: the lanes added one by one. */
  subgroupAdd: 16,
  /** Index arithmetic of one loop trip (divisions by constants, compares). */
  loopTrip: 6,
} as const;

interface Counts {
  vectorOps: number;
  dependent: number;
  storage: { accesses: number; components: number };
  workgroup: { accesses: number; components: number };
}

/** What one split_kv workgroup does over `tokens` of its sequence. */
export function splitWork(s: AttentionShape, c: DecodeConfig, tokens: number, lanes: number): WorkgroupWork {
  const o = WGSL_DECODE_OPS;
  const R = rowsPerWorkgroup(s, c);
  const T = c.tokensPerStep;
  const WG = c.workgroupSize;
  const DK4 = s.keyDim / 4;
  const DV4 = s.valueDim / 4;
  const ACC = accumulators(s, c);
  const staged = c.stage === 'workgroup';
  const separate = !s.valuesInKeys;
  const f16 = s.storage === 'f16';
  const vectors = Math.ceil(WG / lanes);
  /** Vector trips of a loop of `items` over the workgroup: full rounds of every vector, then the vectors the rest fills. */
  const vectorTrips = (items: number) => Math.floor(items / WG) * vectors + Math.ceil((items % WG) / lanes);
  const n: Counts = { vectorOps: 0, storage: { accesses: 0, components: 0 }, workgroup: { accesses: 0, components: 0 }, dependent: 0 };
  const storage = (accesses: number, components: number) => { n.storage.accesses += accesses; n.storage.components += accesses * components; };
  const shared = (accesses: number, components: number) => { n.workgroup.accesses += accesses; n.workgroup.components += accesses * components; };
  const steps = Math.ceil(tokens / T);
  // Rows' state set up, outputs and lse written at the end.
  shared(2 * R, 1);
  storage(R * DV4, 4);
  storage(R, 1);
  n.vectorOps += vectorTrips(R * DV4) * (o.loopTrip + 4) + vectors * ACC * 4;
  for (let step = 0; step < steps; step++) {
    const inStep = Math.min(T, tokens - step * T);
    // Slots of the step's tokens through the block table.
    storage(inStep, 1);
    shared(inStep, 1);
    n.vectorOps += vectorTrips(inStep) * o.loopTrip;
    const keyRows = staged ? 'workgroup' : 'storage';
    if (staged) {
      // The step's rows copied in (T rows; past the step zeros), each element read from storage via its slot.
      for (const width of separate ? [DK4, DV4] : [DK4]) {
        // Each element's row through its token's slot: a lookup by invocation, the load waiting for it.
        storage(inStep * width, 4);
        shared(inStep * width, 1);
        n.dependent += inStep * width;
        shared(T * width, 4);
        n.vectorOps += vectorTrips(T * width) * o.loopTrip;
      }
    }
    // Scores: every (row, token) pair over the key dims; q from storage, the key from the stage or via its slot.
    const pairs = R * T;
    const valid = R * inStep;
    storage(valid * DK4, 4);
    if (keyRows === 'workgroup') shared(valid * DK4, 4);
    else {
      // The key row through the token's slot, looked up again for each four dims (nothing tells the
      // compiler the slot did not change), each load waiting for its lookup.
      storage(valid * DK4, 4);
      shared(valid * DK4, 1);
      n.dependent += valid * DK4;
    }
    shared(pairs, 1);
    const dot = c.arithmetic === 'f16' ? o.dotF16 : o.dotF32 + (f16 ? o.widenF16 : 0);
    if (c.reduce === 'subgroup') {
      // A pair per subgroup (one vector on a CPU), its lanes striding the key dims, then the lanes summed.
      const rounds = Math.ceil(pairs / Math.max(1, WG / lanes));
      n.vectorOps += rounds * Math.min(pairs, vectors) * (Math.ceil(DK4 / lanes) * dot + o.subgroupAdd + o.loopTrip);
    } else {
      n.vectorOps += vectorTrips(pairs) * (DK4 * dot + o.loopTrip);
    }
    // Online softmax: a row per invocation, T scores read twice and written once, exp of each.
    shared(R * (3 * T + 6), 1);
    n.vectorOps += vectorTrips(R) * (T * (o.exp + 4) + o.exp + o.loopTrip);
    // Values: every accumulator rescaled, then each of the step's tokens: its probability and value row.
    shared(Math.min(WG * ACC, R * DV4), 1);
    shared(inStep * R * DV4, 1);
    // An invocation's accumulators are the same value dims of other rows when the workgroup is a
    // multiple of a value row ((li + j x WG) % DV4 does not depend on j): one value load serves them all.
    const values = inStep * (WG % DV4 === 0 ? Math.min(WG, R * DV4) : R * DV4);
    if (staged) shared(values, 4);
    else storage(values, 4);
    n.vectorOps += vectors * ACC * (4 + inStep * (o.accumulate + (f16 ? 4 : 0) + o.loopTrip));
  }
  const barriers = 1 + steps * (staged ? 5 : 4);
  return { invocations: WG, ...n, barriers };
}

/** The combine pass: a workgroup of 32 per query row, each reading its row's partial outputs of every split. */
export function combineWork(s: AttentionShape, c: DecodeConfig, lanes: number): WorkgroupWork {
  const DV4 = s.valueDim / 4;
  const CWG = 32;
  const vectors = Math.ceil(CWG / lanes);
  const perInvocation = Math.ceil(DV4 / CWG);
  return {
    ...noWork(CWG),
    // lse of the splits: one address for the whole workgroup (a scalar load each), three passes.
    vectorOps: vectors * (3 * c.splits * 4 + perInvocation * (c.splits * 8 + 4) + 20),
    storage: { accesses: CWG * perInvocation * (c.splits + 1) + 1, components: CWG * perInvocation * (c.splits + 1) * 4 + 1 },
  };
}

/** The split workgroups' token counts in grid order (x = head groups, y = splits, z = sequences). */
function splitTokens(s: AttentionShape, c: DecodeConfig): number[] {
  const groups = s.heads / c.headsPerWorkgroup;
  const out: number[] = [];
  for (const len of s.lengths) {
    const chunk = Math.ceil(Math.ceil(len / c.splits) / c.tokensPerStep) * c.tokensPerStep;
    for (let split = 0; split < c.splits; split++) {
      const tokens = Math.max(0, Math.min(chunk, len - split * chunk));
      for (let g = 0; g < groups; g++) out.push(tokens);
    }
  }
  return out;
}

export function estimateWgslDecode(s: AttentionShape, c: DecodeConfig, prices: WgslPrices): CostEstimate {
  const byTokens = new Map<number, number>();
  const costOf = (tokens: number): number => {
    if (!byTokens.has(tokens)) byTokens.set(tokens, workgroupCost(splitWork(s, c, tokens, prices.lanes), prices));
    return byTokens.get(tokens)!;
  };
  const splits = splitTokens(s, c).map(costOf);
  const split = makespan(splits, prices.concurrent);
  const rows = s.batch * s.queryTokens * s.heads;
  const combine = makespan([workgroupCost(combineWork(s, c, prices.lanes), prices)], prices.concurrent, rows);
  return {
    time: split + combine,
    bound: 'issue',
    terms: { workgroups: splits.length, split, combine, steps: Math.ceil(Math.max(...s.lengths) / c.splits / c.tokensPerStep) },
  };
}

/** The model of a decode family's WGSL target, given how its problem reads as an attention shape. */
export function wgslDecodeModel<P extends object>(shapeOf: (problem: P) => AttentionShape): CostModel<P, DecodeConfig> {
  return { estimate: (problem: P, config: DecodeConfig, caps: Capabilities) => estimateWgslDecode(shapeOf(problem), config, wgslPrices(caps)) };
}
