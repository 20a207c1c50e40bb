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

export function parseNonNegativeInt(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new UsageError(message.notNonNegativeInteger(flag, text));
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

/** `*` in a preset pattern stands for any run of characters. */
const presetPattern = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/**
 * The problems named by --preset (one name, a comma list, or patterns with `*`, e.g. `dsv3-m4096-*`)
 * or --shape (one, or several with `;` between them); undefined when neither is given (the device picks one).
 */
export function namedProblems(family: AnyKernelFamily, preset?: string, shape?: string): Problem[] | undefined {
  // Several shapes, `;` between them: each checked as the family checks one.
  if (shape !== undefined && shape.includes(';')) {
    if (preset !== undefined) throw new UsageError(message.presetAndShape());
    return shape.split(';').map((s) => s.trim()).filter(Boolean).map((s) => family.problemFromShape(parseShape(s)));
  }
  if (preset === undefined || (!preset.includes(',') && !preset.includes('*'))) {
    const one = namedProblem(family, preset, shape);
    return one === undefined ? undefined : [one];
  }
  if (shape !== undefined) throw new UsageError(message.presetAndShape());
  const names = Object.keys(family.presets);
  const chosen: string[] = [];
  for (const pattern of preset.split(',').map((p) => p.trim()).filter(Boolean)) {
    const matched = names.filter((name) => presetPattern(pattern).test(name));
    if (matched.length === 0) throw new UsageError(message.unknownPreset(family.name, pattern, names));
    for (const name of matched) if (!chosen.includes(name)) chosen.push(name);
  }
  return chosen.map((name) => family.presets[name]);
}

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
 * The problems of a sweep: on a replay, the named ones, each of which the recording must hold, else
 * every problem it recorded for the kernel; on a device, the named ones or the family's default.
 */
export function sweepProblems(family: AnyKernelFamily, backend: Backend | ReplayBackend, named: Problem[] | undefined): Problem[] {
  if (!isReplay(backend)) return named ?? [chooseProblem(family, backend.caps, undefined)];
  const recorded = backend.recording.problems(family.name);
  const source = String((backend.device.replayOf as { source?: string } | undefined)?.source ?? backend.device.name);
  const text = (p: object) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(',');
  if (recorded.length === 0) throw new UsageError(message.replayNoProblem(source, family.name, undefined, []));
  if (named === undefined) return recorded;
  return named.map((problem) => {
    const found = recorded.find((p) => stableStringify(p) === stableStringify(problem));
    if (!found) throw new UsageError(message.replayNoProblem(source, family.name, text(problem), recorded.map(text)));
    return found;
  });
}
