// WGSL template of the grouped block-scaled FP8 GEMM. A workgroup owns a BM x BN tile of one
// expert's rows: in the contiguous layout the tile's expert is the per-row index of its first row
// (tiles never span experts: BM divides the alignment) and a tile of padding rows exits at once;
// in the masked layout the expert is workgroup z and tiles past masked_m exit. Rows that are not
// the expert's (padding, or past masked_m) are never stored. e4m3 decoding as in fp8-gemm: codes
// packed four per u32, decoded by bit arithmetic; per-128 K block promotion with both scales.
import { SCALE_BLOCK } from '../fp8/quantize.ts';
import { FP8_GEMM_BINDINGS } from '../fp8/bindings.ts';
import { DECODE_BITS_F32 } from '../fp8/wgsl.ts';
import { fillTemplate, sourceHeader } from '../template.ts';
import type { KernelSource } from '../types.ts';
import { groupLayout, kBlocks, nBlocks, type GroupedProblem } from './problem.ts';
import type { GroupedConfig } from './space.ts';

const CONTIGUOUS_TILE = /* wgsl */ `
  let expert = rowInfo[row0];
  if (expert < 0) { return; }
  let e = u32(expert);
  let rowEnd = row0 + BM;`;

const MASKED_TILE = /* wgsl */ `
  let e = wg.z;
  let count = u32(max(rowInfo[e], 0));
  if (wg.y * BM >= count) { return; }
  let rowEnd = e * MMAX + count;`;

const KERNEL = /* wgsl */ `{{header}}
const ROWS: u32 = {{rows}}u;
const N: u32 = {{N}}u;
const KB: u32 = {{KB}}u;
const NB: u32 = {{NB}}u;
const KW: u32 = {{KW}}u;          // u32 words per operand row
const MMAX: u32 = {{mMax}}u;
const BM: u32 = {{BM}}u;
const BN: u32 = {{BN}}u;
const TM: u32 = {{TM}}u;
const TN: u32 = {{TN}}u;
const RM: u32 = BM / TM;
const RN: u32 = BN / TN;
const WG: u32 = RM * RN;
const BKW: u32 = {{BKW}}u;
const STEPS: u32 = {{STEPS}}u;
const LAST_KB: u32 = {{lastKb}}u;

@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read> b: array<u32>;
@group(0) @binding(2) var<storage, read> scaleA: array<f32>;
@group(0) @binding(3) var<storage, read> scaleB: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;
@group(0) @binding(5) var<storage, read> rowInfo: array<i32>;
{{tileDecl}}
{{decode}}

@compute @workgroup_size(RN, RM, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row0 = {{row0}};
  let col0 = wg.x * BN;
{{tile}}
  // Rows past the expert's last one read the tile's first row (their results are never stored).
  var arow: array<u32, TM>;
  var brow: array<u32, TN>;
  for (var i = 0u; i < TM; i++) {
    let r = row0 + lid.y + i * RM;
    arow[i] = select(row0, r, r < rowEnd{{rowCheck}});
  }
  for (var j = 0u; j < TN; j++) { brow[j] = e * N + min(col0 + lid.x + j * RN, N - 1u); }
  var acc: array<array<f32, TN>, TM>;
  var blk: array<array<f32, TN>, TM>;
  for (var kb = 0u; kb < LAST_KB; kb++) {
    // Reset explicitly: a var declared in the loop body is not reliably re-zeroed (seen on lavapipe).
    for (var i = 0u; i < TM; i++) { for (var j = 0u; j < TN; j++) { blk[i][j] = 0.0; } }
    for (var ks = 0u; ks < STEPS; ks++) {
      let kw0 = kb * STEPS * BKW + ks * BKW;
{{stagedLoads}}
      for (var w = 0u; w < {{stepEnd}}; w++) {
        var av: array<vec4<f32>, TM>;
        for (var i = 0u; i < TM; i++) { av[i] = dec1({{loadA}}); }
        for (var j = 0u; j < TN; j++) {
          let bv = dec1({{loadB}});
          for (var i = 0u; i < TM; i++) { blk[i][j] += dot(av[i], bv); }
        }
      }
    }
    for (var i = 0u; i < TM; i++) {
      let sa = scaleA[arow[i] * KB + kb];
      for (var j = 0u; j < TN; j++) {
        let sb = scaleB[(e * NB + min(col0 + lid.x + j * RN, N - 1u) / 128u) * KB + kb];
        acc[i][j] += blk[i][j] * sa * sb;
      }
    }
  }
  for (var i = 0u; i < TM; i++) {
    let r = row0 + lid.y + i * RM;
    for (var j = 0u; j < TN; j++) {
      let col = col0 + lid.x + j * RN;
      if (r < rowEnd{{rowCheck}} && col < N) { c[r * N + col] = acc[i][j]; }
    }
  }
}
`;

const STAGED_LOADS = /* wgsl */ `
      workgroupBarrier();
      for (var l = li; l < BM * BKW; l += WG) {
        let r = row0 + l / BKW;
        tileA[l] = a[select(row0, r, r < rowEnd{{rowCheck}}) * KW + kw0 + l % BKW];
      }
      for (var l = li; l < BN * BKW; l += WG) {
        tileB[l] = b[(e * N + min(col0 + l / BKW, N - 1u)) * KW + kw0 + l % BKW];
      }
      workgroupBarrier();`;

export function groupedWgsl(problem: GroupedProblem, config: GroupedConfig): KernelSource {
  const layout = groupLayout(problem);
  const masked = problem.layout === 'masked';
  const staged = config.stage === 'workgroup';
  const stepWords = config.BK / 4;
  const KB = kBlocks(problem);
  // K not a multiple of 128: the last block is partial, and a K step stops at the row's last word
  // (emitted only then, so whole-block problems keep their source). Words staged past it go unread.
  const tail = problem.K % SCALE_BLOCK !== 0;
  // Contiguous: a row belongs to the tile's expert only if its index says so (padding rows say -1).
  const rowCheck = masked ? '' : ' && rowInfo[min(r, ROWS - 1u)] == expert';
  const code = fillTemplate(KERNEL, {
    header: sourceHeader('//', 'grouped-gemm', problem, config),
    rows: layout.rows,
    N: problem.N,
    KB,
    NB: nBlocks(problem),
    KW: problem.K / 4,
    mMax: layout.mMax,
    BM: config.BM,
    BN: config.BN,
    TM: config.TM,
    TN: config.TN,
    BKW: stepWords,
    STEPS: SCALE_BLOCK / config.BK,
    stepEnd: tail ? 'min(BKW, KW - min(kw0, KW))' : 'BKW',
    lastKb: config.fault === 'skip-last-k-block' ? KB - 1 : KB,
    tileDecl: staged ? `var<workgroup> tileA: array<u32, ${config.BM * stepWords}>;\nvar<workgroup> tileB: array<u32, ${config.BN * stepWords}>;` : '',
    decode: DECODE_BITS_F32,
    row0: masked ? 'wg.z * MMAX + wg.y * BM' : 'wg.y * BM',
    tile: masked ? MASKED_TILE : CONTIGUOUS_TILE,
    rowCheck,
    stagedLoads: staged ? fillTemplate(STAGED_LOADS, { rowCheck }) : '',
    loadA: staged ? 'tileA[(lid.y + i * RM) * BKW + w]' : 'a[arow[i] * KW + kw0 + w]',
    loadB: staged ? 'tileB[(lid.x + j * RN) * BKW + w]' : 'b[brow[j] * KW + kw0 + w]',
  });
  const rowTiles = masked ? Math.ceil(layout.mMax / config.BM) : Math.ceil(layout.rows / config.BM);
  return {
    language: 'wgsl',
    code,
    launches: [
      {
        entryPoint: 'main',
        grid: [Math.ceil(problem.N / config.BN), rowTiles, masked ? problem.G : 1],
        block: [config.BN / config.TN, config.BM / config.TM, 1],
        bindings: [...FP8_GEMM_BINDINGS, { binding: 5, buffer: 'rowInfo', access: 'read' }],
      },
    ],
  };
}
