// WGSL template of the block-scaled FP8 GEMM. WGSL has no 8-bit float: e4m3 codes arrive packed
// four per u32 and are decoded in the shader, by bit arithmetic or a 256-entry table. Each 128-wide
// K block is accumulated on its own and promoted into the f32 total with its two scales, as
// DeepSeek-V3 does on Hopper (FP32 promotion per 128 elements of K).
import type { Capabilities } from '../../core/capabilities.ts';
import { E4M3_TABLE } from '../fp8/e4m3.ts';
import { FP8_GEMM_BINDINGS } from '../fp8/bindings.ts';
import { DECODE_BITS_F16, DECODE_BITS_F32, DECODE_TABLE_F32 } from '../fp8/wgsl.ts';
import { SCALE_BLOCK, scaleBlocks } from '../fp8/quantize.ts';
import { fillTemplate, sourceHeader } from '../template.ts';
import type { KernelSource } from '../types.ts';
import type { GemmProblem } from './problem.ts';
import type { GemmConfig } from './space.ts';

const VEC1 = /* wgsl */ `
alias Word = u32;
alias Dec = vec4<{{elem}}>;
fn dec(w: Word) -> Dec { return dec1(w); }
fn dotd(x: Dec, y: Dec) -> f32 { return f32(dot(x, y)); }`;

const VEC4 = /* wgsl */ `
alias Word = vec4<u32>;
alias Dec = mat4x4<{{elem}}>;
fn dec(w: Word) -> Dec { return Dec(dec1(w.x), dec1(w.y), dec1(w.z), dec1(w.w)); }
fn dotd(x: Dec, y: Dec) -> f32 {
  return f32(dot(x[0], y[0])) + f32(dot(x[1], y[1])) + f32(dot(x[2], y[2])) + f32(dot(x[3], y[3]));
}`;

const STAGED_LOADS = /* wgsl */ `
    workgroupBarrier();
    for (var l = li; l < BM * BKW; l += WG) {
      tileA[l] = a[min(row0 + l / BKW, M - 1u) * KWV + kw0 + l % BKW];
    }
    for (var l = li; l < BN * BKW; l += WG) {
      tileB[l] = b[min(col0 + l / BKW, N - 1u) * KWV + kw0 + l % BKW];
    }
    workgroupBarrier();`;

const KERNEL = /* wgsl */ `{{header}}
{{enables}}
const M: u32 = {{M}}u;
const N: u32 = {{N}}u;
const KB: u32 = {{KB}}u;        // 128-wide K blocks, one scale each
const KWV: u32 = {{KWV}}u;      // Words per operand row
const BM: u32 = {{BM}}u;
const BN: u32 = {{BN}}u;
const TM: u32 = {{TM}}u;
const TN: u32 = {{TN}}u;
const RM: u32 = BM / TM;        // invocations along M (workgroup y)
const RN: u32 = BN / TN;        // invocations along N (workgroup x)
const WG: u32 = RM * RN;
const BKW: u32 = {{BKW}}u;      // Words per K step
const STEPS: u32 = {{STEPS}}u;  // K steps per 128-wide block
const PROMOTE: f32 = {{promote}};
const LAST_KB: u32 = {{lastKb}}u;

@group(0) @binding(0) var<storage, read> a: array<Word>;
@group(0) @binding(1) var<storage, read> b: array<Word>;
@group(0) @binding(2) var<storage, read> scaleA: array<f32>;
@group(0) @binding(3) var<storage, read> scaleB: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;
{{tableDecl}}
{{tileDecl}}
{{decode}}
{{vector}}

@compute @workgroup_size(RN, RM, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * BM;
  let col0 = wg.x * BN;
{{tableLoad}}
  // Operand rows this invocation reads (clamped: rows past M or N compute values never stored).
  var arow: array<u32, TM>;
  var brow: array<u32, TN>;
  for (var i = 0u; i < TM; i++) { arow[i] = {{arowInit}}; }
  for (var j = 0u; j < TN; j++) { brow[j] = {{browInit}}; }
  var acc: array<array<f32, TN>, TM>;
  for (var kb = 0u; kb < LAST_KB; kb++) {
    // Explicitly zeroed per block (relying on implicit zero-init here miscompiled on lavapipe).
    var blk = array<array<f32, TN>, TM>();
    for (var ks = 0u; ks < STEPS; ks++) {
      let kw0 = kb * STEPS * BKW + ks * BKW;
{{stagedLoads}}
      for (var w = 0u; w < {{stepEnd}}; w++) {
        var av: array<Dec, TM>;
        for (var i = 0u; i < TM; i++) { av[i] = dec({{loadA}}); }
        for (var j = 0u; j < TN; j++) {
          let bv = dec({{loadB}});
          for (var i = 0u; i < TM; i++) { blk[i][j] += dotd(av[i], bv); }
        }
      }
    }
    // Promotion: this block's partial sums enter the f32 total with their 1x128 and 128x128 scales.
    for (var i = 0u; i < TM; i++) {
      let sa = scaleA[min(row0 + lid.y + i * RM, M - 1u) * KB + kb] * PROMOTE;
      for (var j = 0u; j < TN; j++) {
        let sb = scaleB[(min(col0 + lid.x + j * RN, N - 1u) / 128u) * KB + kb];
        acc[i][j] += blk[i][j] * sa * sb;
      }
    }
  }
  for (var i = 0u; i < TM; i++) {
    let r = row0 + lid.y + i * RM;
    for (var j = 0u; j < TN; j++) {
      let col = col0 + lid.x + j * RN;
      if (r < M && col < N) { c[r * N + col] = acc[i][j]; }
    }
  }
}
`;

export function gemmWgsl(problem: GemmProblem, config: GemmConfig, _caps: Capabilities): KernelSource {
  const staged = config.stage === 'workgroup';
  const table = config.decode === 'table';
  const f16 = config.arith === 'f16';
  const wordsPerRow = problem.K / 4 / config.vec;
  const stepWords = config.BK / 4 / config.vec;
  const kBlocks = scaleBlocks(problem.K);
  // K not a multiple of 128: the last block is partial, and a K step stops at the row's last word
  // (emitted only then, so whole-block problems keep their source). Words staged past it go unread.
  const tail = problem.K % SCALE_BLOCK !== 0;
  const code = fillTemplate(KERNEL, {
    header: sourceHeader('//', 'fp8-gemm', problem, config),
    enables: f16 ? 'enable f16;' : '',
    M: problem.M,
    N: problem.N,
    KB: kBlocks,
    KWV: wordsPerRow,
    BM: config.BM,
    BN: config.BN,
    TM: config.TM,
    TN: config.TN,
    BKW: stepWords,
    STEPS: SCALE_BLOCK / config.BK,
    stepEnd: tail ? 'min(BKW, KWV - min(kw0, KWV))' : 'BKW',
    promote: f16 ? '65536.0' : '1.0',
    lastKb: config.fault === 'skip-last-k-block' ? kBlocks - 1 : kBlocks,
    tableDecl: table
      ? `@group(0) @binding(5) var<storage, read> table: array<f32, 256>;\nvar<workgroup> lut: array<f32, 256>;`
      : '',
    tileDecl: staged ? `var<workgroup> tileA: array<Word, ${config.BM * stepWords}>;\nvar<workgroup> tileB: array<Word, ${config.BN * stepWords}>;` : '',
    decode: f16 ? DECODE_BITS_F16 : table ? DECODE_TABLE_F32 : DECODE_BITS_F32,
    vector: fillTemplate(config.vec === 4 ? VEC4 : VEC1, { elem: f16 ? 'f16' : 'f32' }),
    tableLoad: table ? '  for (var t = li; t < 256u; t += WG) { lut[t] = table[t]; }\n  workgroupBarrier();' : '',
    arowInit: staged ? '(lid.y + i * RM) * BKW' : 'min(row0 + lid.y + i * RM, M - 1u) * KWV',
    browInit: staged ? '(lid.x + j * RN) * BKW' : 'min(col0 + lid.x + j * RN, N - 1u) * KWV',
    stagedLoads: staged ? STAGED_LOADS : '',
    loadA: staged ? 'tileA[arow[i] + w]' : 'a[arow[i] + kw0 + w]',
    loadB: staged ? 'tileB[brow[j] + w]' : 'b[brow[j] + kw0 + w]',
  });
  const bindings = [
    ...FP8_GEMM_BINDINGS,
    ...(table ? [{ binding: 5, buffer: 'e4m3Table', access: 'read' as const }] : []),
  ];
  return {
    language: 'wgsl',
    code,
    launches: [
      {
        entryPoint: 'main',
        grid: [Math.ceil(problem.N / config.BN), Math.ceil(problem.M / config.BM), 1],
        block: [config.BN / config.TN, config.BM / config.TM, 1],
        bindings,
      },
    ],
  };
}

/** The decode table buffer the table variant binds. */
export const e4m3TableData = (): Float32Array => E4M3_TABLE;
