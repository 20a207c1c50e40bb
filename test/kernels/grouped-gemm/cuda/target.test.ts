// The CUDA grouped GEMM without a GPU: candidates generated from the problem (and valid in its space),
// the source (the FP8 GEMM's template with the group walk; its launch), the inputs (the family's
// buffers and layout, padding rows with data), verification (an output computed from the reference
// passes; a stored padding row, a wrong group's weights fail), and the peers' sources and checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupedCandidates, tileEstimates } from '../../../../kernels/grouped-gemm/cuda/candidates.ts';
import { denseConfig, type GroupedCudaConfig } from '../../../../kernels/grouped-gemm/cuda/config.ts';
import { groupedGemmCudaTarget } from '../../../../kernels/grouped-gemm/cuda/index.ts';
import { densePerGroup, GROUPED_GEMM_PEERS, rowwiseScales } from '../../../../kernels/grouped-gemm/cuda/peers.ts';
import { groupedCudaSpace } from '../../../../kernels/grouped-gemm/cuda/space.ts';
import { groupedCtas, groupedGemmCuda } from '../../../../kernels/grouped-gemm/cuda/template.ts';
import { fastGroupedWorkload, rowInfo } from '../../../../kernels/grouped-gemm/cuda/workload.ts';
import { gemmReference } from '../../../../kernels/fp8-gemm/reference.ts';
import { groupedGemm } from '../../../../kernels/grouped-gemm/index.ts';
import { presets } from '../../../../kernels/grouped-gemm/presets.ts';
import { groupLayout, kBlocks, nBlocks, type GroupedProblem } from '../../../../kernels/grouped-gemm/problem.ts';
import { groupedWorkload } from '../../../../kernels/grouped-gemm/workload.ts';
import type { CudaKernelSource } from '../../../../kernels/cuda-source.ts';
import type { Workload } from '../../../../kernels/types.ts';
import { H200_CAPS } from '../../fp8-gemm/cuda/caps.ts';

const ISSUE_CONTIGUOUS = ['dsv3-contiguous-g4-m8192-n4096-k7168-uniform', 'dsv3-contiguous-g4-m8192-n7168-k2048-uniform', 'dsv3-contiguous-g8-m4096-n4096-k7168-uniform', 'dsv3-contiguous-g8-m4096-n7168-k2048-uniform'];
const small: GroupedProblem = { G: 24, M: 4, N: 200, K: 256, layout: 'contiguous', routing: 'zipf', align: 32 };

test('candidates: generated from the problem, each in the space and passing every constraint, with the deepest pipeline that fits', () => {
  const lists = new Set<string>();
  for (const name of [...ISSUE_CONTIGUOUS, 'dsv3-ep8-masked-g32-m16-n4096-k7168-uniform', 'dsv3-ep8-masked-g32-m1024-n7168-k2048-uniform', 'dsv3-layer-top8-g256-m128-n7168-k2048-zipf']) {
    const problem = presets[name];
    const candidates = groupedCandidates(problem, H200_CAPS);
    assert.ok(candidates.length >= 3 && candidates.length <= 9, `${name}: ${candidates.length}`);
    const space = groupedCudaSpace(problem, H200_CAPS);
    for (const c of candidates) {
      for (const k of space.constraints) assert.ok(k.ok(c), `${name} ${JSON.stringify(c)} breaks ${k.name}`);
      assert.ok(!space.constraints.every((k) => k.ok({ ...c, stages: c.stages + 1 })) || c.stages === 8, `${name}: a deeper pipeline fits ${JSON.stringify(c)}`);
    }
    lists.add(JSON.stringify(candidates.map((c) => [c.blockM, c.blockN])));
  }
  // Not a fixed list: the shapes' tiles differ with group sizes and N.
  assert.ok(lists.size >= 3, `${lists.size} distinct tile lists`);
});

test('tile estimates: fewer waves of the same tile cost less; the SM count changes the pick', () => {
  const problem = presets['dsv3-contiguous-g8-m4096-n7168-k2048-uniform'];
  const estimates = tileEstimates(problem, H200_CAPS);
  for (let i = 1; i < estimates.length; i++) assert.ok(estimates[i - 1].cost <= estimates[i].cost);
  const few = { ...H200_CAPS, cuda: { ...H200_CAPS.cuda!, smCount: 7 } };
  assert.notDeepEqual(tileEstimates(presets['dsv3-ep8-masked-g32-m16-n4096-k7168-uniform'], few).slice(0, 3), tileEstimates(presets['dsv3-ep8-masked-g32-m16-n4096-k7168-uniform'], H200_CAPS).slice(0, 3));
});

test('source: the FP8 GEMM template with the group walk, its constants from the problem; the launch', () => {
  const problem = presets['dsv3-ep8-masked-g32-m64-n7168-k2048-zipf'];
  const config: GroupedCudaConfig = { blockM: 128, blockN: 128, mathWarpgroups: 2, stages: 5, raster: 'along-m', out: 'bf16', loop: 'two-sets', overlapStore: true };
  const source = groupedGemmCuda(problem, config, H200_CAPS);
  const layout = groupLayout(problem);
  assert.match(source.code, /^\/\/ tilesweep grouped-gemm \| problem /);
  for (const line of ['constexpr int GROUPS = 32;', 'constexpr int GROUP_N = 7168;', `constexpr int GROUP_M_MAX = ${layout.mMax};`, 'constexpr int GROUP_ALIGN = 1;', 'constexpr int GROUP_SEARCH_STEP = 16;',
    'constexpr int FAULT_STORE_PADDING = 0;', 'const int* __restrict__ counts', 'group_schedule(counts);', 'const int tilesM = groupTileStart[GROUPS];',
    'scaleB + static_cast<size_t>(group) * NB * KB', 'store_tile(C, rowEnd, N, tc.m0, tc.n0', 'constexpr int EPILOGUE_TMA = 0;', 'constexpr int OVERLAP_STORE = 1;']) {
    assert.ok(source.code.includes(line), line);
  }
  assert.ok(!source.code.includes('{{'), 'every field filled');
  const [launch] = (source as CudaKernelSource).launches;
  assert.deepEqual(launch.params.map((p) => ('buffer' in p ? `${p.kind}:${p.buffer}` : p.kind)), ['tensor-map:a', 'tensor-map:b', 'pointer:scaleA', 'pointer:scaleB', 'pointer:c', 'i32', 'i32', 'i32', 'i32', 'pointer:counts']);
  assert.deepEqual(launch.params[1], { kind: 'tensor-map', buffer: 'b', rows: 32 * 7168, cols: 2048, boxRows: 128, boxCols: 128 });
  assert.equal(launch.grid[0], 132);
  // Contiguous: the padded alignment is the schedule's; the fault's constant.
  const contiguous = groupedGemmCuda(small, { ...config, blockM: 64, mathWarpgroups: 1, fault: 'store-padding' }, H200_CAPS).code;
  assert.ok(contiguous.includes('constexpr int GROUP_ALIGN = 32;') && contiguous.includes('constexpr int FAULT_STORE_PADDING = 1;') && contiguous.includes('constexpr int GROUP_M_MAX = 0;'));
  assert.ok(groupedGemmCuda(small, { ...config, fault: 'skip-last-k-block' }, H200_CAPS).code.includes('constexpr int FAULT_SKIP_LAST_K_BLOCK = 1;'));
});

test('the grid depends on the buffers\' shapes, not on the counts', () => {
  const config: GroupedCudaConfig = { blockM: 64, blockN: 128, mathWarpgroups: 1, stages: 8, raster: 'along-m', out: 'bf16', loop: 'one-set', scales: 'ring' };
  const problem: GroupedProblem = { G: 8, M: 8, N: 256, K: 256, layout: 'masked', routing: 'uniform', align: 64 };
  // 8 groups x 1 row tile x 2 column tiles: 16 CTAs, fewer than the SMs.
  assert.equal(groupedCtas(problem, config, 132), 16);
  assert.equal(groupedCtas(presets['dsv3-contiguous-g8-m4096-n4096-k7168-zipf'], config, 132), 132);
});

test('workload: the family\'s buffers and layout, per-group counts beside them, padding rows with data', () => {
  for (const layout of ['contiguous', 'masked'] as const) {
    const problem = { ...small, layout };
    const w = fastGroupedWorkload(problem, 5);
    const family = groupedWorkload(problem, 5);
    for (const name of Object.keys(family.buffers)) assert.equal(w.buffers[name].bytes, family.buffers[name].bytes, name);
    assert.deepEqual(Array.from(w.buffers.rowInfo.data!), Array.from(family.buffers.rowInfo.data!));
    assert.deepEqual(Array.from(w.buffers.counts.data!), groupLayout(problem).counts);
    assert.deepEqual(Array.from(rowInfo(problem)), Array.from(family.buffers.rowInfo.data!));
    // A padding row (or row past masked_m) holds codes like the others.
    const l = groupLayout(problem);
    const g = l.counts.findIndex((c, i) => (layout === 'masked' ? c < l.mMax : c % problem.align !== 0 && c > 0 && i >= 0));
    const pad = l.offsets[g] + l.counts[g];
    const words = problem.K / 4;
    assert.ok((w.buffers.a.data as Uint32Array).subarray(pad * words, (pad + 1) * words).some((x) => x !== 0));
    assert.deepEqual(fastGroupedWorkload(problem, 5).buffers.a.data, w.buffers.a.data, 'seeded');
  }
});

/** C as a correct kernel leaves it: each group's valid rows from the reference, everything else 0. */
function referenceOutput(problem: GroupedProblem, w: Workload): Float32Array {
  const layout = groupLayout(problem);
  const { N, K } = problem;
  const words = K / 4;
  const KB = kBlocks(problem);
  const NB = nBlocks(problem);
  const c = new Float32Array(layout.rows * N);
  const buf = w.buffers;
  layout.counts.forEach((count, g) => {
    if (count === 0) return;
    const r0 = layout.offsets[g];
    const ref = gemmReference({ M: count, N, K }, {
      a: (buf.a.data as Uint32Array).subarray(r0 * words, (r0 + count) * words),
      b: (buf.b.data as Uint32Array).subarray(g * N * words, (g + 1) * N * words),
      scaleA: (buf.scaleA.data as Float32Array).subarray(r0 * KB, (r0 + count) * KB),
      scaleB: (buf.scaleB.data as Float32Array).subarray(g * NB * KB, (g + 1) * NB * KB),
    }, Array.from({ length: count * N }, (_, i) => i));
    c.set(Float32Array.from(ref.value), r0 * N);
  });
  return c;
}

test('verification: the reference passes (empty groups included), padding left 0 or NaN (unwritten) too; a stored padding row fails ours; a wrong group fails all', () => {
  for (const layout of ['contiguous', 'masked'] as const) {
    const problem = { ...small, layout };
    const w = fastGroupedWorkload(problem, 3);
    const c = referenceOutput(problem, w);
    const config: GroupedCudaConfig = { blockM: 64, blockN: 128, mathWarpgroups: 1, stages: 8, raster: 'along-m', out: 'bf16', loop: 'one-set', scales: 'ring' };
    assert.ok(groupedGemmCudaTarget.verify(problem, w, { c }, config).ok, layout);
    const l = groupLayout(problem);
    const g = l.counts.findIndex((count) => count > 0 && (layout === 'masked' ? count < l.mMax : count % problem.align !== 0));
    const padded = c.slice();
    padded[(l.offsets[g] + l.counts[g]) * problem.N] = 1;
    assert.ok(!groupedGemmCudaTarget.verify(problem, w, { c: padded }, config).ok, `${layout}: a stored padding row`);
    // Padding rows as the CUDA runner leaves them unwritten (its all-ones fill reads back NaN) pass.
    const filled = c.slice();
    l.counts.forEach((count, k) => {
      const end = layout === 'masked' ? l.mMax : (l.offsets[k + 1] ?? l.rows) - l.offsets[k];
      filled.fill(Number.NaN, (l.offsets[k] + count) * problem.N, (l.offsets[k] + end) * problem.N);
    });
    assert.ok(filled.some(Number.isNaN) && groupedGemmCudaTarget.verify(problem, w, { c: filled }, config).ok, `${layout}: unwritten padding (NaN fill)`);
    // Library peers leave padding undefined: not checked for them.
    assert.ok(GROUPED_GEMM_PEERS.find((p) => p.name === 'deepgemm')!.verify(problem, w, { c: padded }).ok);
    // The busiest group computed with its neighbour's weights.
    const busiest = l.counts.indexOf(Math.max(...l.counts));
    const swapped = c.slice();
    const other = (busiest + 1) % problem.G;
    const ref = referenceOutput(problem, { ...w, buffers: { ...w.buffers, b: { ...w.buffers.b, data: rotateGroups(w.buffers.b.data as Uint32Array, problem) } } });
    swapped.set(ref.subarray(l.offsets[busiest] * problem.N, (l.offsets[busiest] + l.counts[busiest]) * problem.N), l.offsets[busiest] * problem.N);
    assert.ok(!groupedGemmCudaTarget.verify(problem, w, { c: swapped }, config).ok, `${layout}: group ${busiest} with group ${other}'s weights`);
    for (const peer of GROUPED_GEMM_PEERS) if (peer.name !== 'torch') assert.ok(!peer.verify(problem, w, { c: swapped }).ok, peer.name);
  }
});

/** B with every group's weights those of the next group. */
function rotateGroups(b: Uint32Array, problem: GroupedProblem): Uint32Array {
  const size = (problem.N * problem.K) / 4;
  const out = new Uint32Array(b.length);
  for (let g = 0; g < problem.G; g++) out.set(b.subarray(((g + 1) % problem.G) * size, (((g + 1) % problem.G) + 1) * size), g * size);
  return out;
}

test('torch peer: verified against the row-wise product it computes, not against the block-scaled one', () => {
  const problem = { ...small, layout: 'contiguous' as const, K: 512 };
  const w = fastGroupedWorkload(problem, 4);
  const torch = GROUPED_GEMM_PEERS.find((p) => p.name === 'torch')!;
  const rowwise = referenceOutput(problem, rowwiseScales(problem, w));
  assert.ok(torch.verify(problem, w, { c: rowwise }).ok);
  assert.ok(!torch.verify(problem, w, { c: referenceOutput(problem, w) }).ok, 'the block-scaled product is not what torch computes');
  const scales = rowwiseScales(problem, w).buffers.scaleA.data as Float32Array;
  const KB = kBlocks(problem);
  assert.equal(scales[5 * KB + 3], (w.buffers.scaleA.data as Float32Array)[5 * KB]);
});

test('dense-per-group baseline: one launch per group with rows, over that group\'s slices', () => {
  const problem = presets['dsv3-ep8-masked-g32-m64-n7168-k2048-uniform'];
  const source = densePerGroup(problem, H200_CAPS);
  const layout = groupLayout(problem);
  const withRows = layout.counts.filter((c) => c > 0).length;
  assert.equal(source.launches.length, withRows);
  const g = layout.counts.findIndex((c) => c > 0);
  const launch = source.launches[0];
  const offsets = Object.fromEntries(launch.params.flatMap((p) => ('buffer' in p ? [[p.buffer, p.offsetBytes]] : [])));
  assert.deepEqual(offsets, { a: layout.offsets[g] * 2048, b: g * 7168 * 2048, scaleA: 4 * layout.offsets[g] * 16, scaleB: 4 * g * 56 * 16, c: 2 * layout.offsets[g] * 7168 });
  assert.deepEqual(launch.params.find((p) => p.kind === 'tensor-map'), { kind: 'tensor-map', buffer: 'a', rows: layout.counts[g], cols: 2048, boxRows: denseConfig(groupedCandidates(problem, H200_CAPS)[0]).blockM, boxCols: 128, offsetBytes: layout.offsets[g] * 2048 });
  assert.match(source.code, /^\/\/ tilesweep fp8-gemm /);
});

test('the family registers the CUDA target and its peers by name', () => {
  assert.equal(groupedGemm.targets.cuda, groupedGemmCudaTarget);
  assert.deepEqual(groupedGemmCudaTarget.peers!.map((p) => p.name), ['deepgemm', 'torch', 'dense-per-group']);
});

test('torch\'s row-wise scales are derived once per workload, so its reference is computed once per problem', () => {
  const problem = groupedGemm.presets['tiny-contiguous'];
  const w = groupedGemm.targets.cuda!.workload!(problem, 2);
  assert.equal(rowwiseScales(problem, w), rowwiseScales(problem, w));
  assert.notEqual(rowwiseScales(problem, groupedGemm.targets.cuda!.workload!(problem, 2)), rowwiseScales(problem, w));
});
