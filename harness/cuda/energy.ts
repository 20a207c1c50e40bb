// Energy per launch in the sustained state, from the runner's `energy` request: NVML's energy
// counter read around a span of back-to-back launches (after settling), and the SM clock, board
// power and power-cap flag sampled every 5 ms during it. On a power-capped GPU (an H200 under GEMM
// load sits at its 700 W cap) throughput follows from energy per launch, so this is the figure that
// says why one kernel outruns another there, and what a launch costs in joules.

/** What the runner answers (harness/cuda/runner/runner.cpp, measureEnergy). */
export interface EnergyReply {
  launches: number;
  gpuMs: number;
  /** The counter's advance from before the span to after it (its steps make this coarse). */
  joules: number;
  /** Counter steps that landed during the span, host milliseconds and joules from the first to the last. */
  steps?: number;
  stepMs?: number;
  stepJoules?: number;
  samples: number;
  smMHz: number;
  smMHzMin: number;
  smMHzMax: number;
  boardWatts: number;
  powerCappedShare: number;
}

export interface EnergyMeasurement {
  /** Launches in the measured span, and the span's GPU time (CUDA events). */
  launches: number;
  spanMs: number;
  /** Back-to-back time per launch (no L2 flush between launches). */
  msPerLaunch: number;
  joulesPerLaunch: number;
  /**
   * Average power over the span: between the first and the last step of NVML's energy counter inside
   * it ('counter-steps'), or, with fewer than two steps or steps covering less than half the span,
   * the counter's whole advance over the span's time ('counter-span', as coarse as one step).
   */
  watts: number;
  method: 'counter-steps' | 'counter-span';
  /** SM clock cycles per launch (time per launch at the mean sampled clock): the work's size in cycles. */
  cyclesPerLaunch: number;
  /** NVML samples during the span: mean SM clock (and its range), mean board power, share of samples held by the power cap. */
  smMHz: number;
  smMHzMin: number;
  smMHzMax: number;
  boardWatts: number;
  powerCappedShare: number;
  samples: number;
}

export interface EnergyBudget {
  /** Milliseconds of measured back-to-back launches; the counter's granularity calls for hundreds. */
  spanMs: number;
  /** Milliseconds of untimed launches first, so that the span starts in the sustained state. */
  settleMs: number;
}

export function energyMeasurement(reply: EnergyReply): EnergyMeasurement {
  if (!(reply.launches > 0) || !(reply.gpuMs > 0)) throw new Error(`energy: the runner measured ${reply.launches} launches over ${reply.gpuMs} ms`);
  if (!(reply.joules > 0)) throw new Error(`energy: NVML's counter did not advance over ${reply.gpuMs.toFixed(1)} ms (${reply.joules} J)`);
  const msPerLaunch = reply.gpuMs / reply.launches;
  const stepped = (reply.steps ?? 0) >= 2 && (reply.stepMs ?? 0) >= reply.gpuMs / 2 && (reply.stepJoules ?? 0) > 0;
  const watts = stepped ? reply.stepJoules! / (reply.stepMs! / 1000) : reply.joules / (reply.gpuMs / 1000);
  return {
    launches: reply.launches,
    spanMs: reply.gpuMs,
    msPerLaunch,
    joulesPerLaunch: (watts * msPerLaunch) / 1000,
    watts,
    method: stepped ? 'counter-steps' : 'counter-span',
    cyclesPerLaunch: msPerLaunch * reply.smMHz * 1000,
    smMHz: reply.smMHz,
    smMHzMin: reply.smMHzMin,
    smMHzMax: reply.smMHzMax,
    boardWatts: reply.boardWatts,
    powerCappedShare: reply.powerCappedShare,
    samples: reply.samples,
  };
}

/** How many launches fill `ms` at `msPerLaunch` (at least one). */
export function launchesFor(ms: number, msPerLaunch: number): number {
  return Math.max(1, Math.ceil(ms / Math.max(msPerLaunch, 1e-3)));
}
