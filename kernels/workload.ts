// The data a kernel runs on, as the host holds it: typed arrays for inputs, sizes for outputs and
// scratch, the seed they were drawn from. Every family, backend and baseline speaks these types.

export type HostArray = Float32Array | Uint32Array | Int32Array;

/** A device buffer the workload needs: inputs carry data, outputs and scratch only a size. */
export interface BufferSpec {
  role: 'input' | 'output' | 'scratch';
  bytes: number;
  data?: HostArray;
  /** Element type an output is read back as (inputs take it from `data`); f32 when unsaid. */
  elementType?: 'f32' | 'u32' | 'i32';
}

/** A host view of bytes read back from a device buffer, typed as its spec says. */
export function hostView(spec: BufferSpec | undefined, bytes: ArrayBuffer, byteOffset = 0, byteLength = bytes.byteLength): HostArray {
  const type = spec?.elementType ?? (spec?.data instanceof Uint32Array ? 'u32' : spec?.data instanceof Int32Array ? 'i32' : 'f32');
  const View = type === 'u32' ? Uint32Array : type === 'i32' ? Int32Array : Float32Array;
  return new View(bytes, byteOffset, byteLength / 4);
}

/** Inputs and output sizes for one problem, built from a seed so every run sees the same data. */
export interface Workload {
  seed: number;
  buffers: Readonly<Record<string, BufferSpec>>;
  /** Free-form description recorded in results (e.g. the routing distribution of an MoE workload). */
  meta?: Readonly<Record<string, unknown>>;
}
