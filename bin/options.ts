// Parsers of option values shared by commands; each bad value is a UsageError naming it.
import { message, UsageError } from '../core/errors.ts';
import type { Problem } from '../core/results.ts';
import type { Capabilities } from '../core/capabilities.ts';
import type { AnyKernelFamily } from '../kernels/types.ts';
import { stableStringify } from '../core/hash.ts';
import type { Backend } from '../harness/backend.ts';
import { isReplay, type ReplayBackend } from '../harness/replay/backend.ts';

export function parsePositiveInt(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(message.notInteger(flag, text));
    return value;
  };
}

export function parsePositiveNumber(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(message.notPositiveNumber(flag, text));
    return value;
  };
}

/** `M=128,N=256,K=512` into { M: 128, N: 256, K: 512 }. */
export function parseShape(text: string): Record<string, number> {
  const shape: Record<string, number> = {};
  for (const entry of text.split(',')) {
    const match = /^\s*(\w+)\s*=\s*(-?\d+)\s*$/.exec(entry);
    if (!match) throw new UsageError(message.badShapeEntry(entry));
    shape[match[1]] = Number(match[2]);
  }
  return shape;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The problem named by --preset or --shape; undefined when neither is given (the device picks). */
export function namedProblem(family: AnyKernelFamily, preset?: string, shape?: string): Problem | undefined {
  if (preset !== undefined && shape !== undefined) throw new UsageError(message.presetAndShape());
  if (preset !== undefined) {
    const problem = family.presets[preset];
    if (!problem) throw new UsageError(message.unknownPreset(family.name, preset, Object.keys(family.presets)));
    return problem;
  }
  if (shape !== undefined) return family.problemFromShape(parseShape(shape));
  return undefined;
}

/** The named problem, or the family's default sized for this device. */
export const chooseProblem = (family: AnyKernelFamily, caps: Capabilities, named: Problem | undefined): Problem =>
  named ?? family.defaultProblem(caps);

/**
 * The problem of a sweep: on a replay, the named one if the recording holds it, else the recording's
 * only problem (several: name one); on a device, the named one or the family's default for it.
 */
export function sweepProblem(family: AnyKernelFamily, backend: Backend | ReplayBackend, named: Problem | undefined): Problem {
  if (!isReplay(backend)) return chooseProblem(family, backend.caps, named);
  const recorded = backend.recording.problems(family.name);
  const source = String((backend.device.replayOf as { source?: string } | undefined)?.source ?? backend.device.name);
  const found = named === undefined ? (recorded.length === 1 ? recorded[0] : undefined) : recorded.find((p) => stableStringify(p) === stableStringify(named));
  if (!found) throw new UsageError(message.replayNoProblem(source, family.name, recorded.map((p) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(','))));
  return found;
}
