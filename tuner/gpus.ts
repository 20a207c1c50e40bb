// `--gpus all|0,1,...`: which GPUs of the host a sweep or a bench spreads over. The text is checked
// before any device opens (syntax, repeats); the ordinals against the host once its GPUs are counted.
import { message, UsageError } from '../core/errors.ts';

export type GpuChoice = { kind: 'all' } | { kind: 'list'; ordinals: readonly number[] };

export function parseGpus(text: string): GpuChoice {
  const trimmed = text.trim();
  if (trimmed === 'all') return { kind: 'all' };
  const entries = trimmed.split(',').map((s) => s.trim());
  const ordinals: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || !Number.isSafeInteger(Number(entry))) throw new UsageError(message.badGpus(text, `${JSON.stringify(entry)} is not a device ordinal`));
    const ordinal = Number(entry);
    if (ordinals.includes(ordinal)) throw new UsageError(message.badGpus(text, `GPU ${ordinal} is named twice`));
    ordinals.push(ordinal);
  }
  return { kind: 'list', ordinals };
}

/** The ordinals to open on a host with `count` GPUs; a GPU the host lacks is a UsageError. */
export function resolveGpus(choice: GpuChoice, count: number): number[] {
  if (choice.kind === 'all') return Array.from({ length: count }, (_, i) => i);
  for (const ordinal of choice.ordinals) if (ordinal >= count) throw new UsageError(message.gpuNotOnHost(ordinal, count));
  return [...choice.ordinals];
}
