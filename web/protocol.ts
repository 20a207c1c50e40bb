// The messages between the page (web/main.ts) and the sweep worker (web/worker.ts). The worker owns
// the WebGPU device and runs the sweep, verification included, so the page only draws and stays
// responsive; rows cross as plain JSON-able values.
import type { Capabilities } from '../core/capabilities.ts';
import type { CallProvenance, DeviceInfo, Problem, ResultRow } from '../core/results.ts';
import type { SpaceName } from '../tuner/spaces.ts';

export interface FamilyInfo {
  name: string;
  description: string;
  dimensions: readonly string[];
  /** Presets this device can run (a preset needing shader-f16 on an adapter without it is left out). */
  presets: readonly string[];
  /** Presets refused on this device, with the reason (shown, not hidden). */
  refused: readonly { name: string; why: string }[];
  /** The problem the CLI picks for this device with neither --preset nor --shape. */
  defaultProblem: Problem;
  /** The named spaces its WGSL target has (`full` and `candidates` only where the target defines them). */
  spaces: readonly SpaceName[];
}

/** What the page asks for: one sweep of one family on one problem, as `tilesweep tune` would run it. */
export interface SweepRequest {
  kernel: string;
  /** A preset name; absent: the device's default problem. */
  preset?: string;
  /** `M=64,N=128,K=256`; used when given, instead of the preset. */
  shape?: string;
  space: SpaceName;
  strategy: string;
  budget: number;
  seed: number;
  /** Time budget of each config's measured phase, milliseconds. */
  timeMs: number;
}

export type ToWorker = { type: 'start'; request: SweepRequest } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; device: DeviceInfo; caps: Capabilities; limits: Readonly<Record<string, number>>; features: readonly string[]; families: readonly FamilyInfo[]; strategies: readonly string[] }
  | { type: 'unavailable'; reason: string }
  | { type: 'started'; call: CallProvenance; kernel: string; problem: Problem }
  | { type: 'plan'; total: number }
  | { type: 'row'; row: ResultRow }
  | { type: 'lost'; reason: string }
  | { type: 'finished'; outcome: 'done' | 'stopped' | 'lost' | 'failed'; message?: string };
