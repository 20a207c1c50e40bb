// The GEMV kernel for M <= 16: its candidates are derived from the problem and the device, pass the
// constraints and fill the SMs; its launches carry the parameters the runner reads; it reads as JSON,
// prints in one line and has a bandwidth estimate; every distinct binary of the candidates compiles
// for sm_90a within the register cap without spills (skipped where nvcc is absent).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../../core/errors.ts';
import { compileAll } from '../../../../harness/cuda/compile.ts';
import { cudaCacheDir, findNvcc } from '../../../../harness/cuda/toolchain.ts';
import { compiledText, type CudaKernelSource } from '../../../../kernels/cuda-source.ts';
import { candidateConfigs } from '../../../../kernels/fp8-gemm/cuda/candidates.ts';
import type { CudaGemmConfig, GemvGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { describeCudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/describe.ts';
import {
  columnBlocks,
  GEMV_REGISTER_CAP,
  gemvCandidates,
  gemvConstraints,
  gemvRegisters,
  gemvScratchBytes,
  residentCtas,
} from '../../../../kernels/fp8-gemm/cuda/gemv.ts';
import { GEMV_COMBINE_ENTRY_POINT, GEMV_ENTRY_POINT } from '../../../../kernels/fp8-gemm/cuda/gemv-kernel.ts';
import { fromFlat, parseCudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/parse.ts';
import { cudaGemmConstraints } from '../../../../kernels/fp8-gemm/cuda/space.ts';
import { gemmCuda } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { estimateCudaGemm } from '../../../../kernels/fp8-gemm/model/cuda.ts';
import type { GemmProblem } from '../../../../kernels/fp8-gemm/problem.ts';
import { H200_CAPS } from './caps.ts';

const SMS = H200_CAPS.cuda!.smCount;
const gemv = (c: CudaGemmConfig): GemvGemmConfig => {
  assert.equal(c.kernel, 'gemv');
  return c as GemvGemmConfig;
};
const broken = (p: GemmProblem, c: CudaGemmConfig) => cudaGemmConstraints(p, H200_CAPS).filter((k) => !k.ok(c)).map((k) => k.name);

/** DeepSeek-V3-family decode shapes and awkward ones: M 1..16, N from 512 (576: not a multiple of 128), K from 512 (1008: a partial last block). */
const SPREAD: GemmProblem[] = [1, 2, 7, 8, 9, 16].flatMap((M) =>
  [512, 576, 2112, 4096, 7168, 24576].flatMap((N) => [512, 1008, 1536, 7168, 16384].map((K) => ({ M, N, K }))));

test('the candidates over the spread: 4-12 each, all passing every constraint, the grid filling the SMs', () => {
  for (const p of SPREAD) {
    const configs = gemvCandidates(p, H200_CAPS).map(gemv);
    assert.ok(configs.length >= 4 && configs.length <= 12, `${JSON.stringify(p)}: ${configs.length} candidates`);
    assert.equal(new Set(configs.map((c) => JSON.stringify(c))).size, configs.length, 'no duplicates');
    const kBlocks = Math.ceil(p.K / 128);
    for (const c of configs) {
      assert.deepEqual(broken(p, c), [], `${JSON.stringify(p)} ${JSON.stringify(c)}`);
      // CTAs: at least every SM's resident CTAs (a wave) or, where the problem has fewer work units
      // (column blocks x splits of at least one K block per warp), all of them.
      const ctas = columnBlocks(p, c) * c.splits;
      const units = columnBlocks(p, c) * Math.max(1, Math.floor(kBlocks / c.warps));
      const wave = SMS * residentCtas(c, H200_CAPS);
      assert.ok(ctas >= Math.min(wave, units), `${JSON.stringify(p)} ${describeCudaGemmConfig(c)}: ${ctas} CTAs, a wave is ${wave}, units ${units}`);
      assert.ok(c.splits <= Math.max(1, Math.floor(kBlocks / c.warps)), 'every warp of a split has a K block');
    }
  }
});

test('the candidates are derived: fewer columns or more SMs take more K splits, large N few or none', () => {
  const splitsOf = (p: GemmProblem, caps = H200_CAPS) => gemvCandidates(p, caps).map((c) => gemv(c).splits);
  // The first candidate's: one wave of 4 warps x 16 rows (4 CTAs of 128 threads per SM at 128 registers).
  const narrow = splitsOf({ M: 1, N: 576, K: 7168 })[0];
  const wide = splitsOf({ M: 1, N: 2112, K: 7168 })[0];
  assert.deepEqual([narrow, wide], [14, 4]);
  // N=24576: 1536 column blocks of 16 rows fill three waves unsplit; two waves of small CTAs split in 2 at most.
  assert.equal(splitsOf({ M: 1, N: 24576, K: 7168 })[0], 1);
  assert.ok(Math.max(...splitsOf({ M: 1, N: 24576, K: 7168 })) <= 2);
  const fewer = { ...H200_CAPS, cuda: { ...H200_CAPS.cuda!, smCount: 66 } };
  assert.equal(splitsOf({ M: 1, N: 2112, K: 7168 }, fewer)[0], 2);
  // At M > 8 the MMA's rows 8-15 are tokens: shapes whose loads would spill are left out.
  for (const c of gemvCandidates({ M: 16, N: 2112, K: 7168 }, H200_CAPS).map(gemv)) assert.ok(gemvRegisters({ M: 16, N: 2112, K: 7168 }, c) <= GEMV_REGISTER_CAP);
  assert.ok(gemvCandidates({ M: 1, N: 2112, K: 7168 }, H200_CAPS).length > gemvCandidates({ M: 16, N: 2112, K: 7168 }, H200_CAPS).length);
});

test('a GEMV config has only its own options (each @ts-expect-error fails the type check if its line compiles)', () => {
  const written: CudaGemmConfig[] = [
    { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 3, combine: 'launch' },
    // @ts-expect-error: the GEMV kernel has no output tile
    { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 3, combine: 'launch', blockM: 64 },
    // @ts-expect-error: nor a main loop
    { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 3, combine: 'launch', loop: 'two-sets' },
    // @ts-expect-error: 3 warps is not a CTA shape it has
    { kernel: 'gemv', out: 'bf16', warps: 3, rowGroups: 2, unroll: 2, splits: 3, combine: 'launch' },
    // @ts-expect-error: a timing fault is the sm_90a kernel's
    { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 3, combine: 'launch', fault: 'time-no-store' },
  ];
  assert.equal(written.length, 5);
});

test('the constraints judge only the GEMV variant, and reject what it cannot do', () => {
  const p = { M: 4, N: 2112, K: 7168 };
  const c: GemvGemmConfig = { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 4, combine: 'last-cta' };
  assert.deepEqual(broken(p, c), []);
  assert.deepEqual(broken({ ...p, M: 17 }, c), ['gemv-small-m']);
  assert.deepEqual(broken(p, { ...c, splits: 57 }), ['gemv-splits-within-k']);
  assert.deepEqual(broken(p, { ...c, splits: 0 }), ['gemv-splits-within-k']);
  assert.deepEqual(broken(p, { ...c, rowGroups: 4 as const }), ['gemv-registers']);
  assert.deepEqual(broken({ ...p, M: 16 }, { ...c, rowGroups: 1 as const, unroll: 4 as const }), ['gemv-registers']);
  assert.deepEqual(broken(p, { ...c, fault: 'time-no-store' as never }), ['gemv-fault']);
  assert.deepEqual(broken(p, { ...c, splits: 1, fault: 'skip-partials' as const }), ['gemv-fault']);
  assert.deepEqual(broken(p, { ...c, fault: 'skip-partials' as const }), []);
  // Every config of the other kernels passes the GEMV's constraints.
  const others: CudaGemmConfig[] = [...candidateConfigs({ M: 64, N: 2112, K: 7168 }, H200_CAPS), { kernel: 'simt', out: 'bf16' }];
  for (const k of gemvConstraints({ M: 4096, N: 7168, K: 2048 }, H200_CAPS)) assert.ok(others.every((o) => k.ok(o)), k.name);
});

test('the launches: the GEMV over (column blocks, splits) with the runner\'s parameters, a combine launch only when asked', () => {
  const p = { M: 7, N: 2104, K: 7168 };
  const c: GemvGemmConfig = { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 4, combine: 'launch' };
  const source = gemmCuda(p, c, H200_CAPS);
  assert.ok(source.flags?.some((f) => f.includes('sm_90a')));
  assert.deepEqual(source.outputTypes, { c: 'bf16' });
  const [main, combine] = source.launches;
  assert.equal(source.launches.length, 2);
  assert.equal(main.entryPoint, GEMV_ENTRY_POINT);
  assert.deepEqual(main.grid, [Math.ceil(2104 / 16), 4, 1]);
  assert.deepEqual(main.block, [128, 1, 1]);
  const scratch = { kind: 'scratch', bytes: 4 * (Math.ceil(132 / 4) * 4 + 4 * 7 * 2104) };
  assert.deepEqual(main.params, [
    { kind: 'pointer', buffer: 'a' }, { kind: 'pointer', buffer: 'b' }, { kind: 'pointer', buffer: 'scaleA' }, { kind: 'pointer', buffer: 'scaleB' },
    { kind: 'pointer', buffer: 'c' }, { kind: 'i32', value: 7 }, { kind: 'i32', value: 2104 }, { kind: 'i32', value: 7168 }, { kind: 'i32', value: 4 }, scratch,
  ]);
  assert.equal(combine.entryPoint, GEMV_COMBINE_ENTRY_POINT);
  assert.deepEqual(combine.params, [{ kind: 'pointer', buffer: 'c' }, scratch, { kind: 'i32', value: 7 }, { kind: 'i32', value: 2104 }, { kind: 'i32', value: 4 }]);
  assert.equal(combine.grid[0] * combine.block[0] >= 7 * 2104, true);
  assert.match(source.code, new RegExp(`${GEMV_ENTRY_POINT}\\(`));
  assert.match(source.code, new RegExp(`${GEMV_COMBINE_ENTRY_POINT}\\(`));
  // The last CTA combines in the one launch; one split needs no combine and no partials.
  assert.equal(gemmCuda(p, { ...c, combine: 'last-cta' as const }, H200_CAPS).launches.length, 1);
  const single = gemmCuda(p, { ...c, splits: 1 }, H200_CAPS).launches;
  assert.equal(single.length, 1);
  assert.deepEqual(single[0].params.at(-1), { kind: 'scratch', bytes: gemvScratchBytes(p, { ...c, splits: 1 }) });
  assert.equal(gemvScratchBytes(p, { ...c, splits: 1 }), 4 * 132);
  // The split count is a launch argument: one binary serves every split.
  assert.equal(compiledText(gemmCuda(p, { ...c, splits: 2 }, H200_CAPS).code), compiledText(source.code));
  // Tokens 8-15 are compiled in only for M > 8.
  assert.match(gemmCuda({ ...p, M: 8 }, c, H200_CAPS).code, /TOKENS16 = false/);
  assert.match(gemmCuda({ ...p, M: 9 }, c, H200_CAPS).code, /TOKENS16 = true/);
});

test('a GEMV config reads as JSON (either entry point), refuses what it cannot hold, prints in one line', () => {
  const c: GemvGemmConfig = { kernel: 'gemv', out: 'f32', warps: 8, rowGroups: 1, unroll: 2, splits: 6, combine: 'launch', fault: 'skip-partials' };
  assert.deepEqual(parseCudaGemmConfig(JSON.parse(JSON.stringify(c))), c);
  assert.deepEqual(fromFlat(JSON.parse(JSON.stringify(c))), c);
  const refused = (value: Record<string, unknown>, reason: RegExp) => assert.throws(() => parseCudaGemmConfig(value), (e: unknown) => e instanceof UsageError && reason.test(e.message));
  refused({ ...c, warps: 3 }, /warps must be one of 2, 4, 8/);
  refused({ ...c, splits: 0 }, /splits must be a whole number/);
  refused({ ...c, combine: 'atomics' }, /combine must be one of/);
  refused({ ...c, fault: 'time-no-store' }, /fault must be one of/);
  refused({ ...c, blockN: 64 }, /unknown field "blockN"/);
  assert.equal(describeCudaGemmConfig(c), 'gemv 8 warps x 8 rows unroll 2 split 6 combined by a launch f32 fault skip-partials');
  assert.equal(describeCudaGemmConfig({ ...c, out: 'bf16', splits: 1, fault: undefined }), 'gemv 8 warps x 8 rows unroll 2 split 1');
});

test('the model: weights through HBM when enough is in flight, latency when trips are few and long', () => {
  const c: GemvGemmConfig = { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 1, combine: 'last-cta' };
  const big = estimateCudaGemm({ M: 1, N: 24576, K: 7168 }, c, H200_CAPS);
  assert.equal(big.bound, 'memory');
  // N=576: 36 CTAs without a split, each warp walking K alone: latency; splits that fill the SMs lift it.
  const narrow = { M: 1, N: 576, K: 7168 };
  const alone = estimateCudaGemm(narrow, c, H200_CAPS);
  const split = estimateCudaGemm(narrow, { ...c, splits: 14 }, H200_CAPS);
  assert.equal(alone.bound, 'latency');
  assert.equal(split.bound, 'memory');
  assert.ok(split.time < alone.time / 1.5, `${split.time} < ${alone.time} / 1.5`);
  // A second launch costs its gap.
  assert.ok(estimateCudaGemm(narrow, { ...c, splits: 14, combine: 'launch' }, H200_CAPS).time > split.time);
});

const nvcc = findNvcc();

test('every distinct binary of the candidates over the spread compiles for sm_90a within the register cap, without spills', { skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false }, async (t) => {
  if ('missing' in nvcc) return;
  // The split count is a launch argument and the problem only picks 8 or 16 token rows: M=1 and M=16
  // at one N and K give every binary the spread's candidates have (checked below), plus f32 out.
  const binaries = new Map<string, { label: string; source: CudaKernelSource }>();
  const add = (p: GemmProblem, c: CudaGemmConfig) => {
    const source = gemmCuda(p, c, H200_CAPS);
    const text = compiledText(source.code);
    if (!binaries.has(text)) binaries.set(text, { label: `M=${p.M} ${describeCudaGemmConfig(c)}`, source });
  };
  for (const M of [1, 16]) for (const c of gemvCandidates({ M, N: 2112, K: 7168 }, H200_CAPS)) add({ M, N: 2112, K: 7168 }, c);
  const covered = new Set(binaries.keys());
  for (const p of SPREAD) for (const c of gemvCandidates(p, H200_CAPS)) assert.ok(covered.has(compiledText(gemmCuda(p, c, H200_CAPS).code)), `${JSON.stringify(p)} ${JSON.stringify(c)}`);
  add({ M: 1, N: 2112, K: 7168 }, { ...gemv(gemvCandidates({ M: 1, N: 2112, K: 7168 }, H200_CAPS)[0]), out: 'f32' });
  assert.ok(binaries.size <= 14, `${binaries.size} binaries`);
  const list = [...binaries.values()];
  const outcomes = await compileAll(nvcc, list.map((b) => b.source), cudaCacheDir());
  const problems = outcomes.flatMap((o, i) => {
    if (!o.ok) return [`${list[i].label}: ${o.error}`];
    const r = o.report;
    t.diagnostic(`${list[i].label}: ${r.registers} registers, stack ${r.stackBytes} B, spills ${r.spillStoreBytes}/${r.spillLoadBytes} B`);
    const bad = r.registers > GEMV_REGISTER_CAP || r.spillStoreBytes > 0 || r.spillLoadBytes > 0 || r.stackBytes > 0 || r.warnings.length > 0;
    return bad ? [`${list[i].label}: ${r.registers} registers, stack ${r.stackBytes} B, spills ${r.spillStoreBytes}/${r.spillLoadBytes} B ${r.warnings.join(' ')}`] : [];
  });
  assert.deepEqual(problems, []);
});
