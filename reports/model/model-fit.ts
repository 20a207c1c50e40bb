// How well the family's analytic model (kernels/<family>/model) ranked a sweep's configs before they
// were measured: its error against the measured times (tuner/model-error.ts), per sweep. Times
// compare only within one call, so each call is judged on its own and the sweep shows the call that
// measured the most configs. Sweeps of families or backends without a model have no fit.
import { softwareThreads } from '../../harness/webgpu/software-threads.ts';
import { replayCapabilities } from '../../harness/replay/backend.ts';
import { families } from '../../kernels/registry.ts';
import type { TargetLanguage } from '../../kernels/types.ts';
import { modelError, type ModelError } from '../../tuner/model-error.ts';
import type { Sweep } from './sweeps.ts';

export interface ModelFit {
  /** The call judged (the one with the most configs of this sweep). */
  call: string;
  /** Configs the model priced and the call measured. */
  configs: number;
  spearman: number;
  medianErrorPct: number;
  firstChoiceLossPct: number;
}

const language = (backend: string): TargetLanguage => (backend === 'cuda' ? 'cuda' : 'wgsl');

export function sweepModelFit(sweep: Sweep): ModelFit | undefined {
  const model = families[sweep.kernel]?.targets[language(sweep.device.info.backend)]?.model;
  if (!model) return undefined;
  const caps = replayCapabilities(sweep.device.info, softwareThreads());
  const byCall = new Map<string, typeof sweep.rows>();
  for (const row of sweep.rows) {
    const call = String((row as { call?: unknown }).call ?? '');
    byCall.set(call, [...(byCall.get(call) ?? []), row]);
  }
  let best: { call: string; error: ModelError } | undefined;
  for (const [call, rows] of byCall) {
    const [error] = modelError(model as never, caps, rows);
    if (error && (!best || error.rows.length > best.error.rows.length)) best = { call, error };
  }
  if (!best) return undefined;
  const { error } = best;
  return { call: best.call, configs: error.rows.length, spearman: error.spearman, medianErrorPct: error.medianErrorPct, firstChoiceLossPct: error.firstChoiceLossPct };
}
