// What the parts of a WGSL kernel cost on the adapter that runs it: the one price list of the WGSL
// targets' analytic models (kernels/*/model/wgsl.ts). A model counts what a workgroup does (vector
// arithmetic, memory accesses by invocation, barriers) and this file prices the counts, then spreads
// the workgroups over the workgroups the adapter runs at once.
//
// On a CPU adapter (lavapipe) a workgroup runs on one thread as coroutines of `lanes` invocations
// (one SIMD vector each); arithmetic is one instruction per vector, but an access to memory whose
// address differs by invocation is a scalar loop over the active lanes: per lane the exec-mask test,
// the address taken out of the vector, for storage the buffer size and a bounds check, and per
// 32-bit component a load and an insert (or an extract and a store). Workgroup memory is plain memory
// on the heap, no faster than storage. Entering a coroutine computes its invocations' local ids with
// one division each; at a barrier every coroutine is suspended and resumed, its live state kept in its
// frame. In a kernel with a barrier that holds for the vectors being assembled lane by lane too: each
// lane's insert is a store to the frame and a load back (a store-to-load forwarding round trip, about
// 5-7 cycles on current x86 cores, on the chain of the lanes), where a kernel without one keeps them in
// registers; so the same access costs about twice as much once the kernel has a barrier. The figures are instructions counted in the x86 code lavapipe generated for these kernels
// (Mesa 25.0.7, LLVM 15, AVX2: GALLIVM_DEBUG=asm, MESA_SHADER_CACHE_DISABLE=true), not fitted to any
// measured time.
//
// On a GPU adapter the lanes of a vector access memory together and barriers are cheap; its figures
// are those the fp8-gemm WGSL model used before (relative costs, no device to count them on).
//
// WebGPU reports neither the CPU threads a software adapter runs workgroups on nor a GPU's
// concurrent workgroups. A CPU adapter's threads come from the host it runs on (lavapipe: one per CPU,
// or LP_NUM_THREADS; harness/webgpu/dawn.ts and browser.ts read them, the capabilities and the results'
// device keep them), and where a recording did not keep them, from the host that replays it
// (harness/replay/backend.ts); unknown, one. A GPU is taken as 64 workgroups at once.
import type { Capabilities } from '../core/capabilities.ts';

export interface WgslPrices {
  /** Invocations of one SIMD vector (CPU) or subgroup (GPU). */
  lanes: number;
  /** Workgroups running at once. */
  concurrent: number;
  /** Each memory access by one invocation costs `perLane` (CPU: lanes are walked one by one) or is shared by a vector (GPU). */
  serialLanes: boolean;
  /** One access to storage, before its components. */
  storageAccess: number;
  /** One access to workgroup memory, before its components. */
  workgroupAccess: number;
  /** One 32-bit component loaded or stored. */
  component: number;
  /** Added to each component in a kernel with a barrier (CPU: assembled in the coroutine frame). */
  framedComponent: number;
  /** An access waiting for the load that gave its address (CPU: that load's chain over the lanes, per lane). */
  dependent: number;
  /** One vector entering the kernel (CPU: the coroutine call and its local ids). */
  entry: number;
  /** One vector passing one barrier (CPU: a coroutine suspended and resumed). */
  barrier: number;
  /** One workgroup started (CPU: a task of the thread pool and its coroutine frames). */
  launch: number;
}

/** A CPU adapter's prices; \`concurrent\` (one) stands where the adapter's threads are unknown: wgslPrices takes them from the capabilities. */
export const CPU_PRICES: WgslPrices = {
  lanes: 8,
  concurrent: 1,
  serialLanes: true,
  // Mask test (vpextrb, testb, je), address (vpextrd), buffer size and bounds (movq, movl, sarl, cmpl, jae).
  storageAccess: 7,
  // Mask test and address; the vector being assembled lives in the coroutine frame (a load and a store).
  workgroupAccess: 5,
  // Per component: offset, bounds or frame, the load (vpinsrd) and the blend into the vector.
  component: 6,
  // The store-forwarding round trip on the lanes' chain: ~6 cycles, at ~2 instructions a cycle otherwise.
  framedComponent: 12,
  // Its address comes out of the previous lane loop's vector: each lane waits one round trip of that chain.
  dependent: 12,
  // The call with its 16 arguments (~40) and one division per lane for the local ids (8 x ~10).
  entry: 130,
  // Back to the workgroup loop, the resume switch, live values out of and into the frame.
  barrier: 40,
  // The thread pool hands out a workgroup under a lock; the workgroup allocates its coroutine frames.
  launch: 400,
};

export const GPU_PRICES: WgslPrices = {
  lanes: 32,
  concurrent: 64,
  serialLanes: false,
  storageAccess: 4,
  workgroupAccess: 2,
  component: 0,
  framedComponent: 0,
  dependent: 0,
  entry: 0,
  barrier: 16,
  launch: 0,
};

/** The prices of this adapter: lanes from its subgroup size where it reports one; a CPU adapter's threads. */
export function wgslPrices(caps: Capabilities): WgslPrices {
  const base = caps.isCpu ? { ...CPU_PRICES, concurrent: caps.cpuThreads ?? CPU_PRICES.concurrent } : GPU_PRICES;
  return caps.subgroupMaxSize ? { ...base, lanes: caps.subgroupMaxSize } : base;
}

/** What one workgroup does, counted by the family's model. */
export interface WorkgroupWork {
  /** Invocations that run (a workgroup's size). */
  invocations: number;
  /** Vector arithmetic: instructions, each covering a vector of lanes (already summed over the vectors). */
  vectorOps: number;
  /** Accesses to storage by single invocations, and their 32-bit components in all. */
  storage: { accesses: number; components: number };
  /** Accesses to workgroup memory by single invocations, and their components in all. */
  workgroup: { accesses: number; components: number };
  /** Barriers every vector passes. */
  barriers: number;
  /**
   * Accesses by invocation whose address comes from a value just loaded by invocation (a paged
   * cache's slot): on a CPU each waits for the lane chain of that load.
   */
  dependent?: number;
}

export const noWork = (invocations: number): WorkgroupWork => ({
  invocations,
  vectorOps: 0,
  storage: { accesses: 0, components: 0 },
  workgroup: { accesses: 0, components: 0 },
  barriers: 0,
});

/** The cost of one workgroup, in the adapter's units (CPU: instructions of one thread). */
export function workgroupCost(w: WorkgroupWork, p: WgslPrices): number {
  const vectors = Math.ceil(w.invocations / p.lanes);
  const components = w.storage.components + w.workgroup.components;
  const memory = w.storage.accesses * p.storageAccess + w.workgroup.accesses * p.workgroupAccess + components * (p.component + (w.barriers > 0 ? p.framedComponent : 0)) +
    (w.dependent ?? 0) * p.dependent;
  // A GPU's lanes access together: an access of every invocation costs one per vector.
  const memoryCost = p.serialLanes ? memory : memory / p.lanes;
  return p.launch + vectors * (p.entry + w.barriers * p.barrier) + w.vectorOps + memoryCost;
}
