// Picks and opens a backend by name: `auto` prefers CUDA where a runner can start, else WebGPU.
import { message, UsageError } from '../core/errors.ts';
import type { TargetLanguage } from '../kernels/types.ts';
import type { Backend } from './backend.ts';
import type { ReplayBackend } from './replay/backend.ts';
import { openReplay } from './replay/open.ts';
import { openWebGpu } from './webgpu/dawn.ts';

export const BACKEND_CHOICES = ['auto', 'webgpu', 'cuda'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export function parseBackendChoice(text: string): BackendChoice {
  if (!(BACKEND_CHOICES as readonly string[]).includes(text)) throw new UsageError(message.unknownBackend(text, BACKEND_CHOICES));
  return text as BackendChoice;
}

/** The language a backend choice runs, when the choice names one (auto decides on opening). */
export const languageOf = (choice: BackendChoice): TargetLanguage | undefined => (choice === 'webgpu' ? 'wgsl' : choice === 'cuda' ? 'cuda' : undefined);

type Opener = () => Promise<Backend>;

/** CUDA is loaded on demand: its module is absent from builds that do not carry the runner. */
async function cudaOpener(): Promise<Opener | undefined> {
  try {
    const path = './cuda/open.ts';
    const module = (await import(path)) as { openCuda?: Opener };
    return module.openCuda;
  } catch {
    return undefined;
  }
}

export async function openBackend(choice: BackendChoice): Promise<Backend> {
  if (choice === 'webgpu') return openWebGpu();
  const openCuda = await cudaOpener();
  if (choice === 'cuda') {
    if (!openCuda) throw new UsageError(message.noCuda('this build has no CUDA backend (harness/cuda/open.ts)'));
    return openCuda();
  }
  if (openCuda) {
    try {
      return await openCuda();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  }
  return openWebGpu();
}

/** One GPU of several (`--gpus`): its ordinal, its backend, and whether it was lost. */
export interface OpenedGpu {
  gpu: number;
  backend: Backend;
  lost(): Promise<boolean>;
}

/** Opens one CUDA runner per GPU of the selection (harness/cuda/gpus.ts); a bad ordinal is a UsageError. */
export async function openGpus(first: number, resolve: (count: number) => readonly number[]): Promise<OpenedGpu[]> {
  const path = './cuda/open.ts';
  let module: typeof import('./cuda/open.ts');
  try {
    module = (await import(path)) as typeof import('./cuda/open.ts');
  } catch {
    throw new UsageError(message.noCuda('this build has no CUDA backend (harness/cuda/open.ts)'));
  }
  const opened = await module.openCudaGpus({ first, resolve });
  return opened.map(({ gpu, backend }) => ({ gpu, backend, lost: () => backend.lost() }));
}

/** What `tune --backend` names: a device backend, or `replay:FILE`, a recorded results file served back. */
export type SweepBackendChoice = { device: BackendChoice } | { replay: string; call?: string };

export const SWEEP_BACKEND_CHOICES = [...BACKEND_CHOICES, 'replay:FILE[#RUNID]'] as const;

export function parseSweepBackendChoice(text: string): SweepBackendChoice {
  if (text.startsWith('replay:')) {
    // FILE#RUNID replays one call of a file that holds several.
    const [path, call] = text.slice('replay:'.length).split('#', 2);
    if (path === '' || call === '') throw new UsageError(message.unknownBackend(text, SWEEP_BACKEND_CHOICES));
    return call === undefined ? { replay: path } : { replay: path, call };
  }
  if (!(BACKEND_CHOICES as readonly string[]).includes(text)) throw new UsageError(message.unknownBackend(text, SWEEP_BACKEND_CHOICES));
  return { device: text as BackendChoice };
}

/** The language a sweep backend choice runs, when known before opening (a replay's is in its file). */
export const sweepLanguageOf = (choice: SweepBackendChoice): TargetLanguage | undefined => ('device' in choice ? languageOf(choice.device) : undefined);

/** Opens the device backend, or reads the recording (a bad file is a UsageError, before any device opens). */
export async function openSweepBackend(choice: SweepBackendChoice): Promise<Backend | ReplayBackend> {
  return 'replay' in choice ? openReplay(choice.replay, choice.call) : openBackend(choice.device);
}
