// The H200 benchmark of the CUDA fp8-gemm: for each DeepSeek-V3 shape, every candidate config is
// compiled (in parallel, content-keyed), verified against the CPU reference and timed through the
// runner (CUDA events, L2 flushed); deliberately broken variants must come back as `mismatch`; the
// peer rows measured by peers.py earlier in the same device call are merged in, and the speed
// ratios against cuBLASLt's block-scaled FP8 are computed from figures of this run only.
//
// node sweep.mjs --out FILE [--peers FILE] [--shapes M,N,K;...] [--m 64,128,4096] [--faults] [--time-ms N]
//                [--configs '[{...partial config...}]' | --configs @FILE]  (instead of the candidate list)
//                [--interleave R]  (then R alternating rounds of each shape's best and cuBLASLt through the runner)
//                [--settle-ms N]  (N ms of back-to-back launches before each config's samples: ranks in the capped state)
//                [--energy-ms N]  (energy per launch over N ms of back-to-back launches, NVML's counter: after the
//                                  interleaved rounds, as many alternating energy rounds; with --energy-each also
//                                  once for every verified config, kept in its row as `energy`)
import { readFileSync } from 'node:fs';
import { resultsFile, writeResults } from '../../core/results-file.ts';
import type { ResultRow } from '../../core/results.ts';
import { openCuda } from '../../harness/cuda/open.ts';
import { DEFAULT_BUDGET } from '../../harness/measure.ts';
import { DEEPSEEK_V3_M, DEEPSEEK_V3_NK } from '../../kernels/fp8-gemm/presets.ts';
import type { GemmProblem } from '../../kernels/fp8-gemm/problem.ts';
import { candidateConfigs } from '../../kernels/fp8-gemm/cuda/candidates.ts';
import { describeCudaGemmConfig } from '../../kernels/fp8-gemm/cuda/describe.ts';
import { fp8GemmCudaTarget } from '../../kernels/fp8-gemm/cuda/index.ts';
import { fp8Gemm as fp8GemmCuda } from '../../kernels/fp8-gemm/index.ts';
import type { CudaGemmConfig } from '../../kernels/fp8-gemm/cuda/space.ts';
import { parseCudaGemmConfig } from '../../kernels/fp8-gemm/cuda/parse.ts';
import { gemmCuda } from '../../kernels/fp8-gemm/cuda/template.ts';
import { rankRows, runSweep } from '../../tuner/sweep.ts';
import { version } from '../../bin/version.ts';
import { compareWithPeers, fastestPeerMs, type Comparison } from './compare.ts';
import { interleave } from './interleave.ts';
import type { EnergyBudget, EnergyMeasurement } from '../../harness/cuda/energy.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function problems(): GemmProblem[] {
  const explicit = flag('shapes');
  if (explicit) return explicit.split(';').map((s) => { const [M, N, K] = s.split(',').map(Number); return { M, N, K }; });
  const ms = (flag('m') ?? DEEPSEEK_V3_M.join(',')).split(',').map(Number);
  return ms.flatMap((M) => DEEPSEEK_V3_NK.map(([N, K]) => ({ M, N, K })));
}

const out = flag('out') ?? 'fp8-gemm-cuda.json';
const settleMs = Number(flag('settle-ms') ?? 0);
const timing = { ...DEFAULT_BUDGET, timeMs: Number(flag('time-ms') ?? DEFAULT_BUDGET.timeMs), ...(settleMs > 0 ? { settleMs } : {}) };
const rounds = Number(flag('interleave') ?? 0);
if (!Number.isInteger(rounds) || rounds < 0) {
  console.error(`sweep: --interleave must be a whole number of rounds, not ${flag('interleave')}`);
  process.exit(2);
}
if (!Number.isInteger(settleMs) || settleMs < 0) {
  console.error(`sweep: --settle-ms must be a whole number of milliseconds, not ${flag('settle-ms')}`);
  process.exit(2);
}
const energyMs = Number(flag('energy-ms') ?? 0);
if (!Number.isInteger(energyMs) || energyMs < 0) {
  console.error(`sweep: --energy-ms must be a whole number of milliseconds, not ${flag('energy-ms')}`);
  process.exit(2);
}
// Each span starts after the sweep's settling (200 ms without --settle-ms): the sustained state.
const energy: EnergyBudget | undefined = energyMs > 0 ? { spanMs: energyMs, settleMs: settleMs || 200 } : undefined;
const energyEach = process.argv.includes('--energy-each');
if (energyEach && !energy) {
  console.error('sweep: --energy-each needs --energy-ms N');
  process.exit(2);
}
// Flags are checked before the device is opened.
const backend = await openCuda();
const caps = backend.caps;
console.log(`device: ${backend.device.name}, ${caps.cuda?.smCount} SMs, cc ${caps.cuda?.computeCapability}, ${backend.device.driver}`);

const shapes = problems();
const configsFlag = flag('configs');
const configsText = configsFlag?.startsWith('@') ? readFileSync(configsFlag.slice(1), 'utf8') : configsFlag;
const only = configsText ? (JSON.parse(configsText) as Record<string, unknown>[]) : undefined;
const defaults = { blockM: 128, blockN: 128, stages: 5, mathWarpgroups: 2, accBuffers: 1, overlapStore: false, stagger: false, raster: 'along-m', cluster: 1, clusterAlong: 'n', out: 'bf16' } as const;
const plan = shapes.map((problem) => ({
  problem,
  // Whole configs in today's form, or (the run-named config files) partial ones in the flat form over its defaults.
  configs: only ? only.map((c): CudaGemmConfig => parseCudaGemmConfig('loop' in c || c.kernel === 'simt' ? c : { ...defaults, ...c })) : candidateConfigs(problem, caps),
}));
const faults: CudaGemmConfig[] = process.argv.includes('--faults')
  ? (['skip-last-k-block', 'wrong-b-scale'] as const).map((fault) => ({ ...plan[0].configs[plan[0].configs.length - 1], fault }))
  : [];

// Compile everything first, all cores at once; the sweep then finds each cubin in the cache.
let started = Date.now();
const sources = plan.flatMap(({ problem, configs }) => [...configs, ...faults].map((c) => gemmCuda(problem, c, caps)));
const compiled = await backend.prepare(sources);
const failed = compiled.filter((c) => !c.ok);
const spills = compiled.filter((c) => c.ok && (c.report.spillStoreBytes > 0 || c.report.spillLoadBytes > 0));
console.log(`compiled ${compiled.length} sources (${new Set(compiled.map((c) => c.key)).size} distinct) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${failed.length} failed, ${spills.length} with spills`);
for (const f of failed) if (!f.ok) console.log(`  compile error: ${f.error}`);

// --diagnose: time the given configs without verification (timing-only variants that leave out
// part of the work, to place the time); nothing is written.
if (process.argv.includes('--diagnose')) {
  for (const { problem, configs } of plan) {
    const workload = fp8GemmCudaTarget.workload!(problem, 1);
    const buffers = await backend.upload(workload);
    for (const config of configs) {
      const compiled = await backend.compile(gemmCuda(problem, config, caps));
      const t = await backend.time(compiled, buffers, timing);
      console.log(`diagnose M=${problem.M} N=${problem.N} K=${problem.K} ${JSON.stringify(config)}: ${t.medianMs.toFixed(4)} ms, ${((2 * problem.M * problem.N * problem.K) / t.medianMs / 1e9).toFixed(0)} TFLOP/s`);
    }
    backend.release(buffers);
  }
  await backend.dispose();
  process.exit(0);
}

const peers: ResultRow[] = flag('peers') ? (JSON.parse(readFileSync(flag('peers')!, 'utf8')) as { runs: ResultRow[] }).runs : [];
const rows: ResultRow[] = [];
const comparisons: Comparison[] = [];
const save = (): void => {
  const summary = compareWithPeers(comparisons);
  writeResults(out, resultsFile(backend.device, [...rows, ...peers], version, { summary, comparisons, timing }));
};

function describeEnergy(e: EnergyMeasurement): string {
  return `${(e.joulesPerLaunch * 1000).toFixed(1)} mJ ${e.msPerLaunch.toFixed(4)} ms ${e.watts.toFixed(0)} W${e.method === 'counter-span' ? ' (coarse)' : ''} ${e.smMHz.toFixed(0)} MHz ${(e.cyclesPerLaunch / 1000).toFixed(0)} kcycles`;
}

/** Energy per launch of every verified row of the shape (--energy-each), in the row as `energy`. */
async function measureEnergy(problem: GemmProblem, measured: ResultRow[], budget: EnergyBudget): Promise<void> {
  const workload = fp8GemmCudaTarget.workload!(problem, 1);
  const buffers = await backend.upload(workload);
  try {
    for (const row of measured.filter((r) => r.status === 'ok' && !r.config.fault)) {
      try {
        const e = await backend.energy(await backend.compile(gemmCuda(problem, parseCudaGemmConfig(row.config), caps)), buffers, budget);
        row.energy = e;
        console.log(`  energy ${describeEnergy(e)}: ${JSON.stringify(row.config)}`);
      } catch (error) {
        row.energyError = (error as Error).message.split('\n')[0];
        console.log(`  energy not measured (${row.energyError}): ${JSON.stringify(row.config)}`);
      }
    }
  } finally {
    backend.release(buffers);
  }
}

for (const [index, { problem, configs }] of plan.entries()) {
  started = Date.now();
  const extra = index === 0 ? faults : [];
  const measured = await runSweep({ family: fp8GemmCuda, problem, backend, configs: [...configs, ...extra], timing, role: 'candidate' });
  rows.push(...measured);
  if (energyEach && energy) await measureEnergy(problem, measured, energy);
  const best = rankRows(measured.filter((r) => !r.config.fault))[0];
  // cuBLASLt through the runner, alternating with our best: its row joins the peers (the bar is
  // judged against the fastest of all cuBLASLt measurements) and the paired rounds are kept.
  const paired = rounds > 0 && best ? await interleave(backend, problem, parseCudaGemmConfig(best.config), rounds, timing, energy) : undefined;
  if (paired) {
    peers.push(paired.row);
    if (paired.row.status !== 'ok') console.log(`  cuBLASLt through the runner: ${paired.row.status} ${paired.row.error ?? ''}`);
  }
  const ltMs = fastestPeerMs(peers, problem, 'cuBLASLt');
  const bf16Ms = fastestPeerMs(peers, problem, 'cuBLAS');
  comparisons.push({ problem, bestMs: best?.medianMs, bestConfig: best?.config, cublasLtMs: ltMs, cublasBf16Ms: bf16Ms, ...(paired?.interleaved ? { interleaved: paired.interleaved } : {}) });
  if (paired?.interleaved) {
    const { oursMs, cublasLtMs } = paired.interleaved;
    const tfl = (ms: number): string => ((2 * problem.M * problem.N * problem.K) / ms / 1e9).toFixed(0);
    console.log(`  interleaved, ${rounds} rounds: ours ${oursMs.map(tfl).join(' ')} TFLOP/s; cuBLASLt ${cublasLtMs.map(tfl).join(' ')}`);
    const e = paired.interleaved.energy;
    if (e) console.log(`  energy per launch: ours ${e.ours.map(describeEnergy).join('; ')} | cuBLASLt ${e.cublasLt.map(describeEnergy).join('; ')}`);
    if (paired.interleaved.energyError) console.log(`  energy not measured: ${paired.interleaved.energyError}`);
  }
  const statuses = measured.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  const tf = (ms?: number): string => (ms ? `${((2 * problem.M * problem.N * problem.K) / ms / 1e9).toFixed(0)}` : '-');
  console.log(
    `M=${problem.M} N=${problem.N} K=${problem.K}: ${JSON.stringify(statuses)} best ${tf(best?.medianMs)} TFLOP/s ` +
      `(${best ? describeCudaGemmConfig(parseCudaGemmConfig(best.config)) : 'none'}), ` +
      `cuBLASLt ${tf(ltMs)}, cuBLAS bf16 ${tf(bf16Ms)}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const r of measured.filter((r) => r.status !== 'ok')) console.log(`  ${r.status}${r.config.fault ? ` (fault ${r.config.fault})` : ''}: ${JSON.stringify(r.config)} ${r.error ?? ''}`.slice(0, 400));
  save();
}
const summary = compareWithPeers(comparisons);
console.log(JSON.stringify(summary));
await backend.dispose();
