// Our config and the peers measured in one call, side by side (bench --peers): each is verified
// against the same CPU reference first; then, with R rounds, they are timed in alternating order
// (after one discarded, settling measurement each), so that a drift of the machine between two
// measurements (clocks under a power cap, a neighbour) moves every side alike. A peer that cannot
// run here is a row with status `unavailable` and the reason; nothing here ends the call.
import type { ResultRow } from '../core/results.ts';
import { withRates } from '../core/results.ts';
import type { Backend, Compiled, DeviceBuffers, TimingBudget } from '../harness/backend.ts';
import type { EnergyBudget, EnergyMeasurement } from '../harness/cuda/energy.ts';
import { summarize, type Measurement } from '../harness/measure.ts';
import { relativeMarginOfError } from '../harness/cuda/backend.ts';
import { ExternalPeer, PeerFailure } from '../harness/peers/external.ts';
import { withoutMachinePaths } from '../core/machine-paths.ts';
import { rowElementTypes } from '../kernels/element-types.ts';
import type { AnyKernelFamily, AnyTarget, Outputs, Peer, Workload } from '../kernels/types.ts';

/** One side ready to be timed again and again: its row so far and how to measure it once more. */
export interface Side {
  row: ResultRow;
  time(): Promise<Measurement>;
  energy?(budget: EnergyBudget): Promise<EnergyMeasurement>;
  dispose(): Promise<void>;
}

export interface SideBySideOptions {
  family: AnyKernelFamily;
  target: AnyTarget;
  problem: object;
  backend: Backend;
  timing: TimingBudget;
  dataSeed?: number;
}

const firstLine = (error: unknown): string => withoutMachinePaths((error instanceof Error ? error.message : String(error)).split('\n')[0]);

/** Our inputs, built once per problem and shared by every side that reads the same ones (and so one CPU reference). */
const sharedInputs = new WeakMap<SideBySideOptions, Workload>();
function ourWorkload(options: SideBySideOptions): Workload {
  let workload = sharedInputs.get(options);
  if (!workload) {
    workload = (options.target.workload ?? options.family.workload)(options.problem, options.dataSeed ?? 1);
    sharedInputs.set(options, workload);
  }
  return workload;
}

async function readOutputs(backend: Backend, buffers: DeviceBuffers, workload: Workload): Promise<Outputs> {
  const names = Object.entries(workload.buffers).filter(([, spec]) => spec.role === 'output').map(([name]) => name);
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await backend.read(buffers, name)] as const)));
}

/** A source the backend compiles and runs (our config, or a peer's library launch), verified, then a Side. */
async function launchSide(backend: Backend, row: ResultRow, compile: () => Promise<Compiled>, workload: Workload, verify: (outputs: Outputs) => ResultRow['verified'], timing: TimingBudget): Promise<Side | ResultRow> {
  let buffers: DeviceBuffers | undefined;
  try {
    const compiled = await compile();
    buffers = await backend.upload(workload);
    await backend.run(compiled, buffers);
    const verified = verify(await readOutputs(backend, buffers, workload))!;
    if (!verified.ok) {
      backend.release(buffers);
      return { ...row, status: 'mismatch', verified, error: 'output differs from the CPU reference' };
    }
    const held = buffers;
    return {
      row: { ...row, verified },
      time: async () => backend.time(compiled, held, timing),
      ...(backend.energy ? { energy: (budget: EnergyBudget) => backend.energy!(compiled, held, budget) } : {}),
      dispose: async () => backend.release(held),
    };
  } catch (error) {
    if (buffers) backend.release(buffers);
    // A library that is missing, or that has no algorithm for this problem (cuBLASLt's block-scaled FP8
    // at some M, or a K it takes only in whole 128-wide blocks), cannot be measured here: not a failure.
    const unavailable = /no CUDA|without cublasLt|libcublasLt not found|has no algorithm for/.test(firstLine(error));
    return { ...row, status: row.role === 'peer' && unavailable ? 'unavailable' : 'runtime-error', error: firstLine(error) };
  }
}

/** Our config as a Side (or its failed row). */
export function ourSide(options: SideBySideOptions, config: object): Promise<Side | ResultRow> {
  const { family, target, problem, backend, timing } = options;
  const workload = ourWorkload(options);
  const row: ResultRow = { kernel: family.name, problem: problem as ResultRow['problem'], config: config as ResultRow['config'], role: 'candidate', status: 'ok', flops: family.flops(problem), bytes: family.bytes(problem, rowElementTypes(config as ResultRow['config'])) };
  return launchSide(backend, row, () => backend.compile(target.source(problem, config, backend.caps)), workload, (outputs) => target.verify(problem, workload, outputs, config), timing);
}

/** A peer as a Side (or its row saying why not). */
export async function peerSide(options: SideBySideOptions, peer: Peer<object>): Promise<Side | ResultRow> {
  const { family, target, problem, backend, timing } = options;
  const seed = options.dataSeed ?? 1;
  const row: ResultRow = {
    kernel: family.name, problem: problem as ResultRow['problem'], config: { ...peer.config }, role: 'peer', status: 'ok',
    flops: peer.flops ? peer.flops(problem) : family.flops(problem), bytes: peer.bytes ? peer.bytes(problem) : family.bytes(problem, rowElementTypes(peer.config)), peer: peer.name,
  };
  const via = peer.via;
  if (via.kind === 'launch') {
    if (backend.language !== 'cuda') return { ...row, status: 'unavailable', error: `${peer.name} runs through the CUDA runner; this call runs ${backend.name}` };
    const workload = via.workload ? via.workload(problem, seed) : ourWorkload(options);
    return launchSide(backend, row, () => backend.compile(via.source(problem, backend.caps)), workload, (outputs) => peer.verify(problem, workload, outputs), timing);
  }
  const external = new ExternalPeer(peer.name, via.command);
  try {
    const hello = await external.hello();
    const workload = ourWorkload(options);
    const first = await external.measure(family.name, problem, workload, via.outputs, timing);
    const verified = peer.verify(problem, workload, first.outputs);
    const described = { ...row, config: { ...row.config, ...(hello.version ? { version: String(hello.version) } : {}) }, peerInfo: hello };
    if (!verified.ok) {
      await external.close();
      return { ...described, status: 'mismatch', verified, error: 'output differs from the CPU reference' };
    }
    return {
      row: { ...described, verified },
      time: async () => external.measure(family.name, problem, workload, via.outputs, timing),
      dispose: () => external.close(),
    };
  } catch (error) {
    await external.close();
    const status = error instanceof PeerFailure ? error.status : 'runtime-error';
    return { ...row, status, error: firstLine(error) };
  }
}

const median = (xs: readonly number[]): number => summarize(xs, 0).medianMs;

export interface RoundsOptions {
  /** Alternating rounds; 0: each side measured once. */
  rounds: number;
  energy?: EnergyBudget;
}

/**
 * Times every side: once each, or in `rounds` alternating rounds (the order rotates every round)
 * after one discarded measurement each. Returns each side's finished row; a side that fails during
 * the rounds keeps the rounds it finished and says why.
 */
export async function measureSideBySide(sides: readonly Side[], { rounds, energy }: RoundsOptions): Promise<ResultRow[]> {
  const taken = sides.map(() => ({ medians: [] as number[], samples: [] as number[], timer: undefined as ResultRow['timer'], error: undefined as string | undefined, joules: [] as EnergyMeasurement[], energyError: undefined as string | undefined }));
  const once = async (i: number): Promise<void> => {
    if (taken[i].error) return;
    try {
      const m = await sides[i].time();
      taken[i].medians.push(m.medianMs);
      taken[i].samples.push(...m.samplesMs);
      taken[i].timer = ('timer' in m ? (m as { timer: ResultRow['timer'] }).timer : undefined) ?? 'cuda-event';
    } catch (error) {
      taken[i].error = firstLine(error);
    }
  };
  if (rounds > 0) {
    // One discarded measurement each: every counted round is taken in the settled state.
    for (let i = 0; i < sides.length; i++) {
      await once(i);
      taken[i].medians.length = 0;
      taken[i].samples.length = 0;
    }
  }
  const count = Math.max(1, rounds);
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < sides.length; k++) await once((k + r) % sides.length);
  }
  if (energy) {
    for (let r = 0; r < count; r++) {
      for (let k = 0; k < sides.length; k++) {
        const i = (k + r) % sides.length;
        const side = sides[i];
        if (!side.energy || taken[i].energyError) continue;
        try {
          taken[i].joules.push(await side.energy(energy));
        } catch (error) {
          taken[i].energyError = firstLine(error);
        }
      }
    }
  }
  return sides.map((side, i) => {
    const t = taken[i];
    if (t.samples.length === 0) return { ...side.row, status: 'runtime-error', error: t.error ?? 'not measured' };
    const stats = summarize(t.samples, relativeMarginOfError(t.samples));
    const row: ResultRow = withRates({
      ...side.row,
      ...stats,
      ...(rounds > 0 ? { medianMs: median(t.medians), rounds: t.medians } : {}),
      timer: t.timer,
      ...(t.error ? { roundsError: t.error } : {}),
      ...(t.joules.length ? { energy: t.joules } : {}),
      ...(t.energyError ? { energyError: t.energyError } : {}),
    });
    return row;
  });
}
