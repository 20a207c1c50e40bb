// Energy per launch in the sustained state, from the runner's `energy` request: NVML's energy
// counter read around a span of back-to-back launches (after settling), and the SM clock, board
// power and power-cap flag sampled every 5 ms during it. On a power-capped GPU (an H200 under GEMM
// load sits at its 700 W cap) throughput follows from energy per launch, so this is the figure that
// says why one kernel outruns another there, and what a launch costs in joules.

/** What the runner answers (harness/cuda/runner/runner.cpp, measureEnergy). */
export interface EnergyReply {
  launches: number;
  gpuMs: number;
  joules: number;
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
  /** Counter energy over the span's time. */
  watts: number;
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
  return {
    launches: reply.launches,
    spanMs: reply.gpuMs,
    msPerLaunch: reply.gpuMs / reply.launches,
    joulesPerLaunch: reply.joules / reply.launches,
    watts: reply.joules / (reply.gpuMs / 1000),
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
