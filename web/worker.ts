// The sweep worker: owns the WebGPU device (navigator.gpu through the same backend as Dawn) and runs
// `tilesweep tune`'s sweep on it: the same families, spaces, strategies, verification and rows. Running
// here keeps workload generation and the CPU references (heavy for fp8-gemm and attention) off the page.
import { UsageError } from '../core/errors.ts';
import type { CallProvenance, DeviceInfo, Problem } from '../core/results.ts';
import { DEFAULT_BUDGET } from '../harness/measure.ts';
import { openBrowserWebGpu } from '../harness/webgpu/browser.ts';
import type { WebGpuBackend } from '../harness/webgpu/backend.ts';
import { families, familyByName } from '../kernels/registry.ts';
import { strategies, strategyByName } from '../tuner/strategies/index.ts';
import { SPACE_NAMES } from '../tuner/spaces.ts';
import { runSweep } from '../tuner/sweep.ts';
import { chooseProblem, namedProblem } from '../bin/options.ts';
import type { FamilyInfo, FromWorker, SweepRequest, ToWorker } from './protocol.ts';
import { buildInfo } from './build-info.ts';

const scope = self as unknown as { postMessage(message: FromWorker): void; onmessage: ((event: MessageEvent<ToWorker>) => void) | null };
const post = (message: FromWorker): void => scope.postMessage(message);

/** A device lost mid-sweep ends the sweep: the rows before it stand, nothing after it is measured. */
class DeviceLost extends Error {
  override name = 'DeviceLost';
}

let backend: WebGpuBackend | undefined;
let running: AbortController | undefined;

const problemTag = (problem: Problem): string => Object.entries(problem).map(([k, v]) => `${k}=${v}`).join(',');

/** What each family offers on this device; a preset the device cannot run is listed with the reason. */
function familyInfo(b: WebGpuBackend): FamilyInfo[] {
  return Object.values(families)
    .filter((family) => family.targets.wgsl)
    .map((family) => {
      const presets: string[] = [];
      const refused: { name: string; why: string }[] = [];
      for (const [name, problem] of Object.entries(family.presets)) {
        try {
          family.checkProblem(problem, b.caps);
          presets.push(name);
        } catch (error) {
          refused.push({ name, why: (error as Error).message });
        }
      }
      const target = family.targets.wgsl!;
      return {
        name: family.name,
        description: family.description,
        dimensions: family.dimensions,
        presets,
        refused,
        defaultProblem: family.defaultProblem(b.caps),
        spaces: SPACE_NAMES.filter((name) => name === 'default' || (name === 'candidates' && target.candidates) || (name === 'full' && target.full)),
      };
    });
}

/** The command that measures the same rows from the CLI, recorded as the call's provenance. */
function commandOf(request: SweepRequest, problem: Problem): string {
  const named = request.shape ? `--shape ${request.shape}` : request.preset ? `--preset ${request.preset}` : `--shape ${problemTag(problem)}`;
  return `tilesweep tune ${request.kernel} ${named} --space ${request.space} --strategy ${request.strategy} --budget ${request.budget} --seed ${request.seed} --time-ms ${request.timeMs} (web page, no cache)`;
}

function newCall(device: DeviceInfo, command: string): CallProvenance {
  const startedAt = new Date().toISOString();
  const random = [...crypto.getRandomValues(new Uint8Array(3))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return {
    runId: `${startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${random}`,
    command,
    startedAt,
    ...(buildInfo.commit ? { commit: buildInfo.commit } : {}),
    device,
  };
}

async function sweep(request: SweepRequest): Promise<void> {
  const b = backend!;
  const stop = new AbortController();
  running = stop;
  try {
    const family = familyByName(request.kernel);
    strategyByName(request.strategy);
    const problem = chooseProblem(family, b.caps, namedProblem(family, request.shape ? undefined : request.preset, request.shape || undefined));
    const call = newCall(b.device, commandOf(request, problem));
    post({ type: 'started', call, kernel: family.name, problem });
    await runSweep({
      family,
      problem,
      backend: b,
      strategy: request.strategy,
      budget: request.budget,
      seed: request.seed,
      space: { kind: 'named', name: request.space },
      timing: { ...DEFAULT_BUDGET, timeMs: request.timeMs },
      signal: stop.signal,
      onPlan: (total) => post({ type: 'plan', total }),
      onRow: (row) => post({ type: 'row', row: { ...row, runId: call.runId } }),
    });
    post({ type: 'finished', outcome: 'done' });
  } catch (error) {
    if (error instanceof DeviceLost) post({ type: 'finished', outcome: 'lost', message: error.message });
    else if (stop.signal.aborted) post({ type: 'finished', outcome: 'stopped' });
    else post({ type: 'finished', outcome: 'failed', message: error instanceof UsageError ? error.message : String(error) });
  } finally {
    running = undefined;
  }
}

async function open(): Promise<void> {
  try {
    backend = await openBrowserWebGpu({
      onDeviceLost: (reason) => {
        post({ type: 'lost', reason });
        running?.abort(new DeviceLost(reason));
      },
    });
  } catch (error) {
    post({ type: 'unavailable', reason: (error as Error).message });
    return;
  }
  post({
    type: 'ready',
    device: backend.device,
    caps: backend.caps,
    limits: backend.limits,
    features: backend.features,
    families: familyInfo(backend),
    strategies: Object.keys(strategies),
  });
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'start' && backend && !running) void sweep(message.request);
  if (message.type === 'stop') running?.abort(new Error('stopped'));
};

void open();
