// The copy kernel: reads one buffer and writes another of the same size. It measures what the
// roofline's memory side needs, the device's achievable read+write bandwidth, with the same harness
// and timer as every other kernel (nvbench and the STREAM benchmark measure it the same way).
import { message, UsageError } from '../../core/errors.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { fillTemplate, sourceHeader } from '../template.ts';
import type { Verification } from '../../core/results.ts';
import type { KernelFamily, KernelSource, Outputs, Workload } from '../types.ts';

export type CopyProblem = { readonly words: number };
export type CopyConfig = {
  /** Invocations per workgroup. */
  readonly workgroup: number;
  /** u32 lanes per load and store: 1, 2 or 4 (u32, vec2, vec4). */
  readonly vec: number;
  /** Vectors each invocation copies, strided by the whole grid so every access stays coalesced. */
  readonly perInvocation: number;
  /** Deliberately broken variant (never in the space): skips the last vector of every invocation. */
  readonly fault?: 'skip-last';
};

const KERNEL = /* wgsl */ `{{header}}
alias V = {{vector}};
const VECTORS: u32 = {{vectors}}u;
const PER: u32 = {{per}}u;
const GRID: u32 = {{gridInvocations}}u;
@group(0) @binding(0) var<storage, read> src: array<V>;
@group(0) @binding(1) var<storage, read_write> dst: array<V>;
@compute @workgroup_size({{workgroup}})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  for (var k = 0u; k < {{loopEnd}}; k++) {
    let i = id.x + k * GRID;
    if (i < VECTORS) { dst[i] = src[i]; }
  }
}
`;

const VECTOR: Record<number, string> = { 1: 'u32', 2: 'vec2<u32>', 4: 'vec4<u32>' };

function copyWgsl(problem: CopyProblem, config: CopyConfig, caps: Capabilities): KernelSource {
  const vectors = problem.words / config.vec;
  const groups = Math.ceil(vectors / (config.workgroup * config.perInvocation));
  const wide = Math.min(groups, caps.maxWorkgroupsPerDimension);
  const grid: [number, number, number] = [wide, 1, 1];
  const gridInvocations = wide * config.workgroup;
  const per = Math.ceil(vectors / gridInvocations);
  return {
    language: 'wgsl',
    code: fillTemplate(KERNEL, {
      header: sourceHeader('//', 'copy', problem, config),
      vector: VECTOR[config.vec],
      vectors,
      per,
      gridInvocations,
      workgroup: config.workgroup,
      loopEnd: config.fault === 'skip-last' ? 'PER - 1u' : 'PER',
    }),
    launches: [{ entryPoint: 'main', grid, block: [config.workgroup, 1, 1], bindings: [
      { binding: 0, buffer: 'src', access: 'read' },
      { binding: 1, buffer: 'dst', access: 'read-write' },
    ] }],
  };
}

/** Every word must come back as it was: the copy has no arithmetic to allow for. */
function verifyCopy(problem: CopyProblem, workload: Workload, outputs: Outputs): Verification {
  const src = workload.buffers.src.data!;
  const dst = outputs.dst;
  let failures = 0;
  for (let i = 0; i < problem.words; i++) if (dst[i] !== src[i]) failures++;
  return { ok: failures === 0, maxAbsErr: failures === 0 ? 0 : Infinity, maxRelErr: failures === 0 ? 0 : Infinity, cosineDiff: 0, checked: problem.words, total: problem.words, failures };
}

export const copy: KernelFamily<CopyProblem, CopyConfig> = {
  name: 'copy',
  description: 'device memory copy (read + write bandwidth), the memory roof of the roofline',
  dimensions: ['words'],
  presets: { small: { words: 1 << 20 }, medium: { words: 1 << 24 }, large: { words: 1 << 26 } },
  problemFromShape(shape) {
    const words = shape.words;
    if (words === undefined) throw new UsageError(message.missingDimension('copy', 'words'));
    if (!Number.isSafeInteger(words) || words <= 0) throw new UsageError(message.notPositive('words', words));
    if (words % 4 !== 0) throw new UsageError(message.notMultiple('words', words, 4));
    return { words };
  },
  defaultProblem: (caps) => ({ words: caps.isCpu ? 1 << 22 : Math.min(1 << 26, Math.floor(caps.maxStorageBufferBytes / 4 / 4) * 4) }),
  checkProblem(problem, caps) {
    const bytes = problem.words * 4;
    const limit = Math.min(caps.maxStorageBufferBytes, caps.maxBufferBytes);
    if (bytes > limit) throw new UsageError(message.tooLargeForDevice(`buffer src of words=${problem.words}`, bytes, limit));
  },
  workload(problem, seed) {
    const src = new Uint32Array(problem.words);
    for (let i = 0; i < src.length; i++) src[i] = Math.imul(i + 1, 2654435761) ^ seed;
    return { seed, buffers: { src: { role: 'input', bytes: src.byteLength, data: src }, dst: { role: 'output', bytes: src.byteLength, elementType: 'u32' } } };
  },
  verify: verifyCopy,
  flops: () => 0,
  bytes: (problem) => 2 * 4 * problem.words,
  targets: {
    wgsl: {
      space: (_problem, caps) => ({
        params: { workgroup: [64, 128, 256], vec: [1, 2, 4], perInvocation: [1, 4, 16] },
        constraints: [
          { name: 'workgroup-within-limit', why: `at most ${caps.maxInvocationsPerWorkgroup} invocations`, ok: (c) => c.workgroup <= caps.maxInvocationsPerWorkgroup },
        ],
      }),
      source: copyWgsl,
      verify: (problem, workload, outputs) => verifyCopy(problem, workload, outputs),
    },
  },
};
