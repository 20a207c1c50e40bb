// WGSL template of paged decode attention, flash-decoding style: pass 1 (split_kv) gives each
// workgroup one sequence, one split of its tokens and a group of query heads sharing one KV head;
// it scores a step of cache tokens against every query row it carries, updates an online softmax
// and accumulates values, then writes its partial output and log-sum-exp. Pass 2 (combine) merges
// the splits of each row by their log-sum-exp. Tokens past a sequence's length are never read
// (the unused tail of its last page may hold anything, NaN included).
import { fillTemplate, sourceHeader } from '../template.ts';
import type { BindingSpec, KernelSource } from '../types.ts';
import { maxPagesPerSequence, queryRows, type AttentionShape } from './shape.ts';
import { accumulators, type DecodeConfig } from './space.ts';

/** Invocations of the combine pass (one workgroup per query row). */
const COMBINE_WG = 32;

const SPLIT_KV = /* wgsl */ `{{header}}
{{enables}}
const SQ: u32 = {{queryTokens}}u;
const H: u32 = {{heads}}u;
const GROUP: u32 = {{group}}u;        // query heads per KV head
const HKV: u32 = {{kvHeads}}u;
const DK4: u32 = {{keyDim4}}u;        // vec4s per key row
const DV4: u32 = {{valueDim4}}u;      // vec4s per value row
const PAGE: u32 = 64u;
const MAX_PAGES: u32 = {{maxPages}}u;
const HPW: u32 = {{headsPerWorkgroup}}u;
const R: u32 = SQ * HPW;              // query rows per workgroup
const T: u32 = {{tokensPerStep}}u;
const SPLITS: u32 = {{splits}}u;
const WG: u32 = {{workgroupSize}}u;
const ACC: u32 = {{accumulators}}u;   // vec4 accumulators per invocation
const SCALE: f32 = {{scale}};
const NEG: f32 = -1.0e30;             // finite "minus infinity": exp() of differences stays defined
const DROP: u32 = {{dropTokens}}u;    // nonzero only in the deliberately broken variant
const ROWS: u32 = {{rows}}u;
const COMBINE_X: u32 = {{combineGridX}}u;
const CWG: u32 = {{combineWorkgroupSize}}u;

alias S4 = vec4<{{storage}}>;
@group(0) @binding(0) var<storage, read> q: array<S4>;
@group(0) @binding(1) var<storage, read> keys: array<S4>;
{{valuesDecl}}
@group(0) @binding(3) var<storage, read> blockTable: array<i32>;
@group(0) @binding(4) var<storage, read> lengths: array<i32>;
@group(0) @binding(5) var<storage, read_write> oPart: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> lsePart: array<f32>;
@group(0) @binding(7) var<storage, read_write> o: array<vec4<f32>>;
@group(0) @binding(8) var<storage, read_write> lse: array<f32>;

var<workgroup> scores: array<f32, R * T>;
var<workgroup> rowMax: array<f32, R>;
var<workgroup> rowSum: array<f32, R>;
var<workgroup> rowCorr: array<f32, R>;
var<workgroup> stepSlot: array<u32, T>;
{{stageDecl}}

fn dotq(a: S4, b: S4) -> f32 { return {{dotBody}}; }

@compute @workgroup_size(WG)
fn split_kv(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32{{subgroupParams}}) {
  let b = wid.z;
  let split = wid.y;
  let headBase = wid.x * HPW;
  let g = headBase / GROUP;
  let len = u32(max(lengths[b], 0));
  // Chunks are whole steps, so only the last step of the last non-empty split is partial.
  let chunk = ((len + SPLITS - 1u) / SPLITS + T - 1u) / T * T;
  let start = min(split * chunk, len);
  let full = min(start + chunk, len);
  let end = full - min(full - start, DROP);
  for (var r = li; r < R; r += WG) { rowMax[r] = NEG; rowSum[r] = 0.0; }
  var acc: array<vec4<f32>, ACC>;
  workgroupBarrier();
  for (var base = start; base < end; base += T) {
    let n = min(T, end - base);
    for (var tt = li; tt < n; tt += WG) {
      let t = base + tt;
      stepSlot[tt] = (u32(blockTable[b * MAX_PAGES + t / PAGE]) * PAGE + t % PAGE) * HKV + g;
    }
    workgroupBarrier();
{{stageLoad}}
    // Scores of every (query row, token) pair; masked pairs (past the step or causal) get NEG.
{{scorePass}}
    workgroupBarrier();
    // Online softmax: new running max, probabilities in place of scores, rescale factor per row.
    for (var r = li; r < R; r += WG) {
      let mOld = rowMax[r];
      var m = mOld;
      for (var tt = 0u; tt < T; tt++) { m = max(m, scores[r * T + tt]); }
      var sum = 0.0;
      for (var tt = 0u; tt < T; tt++) {
        let s = scores[r * T + tt];
        let p = select(0.0, exp(s - m), s > 0.5 * NEG);
        scores[r * T + tt] = p;
        sum += p;
      }
      let corr = exp(mOld - m);
      rowCorr[r] = corr;
      rowSum[r] = rowSum[r] * corr + sum;
      rowMax[r] = m;
    }
    workgroupBarrier();
    // Values: only the n tokens inside the sequence are read. Token-outer order: when the
    // workgroup is as wide as a value row, an invocation's accumulators share one value (d4) and
    // the load is reused across its query rows.
    for (var j = 0u; j < ACC; j++) {
      let e = min(li + j * WG, R * DV4 - 1u);
      acc[j] *= rowCorr[e / DV4];
    }
    for (var tt = 0u; tt < n; tt++) {
      for (var j = 0u; j < ACC; j++) {
        let e = li + j * WG;
        if (e < R * DV4) {
          let d4 = e % DV4;
          acc[j] += scores[(e / DV4) * T + tt] * vec4<f32>({{valueLoad}});
        }
      }
    }
    workgroupBarrier();
  }
  for (var j = 0u; j < ACC; j++) {
    let e = li + j * WG;
    if (e < R * DV4) {
      let r = e / DV4;
      let head = headBase + r % HPW;
      let l = rowSum[r];
      oPart[(((b * SPLITS + split) * SQ + r / HPW) * H + head) * DV4 + e % DV4] = select(vec4<f32>(0.0), acc[j] / l, l > 0.0);
    }
  }
  for (var r = li; r < R; r += WG) {
    let l = rowSum[r];
    lsePart[((b * SPLITS + split) * SQ + r / HPW) * H + headBase + r % HPW] = select(NEG, rowMax[r] + log(l), l > 0.0);
  }
}

// Merges the splits of one query row by their log-sum-exp; a row with no visible token gets
// o = 0 and lse = -inf.
@compute @workgroup_size(CWG)
fn combine(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let row = wid.x + wid.y * COMBINE_X;
  if (row >= ROWS) { return; }
  let b = row / (SQ * H);
  let rest = row % (SQ * H);
  var m = NEG;
  for (var s = 0u; s < SPLITS; s++) { m = max(m, lsePart[(b * SPLITS + s) * SQ * H + rest]); }
  var sum = 0.0;
  for (var s = 0u; s < SPLITS; s++) {
    let l = lsePart[(b * SPLITS + s) * SQ * H + rest];
    sum += select(0.0, exp(l - m), l > 0.5 * NEG);
  }
  for (var d4 = li; d4 < DV4; d4 += CWG) {
    var out = vec4<f32>(0.0);
    if (sum > 0.0) {
      for (var s = 0u; s < SPLITS; s++) {
        let l = lsePart[(b * SPLITS + s) * SQ * H + rest];
        if (l > 0.5 * NEG) { out += (exp(l - m) / sum) * oPart[((b * SPLITS + s) * SQ * H + rest) * DV4 + d4]; }
      }
    }
    o[row * DV4 + d4] = out;
  }
  if (li == 0u) {
    let minusInf = bitcast<f32>(0xff800000u | (row & 0u)); // runtime value: a const infinity is rejected
    lse[row] = select(minusInf, m + log(sum), sum > 0.0);
  }
}
`;

const SCORE_SERIAL = /* wgsl */ `    for (var pr = li; pr < R * T; pr += WG) {
      let r = pr / T;
      let tt = pr % T;
      let i = r / HPW;
      var s = NEG;
      if (tt < n && base + tt + SQ <= len + i) {
        let qBase = ((b * SQ + i) * H + headBase + r % HPW) * DK4;
        var sum = 0.0;
        for (var d4 = 0u; d4 < DK4; d4++) { sum += dotq(q[qBase + d4], {{keyLoad}}); }
        s = sum * SCALE;
      }
      scores[pr] = s;
    }`;

/** One subgroup per (row, token) pair; lanes stride the key dims and subgroupAdd sums them. */
const SCORE_SUBGROUP = /* wgsl */ `    let sgId = li / sgSize;
    for (var pr = sgId; pr < R * T; pr += WG / sgSize) {
      let r = pr / T;
      let tt = pr % T;
      let i = r / HPW;
      let valid = tt < n && base + tt + SQ <= len + i;
      var part = 0.0;
      if (valid) {
        let qBase = ((b * SQ + i) * H + headBase + r % HPW) * DK4;
        for (var d4 = lane; d4 < DK4; d4 += sgSize) { part += dotq(q[qBase + d4], {{keyLoad}}); }
      }
      let sum = subgroupAdd(part);
      if (lane == 0u) { scores[pr] = select(NEG, sum * SCALE, valid); }
    }`;

const STAGE_ROWS = /* wgsl */ `    for (var e = li; e < T * {{width}}; e += WG) {
      let tt = e / {{width}};
      if (tt < n) { {{stage}}[e] = {{source}}[stepSlot[tt] * {{width}} + e % {{width}}]; } else { {{stage}}[e] = S4(); }
    }`;

function dotBody(shape: AttentionShape, config: DecodeConfig): string {
  if (config.arithmetic === 'f16') return 'f32(dot(a, b))';
  return shape.storage === 'f16' ? 'dot(vec4<f32>(a), vec4<f32>(b))' : 'dot(a, b)';
}

export function decodeWgsl(family: string, problem: object, shape: AttentionShape, config: DecodeConfig): KernelSource {
  const staged = config.stage === 'workgroup';
  const subgroup = config.reduce === 'subgroup';
  const separateValues = !shape.valuesInKeys;
  const keyDim4 = shape.keyDim / 4;
  const valueDim4 = shape.valueDim / 4;
  const rows = queryRows(shape);
  const combineGridX = Math.min(rows, 65535);
  const keyLoad = staged ? 'kStage[tt * DK4 + d4]' : 'keys[stepSlot[tt] * DK4 + d4]';
  const valueLoad = separateValues
    ? staged ? 'vStage[tt * DV4 + d4]' : 'vals[stepSlot[tt] * DV4 + d4]'
    : staged ? 'kStage[tt * DK4 + d4]' : 'keys[stepSlot[tt] * DK4 + d4]';
  const stageLoad = staged
    ? [
        fillTemplate(STAGE_ROWS, { width: 'DK4', stage: 'kStage', source: 'keys' }),
        separateValues ? fillTemplate(STAGE_ROWS, { width: 'DV4', stage: 'vStage', source: 'vals' }) : '',
        '    workgroupBarrier();',
      ].filter(Boolean).join('\n')
    : '';
  const enables = [
    shape.storage === 'f16' ? 'enable f16;' : '',
    subgroup ? 'enable subgroups;\ndiagnostic(off, subgroup_uniformity);' : '',
  ].filter(Boolean).join('\n');
  const code = fillTemplate(SPLIT_KV, {
    header: sourceHeader('//', family, problem, config),
    enables,
    queryTokens: shape.queryTokens,
    heads: shape.heads,
    group: shape.heads / shape.kvHeads,
    kvHeads: shape.kvHeads,
    keyDim4,
    valueDim4,
    maxPages: maxPagesPerSequence(shape),
    headsPerWorkgroup: config.headsPerWorkgroup,
    tokensPerStep: config.tokensPerStep,
    splits: config.splits,
    workgroupSize: config.workgroupSize,
    accumulators: accumulators(shape, config),
    scale: shape.scale.toPrecision(9),
    dropTokens: config.fault === 'drop-last-step' ? config.tokensPerStep : 0,
    rows,
    combineGridX,
    combineWorkgroupSize: COMBINE_WG,
    storage: shape.storage,
    valuesDecl: separateValues ? '@group(0) @binding(2) var<storage, read> vals: array<S4>;' : '',
    stageDecl: staged
      ? ['var<workgroup> kStage: array<S4, T * DK4>;', separateValues ? 'var<workgroup> vStage: array<S4, T * DV4>;' : '']
          .filter(Boolean).join('\n')
      : '',
    dotBody: dotBody(shape, config),
    subgroupParams: subgroup
      ? ',\n    @builtin(subgroup_size) sgSize: u32, @builtin(subgroup_invocation_id) lane: u32'
      : '',
    stageLoad,
    scorePass: fillTemplate(subgroup ? SCORE_SUBGROUP : SCORE_SERIAL, { keyLoad }),
    valueLoad,
  });
  const cache = shape.valuesInKeys ? 'kv' : 'k';
  const read = (binding: number, buffer: string): BindingSpec => ({ binding, buffer, access: 'read' });
  const write = (binding: number, buffer: string): BindingSpec => ({ binding, buffer, access: 'read-write' });
  return {
    language: 'wgsl',
    code,
    launches: [
      {
        entryPoint: 'split_kv',
        grid: [shape.heads / config.headsPerWorkgroup, config.splits, shape.batch],
        block: [config.workgroupSize, 1, 1],
        bindings: [
          read(0, 'q'),
          read(1, cache),
          ...(separateValues ? [read(2, 'v')] : []),
          read(3, 'blockTable'),
          read(4, 'lengths'),
          write(5, 'oPart'),
          write(6, 'lsePart'),
        ],
      },
      {
        entryPoint: 'combine',
        grid: [combineGridX, Math.ceil(rows / combineGridX), 1],
        block: [COMBINE_WG, 1, 1],
        bindings: [write(5, 'oPart'), write(6, 'lsePart'), write(7, 'o'), write(8, 'lse')],
      },
    ],
  };
}
