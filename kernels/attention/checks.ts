// Problem checks the decode families (mla-decode, mha-decode) share: --shape parsing with defaults
// and device limits. Messages come from core/errors.ts.
import { message, UsageError } from '../../core/errors.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { attentionBufferBytes, type AttentionShape } from './shape.ts';

/** Validates --shape values shared by the decode families; returns them with defaults filled. */
export function decodeShapeValues(
  kernel: string,
  shape: Readonly<Record<string, number>>,
  dimensions: readonly string[],
  required: readonly string[],
): Record<string, number> {
  for (const name of Object.keys(shape)) {
    if (!dimensions.includes(name)) throw new UsageError(message.unknownDimension(kernel, name, dimensions));
  }
  for (const name of required) if (shape[name] === undefined) throw new UsageError(message.missingDimension(kernel, name));
  const values: Record<string, number> = { sq: 1, varied: 0, edges: 0, f32: 0, ...shape };
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isSafeInteger(value) || value < 0 || (value === 0 && required.includes(name))) throw new UsageError(message.notPositive(name, value));
  }
  if (values.sq !== 1 && values.sq !== 2) throw new UsageError(message.notOneOf('sq', values.sq, [1, 2]));
  for (const flag of ['varied', 'edges', 'f32']) {
    if (values[flag] !== 0 && values[flag] !== 1) throw new UsageError(message.notOneOf(flag, values[flag], [0, 1]));
  }
  return values;
}

/** The --shape text of the same problem with f32 storage (for devices without shader-f16). */
export function f32ShapeText(problem: object): string {
  const flags: Record<string, string> = { varied: 'varied=1', edges: 'edges=1', fixed: '' };
  return Object.entries(problem)
    .map(([k, v]) => (k === 'lengths' ? flags[String(v)] : k === 'dtype' ? 'f32=1' : `${k}=${v}`))
    .filter(Boolean)
    .join(',');
}

/** Device checks shared by the decode families: f16 storage needs shader-f16; buffers within limits. */
export function checkDecodeShape(kernel: string, shape: AttentionShape, caps: Capabilities, problem: object): void {
  if (shape.storage === 'f16' && !caps.shaderF16) throw new UsageError(message.needsShaderF16(kernel, f32ShapeText(problem)));
  const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
  for (const [name, bytes] of Object.entries(attentionBufferBytes(shape))) {
    if (bytes > limit) throw new UsageError(message.tooLargeForDevice(`${kernel} buffer ${name}`, bytes, limit));
  }
  if (shape.batch > caps.maxWorkgroupsPerDimension) throw new UsageError(message.tooLargeForDevice(`${kernel} batch (workgroups in z)`, shape.batch, caps.maxWorkgroupsPerDimension));
}

