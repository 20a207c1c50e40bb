// Analytic time of the GEMV kernel (fp8-gemm/cuda/gemv.ts), in SM cycles, with the sm_90 figures of
// cuda.ts: bound by the HBM moving the weights (plus the split partials, written and read once) after
// the first loads' latency, or by latency when the loads in flight are too few for Little's law: each
// warp's trip waits one load latency, the trips of a CTA follow each other, and CTAs beyond one wave
// of resident CTAs wait for a slot. A second combine launch adds its launch gap and one more latency;
// the last CTA's combine one latency.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CostEstimate } from '../../types.ts';
import { columnBlocks, gemvRows, residentCtas, type GemvGemmConfig } from '../cuda/gemv.ts';
import type { GemmProblem } from '../problem.ts';
import { SM90 } from './sm90.ts';

/** Cycles between two kernels of one stream (~2 us at ~1.8 GHz, the launch gap back to back). */
const LAUNCH_GAP_CYCLES = 3600;

export function estimateGemv(problem: GemmProblem, config: GemvGemmConfig, caps: Capabilities): CostEstimate {
  const sms = caps.cuda?.smCount;
  const resident = residentCtas(config, caps);
  if (!sms || resident < 1) return { time: Infinity, bound: 'issue', terms: {} };
  const d = SM90;
  const { M, N, K } = problem;
  const kBlocks = Math.ceil(K / d.blockK);
  const ctas = columnBlocks(problem, config) * config.splits;
  const waves = Math.ceil(ctas / (sms * resident));
  // Trips of the busiest warp: its split's K blocks dealt to the warps, unroll at a time.
  const trips = Math.ceil(Math.ceil(kBlocks / config.splits) / (config.warps * config.unroll));
  const latency = waves * trips * d.loadLatencyCycles;
  const weights = gemvRows(config) * columnBlocks(problem, config) * K;
  const partials = config.splits > 1 ? 8 * config.splits * M * N : 0;
  const memory = (weights + M * K + partials + M * N * d.outBytes) / d.hbmBytesPerCycle;
  const combine = config.splits === 1 ? 0 : config.combine === 'launch' ? LAUNCH_GAP_CYCLES + d.loadLatencyCycles : d.loadLatencyCycles;
  // Streaming starts once the first loads are back: one latency before the HBM's rate applies.
  const time = Math.max(memory + d.loadLatencyCycles, latency) + combine;
  return { time, bound: memory >= latency ? 'memory' : 'latency', terms: { ctas, waves, trips, kBlocks, latency, memory, combine } };
}
