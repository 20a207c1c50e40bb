// Needs a CUDA GPU with sm_90a (H200/H100) and nvcc. The sm_90a FP8 GEMM verifies against the CPU
// reference for several configs (clusters, two accumulator sets with and without the overlapped
// store on CTAs that walk several tiles, staggered warpgroups, f32 and bf16 outputs through threads
// or TMA stores, edge tiles, the split tail's pieces and their fix-up, also with fewer tiles than
// SMs, A and B swapped for small M, FFMA yields edited into the cubin), and so do the portable SIMT
// kernel and cuBLASLt called by the runner; deliberately broken variants come back as `mismatch`; a
// kernel that hangs becomes a `timeout` and one that faults a `runtime-error`, and the configs after
// them still run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimeoutError, RuntimeError } from '../../../../harness/backend.ts';
import { openCuda } from '../../../../harness/cuda/backend.ts';
import type { CudaKernelSource } from '../../../../kernels/cuda-source.ts';
import { fp8GemmCudaTarget } from '../../../../kernels/fp8-gemm/cuda/index.ts';
import { fp8Gemm as fp8GemmCuda } from '../../../../kernels/fp8-gemm/index.ts';
import { gemmCublasLt } from '../../../../kernels/fp8-gemm/cuda/cublaslt.ts';
import { gemmCuda } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { fromFlat } from '../../../../kernels/fp8-gemm/cuda/parse.ts';
import { sweep as traced } from '../../sweep.ts';

// The configs below are written in the flat form of the results files (absent flags off) and read
// through fromFlat, the conversion that old results files take: each becomes the sum-type config.
type Flat = Record<string, unknown>;
const sweep = (options: Omit<Parameters<typeof traced>[0], 'configs'> & { configs: Flat[] }) => traced({ ...options, configs: options.configs.map(fromFlat) });

const base: Flat = { blockM: 128, blockN: 128, stages: 4, mathWarpgroups: 2, accBuffers: 1, overlapStore: false, stagger: false, raster: 'along-m', cluster: 1, clusterAlong: 'n', out: 'bf16' };
const timing = { warmupIterations: 1, timeMs: 5, minSamples: 3, maxSamples: 5 };

test('sm_90a FP8 GEMM: verified configs, broken variants caught, hangs and faults contained', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    // N=200 and M=300 leave partial edge tiles and a tile straddling two 128-column scale blocks.
    const problem = { M: 300, N: 200, K: 512 };
    const configs: Flat[] = [
      base,
      { ...base, out: 'f32' },
      { ...base, blockN: 112, accBuffers: 2 },
      { ...base, blockM: 64, blockN: 32, mathWarpgroups: 1, cluster: 2, clusterAlong: 'n' },
      { ...base, cluster: 2, clusterAlong: 'm', raster: 'along-n' },
      { ...base, stagger: true },
      { ...base, stagger: true, blockN: 64, cluster: 2, clusterAlong: 'n' },
      { ...base, accBuffers: 2, overlapStore: true },
      { ...base, blockN: 112, accBuffers: 2, overlapStore: true, raster: 'along-n' },
      { ...base, blockN: 176, stages: 4 },
      { ...base, epilogue: 'tma' },
      { ...base, epilogue: 'tma', out: 'f32', stages: 3 },
      // Three math warpgroups (192-row tiles), both epilogues.
      { ...base, blockM: 192, mathWarpgroups: 3, blockN: 128, stages: 4, epilogue: 'tma' },
      { ...base, blockM: 192, mathWarpgroups: 3, blockN: 96, stages: 5 },
      // The portable SIMT kernel, JIT-compiled here from its compute_80 PTX.
      { ...base, kernel: 'simt' },
      { ...base, kernel: 'simt', out: 'f32' },
    ];
    const rows = await sweep({ family: fp8GemmCuda, problem, backend, configs, timing });
    for (const row of rows) assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error}`);
    for (const row of rows) assert.ok(row.verified?.ok && (row.medianMs ?? 0) > 0);

    // Two accumulator sets on problems where persistent CTAs walk several tiles (the overlapped
    // store issues the next tile's first block), with K blocks even (2 and 6: the schedule's pair
    // loop runs zero and two times), odd (1 and 5: the plain tail) and edge tiles: the first problem
    // is checked whole, the larger ones by rows, columns and elements sampled across many tiles.
    const two = { ...base, accBuffers: 2, overlapStore: true };
    const narrow = { ...two, blockM: 64, blockN: 32, mathWarpgroups: 1, stages: 8 };
    const split: Flat = { ...base, splitTail: true, stages: 6, epilogue: 'tma' };
    const small: Flat = { ...base, blockM: 64, blockN: 64, mathWarpgroups: 1, accBuffers: 2, stages: 10, splitTail: true, epilogue: 'threads' };
    const swap: Flat = { ...base, blockM: 64, blockN: 16, mathWarpgroups: 1, accBuffers: 2, stages: 8, swapAB: true, epilogue: 'threads' };
    const walks: [{ M: number; N: number; K: number }, Flat[]][] = [
      [{ M: 648, N: 488, K: 256 }, [narrow, { ...narrow, overlapStore: false }, { ...narrow, accBuffers: 1, overlapStore: false }, two, { ...narrow, blockN: 64, epilogue: 'tma' }, { ...base, epilogue: 'tma' },
        { ...narrow, overlapStore: false, cluster: 2, clusterAlong: 'n' }]],
      [{ M: 2200, N: 2600, K: 768 }, [two, { ...two, blockN: 112, raster: 'along-n' }, { ...two, out: 'f32' }, base, { ...base, blockN: 192, stages: 4, raster: 'along-n' }, { ...base, blockN: 160, stages: 4 },
        { ...base, epilogue: 'tma', stages: 6 }, { ...base, blockN: 192, stages: 4, epilogue: 'tma' }, { ...two, epilogue: 'tma', out: 'f32', stages: 3 },
        // Pairs sharing B (two sets, one set at n=192), with the TMA epilogue.
        { ...two, overlapStore: false, cluster: 2, clusterAlong: 'm', epilogue: 'tma', stages: 6 }, { ...base, blockN: 192, stages: 4, cluster: 2, clusterAlong: 'm', epilogue: 'tma', raster: 'along-n' },
        { ...base, blockM: 192, mathWarpgroups: 3, blockN: 128, stages: 4, epilogue: 'tma', raster: 'along-n' }, { ...base, blockM: 192, mathWarpgroups: 3, blockN: 128, stages: 4, epilogue: 'tma', cluster: 2, clusterAlong: 'm' }]],
      [{ M: 2200, N: 2600, K: 640 }, [two, { ...two, overlapStore: false }]],
      // FFMA yields edited into the cubin (scheduling hints only: the results must not change).
      [{ M: 2200, N: 2600, K: 768 }, [{ ...base, ffmaYield: 2 }, { ...two, ffmaYield: 4, epilogue: 'tma' }, { ...base, blockN: 192, stages: 4, ffmaYield: 3, epilogue: 'tma' }, { ...base, ffmaYield: 1 }]],
      [{ M: 300, N: 200, K: 128 }, [two, narrow]],
      // The split tail (the H200's 132 CTAs): 378 tiles of 128x128 (2 waves + 114) and 252 of 128x192
      // (1 wave + 120); K=768 and 640 give runs of 5.2 and 4.5 K blocks, so leftover tiles come in two
      // and three pieces; at K=256 the runs are whole tiles (the split region without a split).
      [{ M: 2200, N: 2600, K: 768 }, [split, { ...split, raster: 'along-n' }, { ...split, epilogue: 'threads', stages: 5 }, { ...split, out: 'f32', stages: 3 }, { ...split, blockN: 192, stages: 4 }]],
      [{ M: 2200, N: 2600, K: 640 }, [split, { ...split, blockN: 192, stages: 3, raster: 'along-n' }, { ...split, blockN: 160, stages: 4, epilogue: 'threads' }]],
      [{ M: 2200, N: 2600, K: 256 }, [split]],
      // Fewer tiles than SMs: the split tail shares each tile's K blocks among several CTAs (16 tiles
      // of 64x64 at K=2048: 64 CTAs with runs of 4 blocks, up to four pieces per tile).
      [{ M: 64, N: 1000, K: 2048 }, [small, { ...small, accBuffers: 1, epilogue: 'tma' }, { ...small, blockN: 16 }]],
      // A and B swapped (C^T = B x A^T): 37 tokens (odd; C's rows are 700 wide, not whole 16-byte
      // chunks, so the scalar edge path), N=700 (a partial 128-row weight-scale block), token tiles
      // of 16 and 32, one or two math warpgroups, both schedules, a cluster sharing the weight tile,
      // the split tail, f32 output.
      [{ M: 37, N: 700, K: 640 }, [swap, { ...swap, out: 'f32' }, { ...swap, blockM: 128, mathWarpgroups: 2, blockN: 32, overlapStore: true },
        { ...swap, accBuffers: 1, stages: 5 }, { ...swap, blockN: 16, cluster: 2, clusterAlong: 'n' }, { ...swap, splitTail: true }, { ...swap, blockN: 32, raster: 'along-n' }]],
      [{ M: 128, N: 2600, K: 768 }, [{ ...swap, blockN: 64 }, { ...swap, blockM: 128, mathWarpgroups: 2, blockN: 64, splitTail: true }, { ...swap, blockN: 32, cluster: 4, clusterAlong: 'n' }]],
    ];
    for (const [walk, list] of walks) {
      const walked = await sweep({ family: fp8GemmCuda, problem: walk, backend, configs: list, timing });
      for (const row of walked) assert.equal(row.status, 'ok', `${JSON.stringify(walk)} ${JSON.stringify(row.config)}: ${row.error}`);
    }

    const faults = await sweep({
      family: fp8GemmCuda,
      problem,
      backend,
      configs: [
        { ...base, fault: 'skip-last-k-block' },
        { ...base, fault: 'wrong-b-scale' },
        { ...base, accBuffers: 2, overlapStore: true, fault: 'skip-last-k-block' },
        { ...base, accBuffers: 2, overlapStore: true, fault: 'wrong-b-scale' },
        { ...base, epilogue: 'tma', fault: 'skip-last-k-block' },
      ],
      timing,
    });
    assert.deepEqual(faults.map((r) => r.status), ['mismatch', 'mismatch', 'mismatch', 'mismatch', 'mismatch']);
    // Swapped (the space has it for small M only): the weight scales are then the rows' and the
    // activation scales the columns'; a dropped K block or a wrong column scale is still caught.
    const swappedFaults = await sweep({
      family: fp8GemmCuda,
      problem: { M: 37, N: 700, K: 640 },
      backend,
      configs: (['skip-last-k-block', 'wrong-b-scale'] as const).map((fault) => ({ ...swap, fault })),
      timing,
    });
    assert.deepEqual(swappedFaults.map((r) => r.status), ['mismatch', 'mismatch']);
    // An owner that stores without adding its contributors' partials.
    const dropped = await sweep({ family: fp8GemmCuda, problem: { M: 2200, N: 2600, K: 768 }, backend, configs: [{ ...split, fault: 'skip-partials' }], timing });
    assert.equal(dropped[0].status, 'mismatch');

    // cuBLASLt's block-scaled FP8 called by the runner (the interleaved peer of the H200 sweep): its
    // output verifies against the same CPU reference; the activation scales read as they are (K blocks
    // fastest, not the order cuBLASLt wants) give a mismatch, so a wrong layout would not go unseen.
    const ltProblem = { M: 384, N: 640, K: 1024 };
    const ltWorkload = fp8GemmCudaTarget.workload!(ltProblem, 3);
    const ltBuffers = await backend.upload(ltWorkload);
    const lt = gemmCublasLt(ltProblem);
    await backend.run(await backend.compile(lt), ltBuffers);
    const ltVerified = fp8GemmCudaTarget.verify(ltProblem, ltWorkload, { c: await backend.read(ltBuffers, 'c') }, fromFlat(base));
    assert.ok(ltVerified.ok, `cuBLASLt through the runner: ${JSON.stringify(ltVerified)}`);
    const asIs = { ...lt, launches: lt.launches.map((l) => ({ ...l, scaleAOrder: 'as-is' as const })) };
    await backend.run(await backend.compile(asIs), ltBuffers);
    assert.equal(fp8GemmCudaTarget.verify(ltProblem, ltWorkload, { c: await backend.read(ltBuffers, 'c') }, fromFlat(base)).ok, false);
    backend.release(ltBuffers);

    // A kernel that never ends and one that writes through a null pointer.
    const workload = fp8GemmCudaTarget.workload!(problem, 1);
    const buffers = await backend.upload(workload);
    const rogue = (body: string): CudaKernelSource => ({
      language: 'cuda',
      code: `// rogue\nextern "C" __global__ void rogue(volatile int* c) { ${body} }`,
      flags: ['-gencode=arch=compute_90a,code=sm_90a'],
      launches: [{ entryPoint: 'rogue', grid: [1, 1, 1], block: [32, 1, 1], bindings: [], params: [{ kind: 'pointer', buffer: 'c' }] }],
    });
    await assert.rejects(backend.run(await backend.compile(rogue('while (c[0] != 12345) {}')), buffers), TimeoutError);
    await assert.rejects(backend.run(await backend.compile(rogue('*(volatile int*)8 = c[0];')), buffers), RuntimeError);
    backend.release(buffers);

    const after = await sweep({ family: fp8GemmCuda, problem, backend, configs: [base], timing });
    assert.equal(after[0].status, 'ok', after[0].error);
  } finally {
    await backend.dispose();
  }
});

test('sub-tiles in turn (256-row tiles, one accumulator set) and waiting ahead verify, with a balanced grid, clusters and edges; broken ones are caught', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    const turn: Flat = { ...base, blockM: 256, subTilesInTurn: true, stages: 3, epilogue: 'tma' };
    // Edge tiles in both directions, 112 and 88 columns straddling scale blocks (compiled offsets, and
    // the per-group selection), A shared by a pair along N and B along M, f32 output.
    const edges = await sweep({
      family: fp8GemmCuda, problem: { M: 300, N: 200, K: 512 }, backend, timing,
      configs: [
        turn,
        { ...turn, cluster: 2, clusterAlong: 'n', balancedGrid: true },
        { ...turn, blockN: 112, epilogue: 'threads' },
        { ...turn, blockN: 88, stages: 4, epilogue: 'threads', cluster: 2, clusterAlong: 'n' },
        { ...turn, blockN: 64, stages: 4, cluster: 2, clusterAlong: 'm', raster: 'along-n' },
        { ...turn, blockN: 64, out: 'f32', epilogue: 'threads' },
        // The next block's scale loads and stage wait while the last sub-tile's WGMMAs run.
        { ...turn, waitAhead: true },
        { ...turn, blockN: 112, epilogue: 'threads', waitAhead: true, cluster: 2, clusterAlong: 'n' },
        // Waiting ahead with one set and all sub-tiles at once: 192 columns (two scale blocks), a pair.
        { ...base, blockN: 192, stages: 4, epilogue: 'tma', waitAhead: true },
        { ...base, cluster: 2, clusterAlong: 'm', waitAhead: true },
        // Scales staged in shared memory by the producer's scale warp (edge rows past M, 112 and 88
        // columns over two scale blocks, pairs both ways, f32 out), and the try ahead.
        { ...turn, smemScales: true },
        { ...turn, blockN: 112, epilogue: 'threads', smemScales: true, cluster: 2, clusterAlong: 'n' },
        { ...turn, blockN: 88, stages: 4, epilogue: 'threads', smemScales: true },
        { ...turn, blockN: 64, stages: 4, cluster: 2, clusterAlong: 'm', raster: 'along-n', smemScales: true },
        { ...turn, blockN: 64, out: 'f32', epilogue: 'threads', smemScales: true },
        // Stored one sub-tile at a time (edge tiles cut by the TMA store), four stages, f32 out, a pair.
        { ...turn, storeBySubTile: true, stages: 4, turnUnroll: 2 }, { ...turn, blockN: 64, storeBySubTile: true, out: 'f32', cluster: 2, clusterAlong: 'n' },
        // Scales loaded by the TMA thread (rows past M zero-filled, 112 and 88 columns over two scale
        // blocks, the second past N's last block, pairs both ways, f32 out).
        { ...turn, smemScales: true, tmaScales: true }, { ...turn, blockN: 112, epilogue: 'threads', smemScales: true, tmaScales: true, cluster: 2, clusterAlong: 'n' },
        { ...turn, blockN: 88, stages: 4, epilogue: 'threads', smemScales: true, tmaScales: true, turnUnroll: 2 },
        { ...turn, blockN: 64, stages: 4, cluster: 2, clusterAlong: 'm', raster: 'along-n', smemScales: true, tmaScales: true },
        { ...turn, blockN: 64, out: 'f32', epilogue: 'threads', smemScales: true, tmaScales: true },
        // Staged scales with one set and all sub-tiles at once: by TMA at 192 columns (two scale
        // blocks) waiting ahead, in a pair along M; by the scale warp at 128 with the threads epilogue.
        { ...base, blockN: 192, epilogue: 'tma', waitAhead: true, smemScales: true, tmaScales: true },
        { ...base, cluster: 2, clusterAlong: 'm', smemScales: true, tmaScales: true }, { ...base, smemScales: true },
      ],
    });
    for (const row of edges) assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error} ${JSON.stringify(row.verified)}`);
    // 288 tiles: with a pair along N, 144 cluster tiles over 48 balanced clusters (three each), or 66 walking unevenly.
    const walk = await sweep({
      family: fp8GemmCuda, problem: { M: 4096, N: 2304, K: 768 }, backend, timing,
      configs: [
        { ...turn, cluster: 2, clusterAlong: 'n', balancedGrid: true }, { ...turn, cluster: 2, clusterAlong: 'n', raster: 'along-n' }, { ...base, balancedGrid: true },
        { ...turn, balancedGrid: true, waitAhead: true },
        // One set waiting ahead, with the next tile's first block issued before the store.
        { ...base, waitAhead: true, raster: 'along-n' },
        // Raster groups of 16 tiles (DeepGEMM's) and of 3 (groups that do not divide the tiles), both directions.
        { ...turn, balancedGrid: true, rasterGroup: 16 }, { ...turn, cluster: 2, clusterAlong: 'n', rasterGroup: 3, raster: 'along-n' },
        { ...base, rasterGroup: 3 },
        // Staged scales over a multi-tile walk: the scale warp's stage ring runs across tiles.
        { ...turn, balancedGrid: true, smemScales: true },
        { ...turn, cluster: 2, clusterAlong: 'n', balancedGrid: true, smemScales: true },
        // Stored by sub-tile over a multi-tile walk (the staging reused once the store has read it).
        { ...turn, balancedGrid: true, storeBySubTile: true, stages: 4 }, { ...turn, cluster: 2, clusterAlong: 'n', balancedGrid: true, storeBySubTile: true, stages: 4, turnUnroll: 2 },
        // Scales by TMA over a multi-tile walk, alone and in a pair.
        { ...turn, balancedGrid: true, smemScales: true, tmaScales: true, turnUnroll: 2 }, { ...turn, cluster: 2, clusterAlong: 'n', balancedGrid: true, smemScales: true, tmaScales: true },
        { ...base, blockN: 192, epilogue: 'tma', balancedGrid: true, waitAhead: true, smemScales: true, tmaScales: true },
      ],
    });
    for (const row of walk) assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error} ${JSON.stringify(row.verified)}`);
    // Three K blocks (fewer than one trip of the in-turn loop: only its leftover blocks run) and seven (a trip and three).
    for (const K of [384, 896]) {
      const tail = await sweep({
        family: fp8GemmCuda, problem: { M: 300, N: 200, K }, backend, timing,
        configs: [turn, { ...turn, smemScales: true }, { ...turn, waitAhead: true }, { ...turn, smemScales: true, cluster: 2, clusterAlong: 'n' }, { ...turn, turnUnroll: 2 }, { ...turn, smemScales: true, tmaScales: true }],
      });
      for (const row of tail) assert.equal(row.status, 'ok', `K=${K} ${JSON.stringify(row.config)}: ${row.error} ${JSON.stringify(row.verified)}`);
    }
    // Scales by TMA where the runner's copies pad rows: M and the K blocks not multiples of 4.
    const padded = await sweep({
      family: fp8GemmCuda, problem: { M: 302, N: 200, K: 640 }, backend, timing,
      configs: [{ ...turn, smemScales: true, tmaScales: true }, { ...turn, blockN: 112, epilogue: 'threads', smemScales: true, tmaScales: true, turnUnroll: 2 }],
    });
    for (const row of padded) assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error} ${JSON.stringify(row.verified)}`);
    const broken = await sweep({
      family: fp8GemmCuda, problem: { M: 300, N: 200, K: 512 }, backend, timing,
      configs: (['skip-last-k-block', 'wrong-b-scale'] as const).flatMap((fault) => [
        { ...turn, fault }, { ...turn, waitAhead: true, fault }, { ...base, waitAhead: true, fault }, { ...turn, smemScales: true, fault },
        { ...turn, smemScales: true, tmaScales: true, fault }, { ...base, blockN: 192, epilogue: 'tma', waitAhead: true, smemScales: true, tmaScales: true, fault },
      ]),
    });
    for (const row of broken) assert.equal(row.status, 'mismatch', JSON.stringify(row.config));
  } finally {
    await backend.dispose();
  }
});

test('energy per launch: NVML\'s counter advances over the span, at a plausible power, clock and per-launch time', { timeout: 300_000 }, async () => {
  const backend = await openCuda();
  try {
    const problem = { M: 2048, N: 2048, K: 4096 };
    const buffers = await backend.upload(fp8GemmCudaTarget.workload!(problem, 1));
    const ours = await backend.compile(gemmCuda(problem, fromFlat(base), backend.caps));
    const lt = await backend.compile(gemmCublasLt(problem));
    for (const compiled of [ours, lt]) {
      const short = await backend.energy(compiled, buffers, { spanMs: 300, settleMs: 100 });
      const long = await backend.energy(compiled, buffers, { spanMs: 900, settleMs: 100 });
      for (const e of [short, long]) {
        assert.ok(e.launches > 10 && e.spanMs > 100, JSON.stringify(e));
        assert.ok(e.watts > 30 && e.watts < 2000, `board power ${e.watts} W`);
        assert.ok(e.smMHz > 200 && e.smMHzMin <= e.smMHz && e.smMHz <= e.smMHzMax, JSON.stringify(e));
        // Clock and power every 5 ms of the span, NVML's own call times permitting.
        assert.ok(e.samples >= 5, `${e.samples} NVML samples`);
      }
      // NVML's counter steps tens of milliseconds apart: 900 ms hold several, and the power comes from them.
      assert.equal(long.method, 'counter-steps', JSON.stringify(long));
      // Three times the launches, about three times the energy: the same joules per launch within 25%.
      assert.ok(long.launches > 2 * short.launches);
      assert.ok(Math.abs(long.joulesPerLaunch / short.joulesPerLaunch - 1) < 0.25, `${short.joulesPerLaunch} J against ${long.joulesPerLaunch} J per launch`);
    }
    backend.release(buffers);
  } finally {
    await backend.dispose();
  }
});
