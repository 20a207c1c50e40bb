// A gpu.js baseline of one kernel family on one problem: built once (kernels compiled, host data
// prepared), then run as often as measurement needs; outputs are named as the family names them.
import type { HostArray } from '../../kernels/types.ts';

export interface GpuJsBaseline {
  /** One call of the kernel(s), uploads and readback included (gpu.js offers no finer timing). */
  run(): Promise<Record<string, HostArray>>;
}
