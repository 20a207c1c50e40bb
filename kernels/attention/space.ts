// The config space of the paged decode-attention templates (MLA absorbed and MHA/GQA/MQA share it):
// candidate values as data, named constraints checked against the adapter's limits.
import type { Capabilities } from '../../core/capabilities.ts';
import type { Constraint, Space } from '../types.ts';
import { bytesPerElement, maxSplits, type AttentionShape } from './shape.ts';

export interface DecodeConfig {
  /** Query heads one workgroup serves (all sharing one KV head): each cache token read is reused this often. */
  readonly headsPerWorkgroup: number;
  /** Cache tokens scored and accumulated per step (per barrier round). */
  readonly tokensPerStep: number;
  /** Split-KV (flash-decoding): each sequence's tokens are cut into this many chunks, merged by a combine pass. */
  readonly splits: number;
  readonly workgroupSize: number;
  /** Cache rows of a step read straight from storage, or staged once through workgroup memory. */
  readonly stage: 'global' | 'workgroup';
  /** q.k products in f32, or in f16 (f16 storage only; softmax and the value sums stay f32). */
  readonly arithmetic: 'f32' | 'f16';
  /** A q.k dot product by one invocation, or spread over a subgroup and summed with subgroupAdd. */
  readonly reduce: 'serial' | 'subgroup';
  /** A deliberately broken variant, never in the space: each split skips its last step of tokens. */
  readonly fault?: 'drop-last-step';
}

/** Query rows (query tokens x heads) a workgroup carries. */
export const rowsPerWorkgroup = (s: AttentionShape, c: DecodeConfig): number => s.queryTokens * c.headsPerWorkgroup;

/** vec4 output accumulators per invocation. */
export const accumulators = (s: AttentionShape, c: DecodeConfig): number =>
  Math.ceil((rowsPerWorkgroup(s, c) * s.valueDim) / 4 / c.workgroupSize);

export function workgroupStorageBytes(s: AttentionShape, c: DecodeConfig): number {
  const rows = rowsPerWorkgroup(s, c);
  const softmax = 4 * (rows * c.tokensPerStep + 3 * rows + c.tokensPerStep);
  const e = bytesPerElement(s.storage);
  const staged = c.stage === 'workgroup' ? c.tokensPerStep * e * (s.keyDim + (s.valuesInKeys ? 0 : s.valueDim)) : 0;
  return softmax + staged;
}

export function decodeSpace(shape: AttentionShape, caps: Capabilities): Space<DecodeConfig> {
  const group = shape.heads / shape.kvHeads;
  const longest = Math.max(...shape.lengths);
  const constraints: Constraint<DecodeConfig>[] = [
    {
      name: 'heads-share-one-kv-head',
      why: `heads per workgroup must divide the ${group} query heads that share a KV head`,
      ok: (c) => group % c.headsPerWorkgroup === 0,
    },
    {
      name: 'splits-within-scratch',
      why: `the split scratch is sized for at most ${maxSplits(shape)} splits at ${shape.batch * shape.queryTokens * shape.heads} query rows`,
      ok: (c) => c.splits <= maxSplits(shape),
    },
    {
      name: 'split-holds-a-step',
      why: `splits x tokens per step must not exceed the longest sequence (${longest}): the extra splits would be empty`,
      ok: (c) => c.splits === 1 || c.splits * c.tokensPerStep <= longest,
    },
    {
      name: 'invocations-within-limit',
      why: `the workgroup must not exceed the adapter's ${caps.maxInvocationsPerWorkgroup} invocations`,
      ok: (c) => c.workgroupSize <= Math.min(caps.maxInvocationsPerWorkgroup, caps.maxWorkgroupSize[0]),
    },
    {
      name: 'accumulators-fit',
      why: 'at most 16 vec4 output accumulators per invocation (64 registers)',
      ok: (c) => accumulators(shape, c) <= 16,
    },
    {
      name: 'value-pass-keeps-half-busy',
      why: 'at least half the invocations must own output accumulators in the value pass',
      ok: (c) => (rowsPerWorkgroup(shape, c) * shape.valueDim) / 4 >= c.workgroupSize / 2,
    },
    {
      name: 'workgroup-storage-within-limit',
      why: `scores, softmax state and staged rows must fit the adapter's ${caps.maxWorkgroupStorageBytes} bytes`,
      ok: (c) => workgroupStorageBytes(shape, c) <= caps.maxWorkgroupStorageBytes,
    },
    {
      name: 'f16-arithmetic-needs-f16-storage',
      why: 'f16 products need the shader-f16 feature and an f16 cache (converting an f32 cache gains nothing)',
      ok: (c) => c.arithmetic === 'f32' || (caps.shaderF16 && shape.storage === 'f16'),
    },
    {
      name: 'subgroup-reduce-needs-subgroups',
      why: `subgroupAdd needs the subgroups feature and a workgroup that is a multiple of the largest subgroup (${caps.subgroupMaxSize ?? '?'})`,
      ok: (c) => c.reduce === 'serial' || (caps.subgroups && c.workgroupSize % (caps.subgroupMaxSize ?? 128) === 0),
    },
  ];
  return {
    params: {
      headsPerWorkgroup: [1, 2, 4, 8, 16, 32, 64],
      tokensPerStep: [4, 8, 16],
      splits: [1, 2, 4, 8],
      workgroupSize: [32, 64, 128],
      stage: ['global', 'workgroup'],
      arithmetic: ['f32', 'f16'],
      reduce: ['serial', 'subgroup'],
    },
    constraints,
  };
}
