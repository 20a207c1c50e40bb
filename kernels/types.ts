// What every kernel family provides: the problem (shape) typed apart from the tile config
// (STYLE.md, habit 5), the config space as data (habit 1), a CPU reference, and templates that
// are filled by field name. Backends and the tuner only ever see these types.
import type { Config, Problem, Verification } from '../core/results.ts';
import type { GpuJsTarget } from './gpujs.ts';
import type { Capabilities } from '../core/capabilities.ts';
import type { RowElementTypes } from './element-types.ts';
import type { HostArray, Workload } from './workload.ts';

export { hostView, type BufferSpec, type HostArray, type Workload } from './workload.ts';

export interface BindingSpec {
  /** Binding index (WGSL @binding) or kernel parameter position (CUDA). */
  binding: number;
  buffer: string;
  access: 'read' | 'read-write';
}

/** One kernel launch (WGSL dispatch or CUDA grid launch); a kernel may need several (split-KV + combine). */
export interface Launch {
  entryPoint: string;
  /** Workgroups (CUDA blocks) in x, y, z. */
  grid: readonly [number, number, number];
  /** Invocations (CUDA threads) per workgroup in x, y, z. */
  block: readonly [number, number, number];
  bindings: readonly BindingSpec[];
  /** Dynamic shared memory in bytes (CUDA only). */
  sharedBytes?: number;
}

export interface KernelSource {
  language: 'wgsl' | 'cuda';
  /** Starts with a comment naming family, problem and config. */
  code: string;
  launches: readonly Launch[];
  /** Compiler flags that change the binary; part of the cache key. */
  flags?: readonly string[];
}

export type ParamSpace<C extends object> = { readonly [K in keyof C]: readonly C[K][] };

/** A named predicate over a config; `why` is shown when it rejects one. Never a string to eval. */
export interface Constraint<C extends object> {
  name: string;
  why: string;
  ok(config: C): boolean;
}

export interface Space<C extends object> {
  params: ParamSpace<C>;
  constraints: readonly Constraint<C>[];
  /**
   * The configs themselves, when they are a sum type (options that exist only in some variants), so
   * that the product of `params` would write invalid ones: strategies then walk this list, and
   * `params` holds the values each field takes in it.
   */
  configs?: readonly C[];
}

/**
 * An analytic estimate of one config's time on one problem, made before anything is measured.
 * `time` is in model units (cycles of an idealized device, not milliseconds): comparable between
 * configs of one problem on one device, which is what ranking needs; its error against measured
 * rows is computed after a best-fit scale (tuner/model-error.ts).
 */
export interface CostEstimate {
  time: number;
  /** The term that sets `time`: the limit a faster config would have to lift. */
  bound: 'compute' | 'memory' | 'latency' | 'issue';
  /** The terms the estimate is built from, for reports (waves, tiles, per-tile times...). */
  terms: Readonly<Record<string, number>>;
}

export interface CostModel<P extends object, C extends object> {
  estimate(problem: P, config: C, caps: Capabilities): CostEstimate;
}

/** The languages a family can be generated in; a backend runs one of them. */
export type TargetLanguage = 'wgsl' | 'cuda';

export type Outputs = Readonly<Record<string, HostArray>>;

/**
 * A library measured beside our kernels in the same call (cuBLASLt, cuBLAS, torch, DeepGEMM,
 * FlashMLA): a library launch the backend runs like a kernel (same process, stream, buffers and
 * timing), or an external command speaking the peer protocol (harness/peers/external.ts) over the
 * same inputs. Its output is verified against the same CPU reference as ours.
 */
export interface Peer<P extends object> {
  /** The name `bench --peers` takes (lower case: cublaslt, cublas-bf16, torch, deepgemm). */
  name: string;
  /** What its rows record as config: the library's name and the facts that define the comparison. */
  config: Config;
  /** How it runs. */
  via:
    | { kind: 'launch'; source(problem: P, caps: Capabilities): KernelSource; workload?(problem: P, seed: number): Workload }
    | { kind: 'command'; command: readonly string[]; outputs: Readonly<Record<string, 'bf16' | 'f32'>> };
  /** Compares its outputs with the CPU reference, with the tolerance of its own arithmetic. */
  verify(problem: P, workload: Workload, outputs: Outputs): Verification;
  /** Compulsory traffic of its operands when they differ from ours (BF16 inputs), or of its own work (a roof). */
  bytes?(problem: P): number;
  /** Its FLOPs when its work is not ours: a roof (kernels/roofs/) measures a copy or a fixed GEMM. */
  flops?(problem: P): number;
}

/**
 * One family in one language: the config space, the curated candidates generated from the problem
 * and the device, the template, and what this language's rows are verified and compared with. A new
 * backend for a family is one folder plus one key of `targets`.
 */
export interface Target<P extends object, C extends object> {
  /** Every config the language can express for this problem on this device (`--space default`). */
  space(problem: P, caps: Capabilities): Space<C>;
  /** A short list generated from the problem and the device (`--space candidates`). */
  candidates?(problem: P, caps: Capabilities): C[];
  /** A larger space than the default, past what CI compiles (`--space full`); absent: the default. */
  full?(problem: P, caps: Capabilities): Space<C>;
  source(problem: P, config: C, caps: Capabilities): KernelSource;
  /** Inputs when this language needs other ones than the family's (e.g. built fast at GPU sizes). */
  workload?(problem: P, seed: number): Workload;
  /** Compares outputs with the CPU reference, the tolerance following the config's arithmetic. */
  verify(problem: P, workload: Workload, outputs: Outputs, config: C): Verification;
  /**
   * A config read as JSON (a --space FILE entry, a results row, --config FILE), checked: throws
   * UsageError naming what is wrong. Absent: taken as it is and checked by the space's constraints.
   */
  parseConfig?(value: Readonly<Record<string, unknown>>): C;
  /** Libraries this language's rows are compared with, by `--peers` name. */
  peers?: readonly Peer<P>[];
  /** An analytic model that ranks configs before any measurement (the model-guided strategy's prior). */
  model?: CostModel<P, C>;
}

export interface KernelFamily<P extends object = Problem, W extends object = Config, U extends object = Config> {
  name: string;
  description: string;
  /** Dimension names accepted by --shape, in the order they are printed. */
  dimensions: readonly string[];
  presets: Readonly<Record<string, P>>;
  /** Builds a problem from --shape values; throws UsageError naming the bad value. */
  problemFromShape(shape: Readonly<Record<string, number>>): P;
  /** A problem sized so a sweep takes seconds on this device. */
  defaultProblem(caps: Capabilities): P;
  /** Throws UsageError when the problem cannot run on this device (e.g. buffers past the limit). */
  checkProblem(problem: P, caps: Capabilities): void;
  workload(problem: P, seed: number): Workload;
  /** Compares outputs with the CPU reference at the family's default tolerance (baselines). */
  verify(problem: P, workload: Workload, outputs: Outputs): Verification;
  flops(problem: P): number;
  /**
   * Compulsory DRAM traffic: every input read once, every output written once, in the element types
   * the row used (kernels/element-types.ts; the family's defaults when absent). The one count for
   * every row kind: candidates, baselines and peers of one problem and types get the same bytes.
   */
  bytes(problem: P, types?: RowElementTypes): number;
  /**
   * Decode families: the bytes of KV cache a step reads (the part of `bytes` that grows with the
   * context), in the row's cache storage. What a memory roof holds a decode kernel to.
   */
  cacheBytes?(problem: P, types?: RowElementTypes): number;
  /**
   * GEMM families: the bytes of the weight operand and its scales (B), in the row's types: what a
   * memory roof holds a small-M GEMM to, whose time is reading the weights.
   */
  weightBytes?(problem: P, types?: RowElementTypes): number;
  /** Per language: WGSL and CUDA templates the tuner sweeps, and the plain gpu.js version measured as a baseline. */
  targets: { readonly wgsl?: Target<P, W>; readonly cuda?: Target<P, U>; readonly gpujs?: GpuJsTarget<P> };
}

/** Families are stored type-erased in the registry; each family checks its own inputs. */
export type AnyKernelFamily = KernelFamily<any, any, any>;
export type AnyTarget = Target<any, any>;
