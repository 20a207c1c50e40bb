// gpu.js, the baseline a JavaScript developer gets without templates or tuning: one GPU instance
// in the best mode that works here. gpu.js 2.24's webgpu mode needs `navigator.gpu`, which Node
// lacks: it is provided from the same npm `webgpu` (Dawn) package the webgpu backend uses. When no
// adapter answers, the cpu mode (plain JavaScript) still runs.
import { createRequire } from 'node:module';
import gpujs from 'gpu.js';
import { gpu } from '../webgpu/dawn.ts';
import { contentKey } from '../../core/hash.ts';
import type { DeviceInfo } from '../../core/results.ts';
import type { GpuJs, GpuJsContext, GpuJsKernel } from '../../kernels/gpujs.ts';

export type GpuJsMode = 'webgpu' | 'webasm' | 'cpu';
export const GPUJS_MODES: readonly GpuJsMode[] = ['webgpu', 'webasm', 'cpu'];

export interface GpuJsRuntime extends GpuJsContext {
  mode: GpuJsMode;
  device: DeviceInfo;
  dispose(): void;
}

/** gpu.js finds WebGPU at navigator.gpu: the process's one Dawn instance (harness/webgpu/dawn.ts). */
function provideNavigatorGpu(): void {
  const dawn = gpu();
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav && nav.gpu) return;
  if (nav) Object.defineProperty(nav, 'gpu', { value: dawn, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn }, configurable: true, writable: true });
}

const version = (): string => {
  try {
    return (createRequire(import.meta.url)('gpu.js/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/** A tiny kernel run through the mode: a mode that constructs but computes wrongly is not used. */
async function works(gpu: GpuJs): Promise<boolean> {
  try {
    const kernel = gpu.createKernel(function (this: { thread: { x: number } }, a: number[]) {
      return a[this.thread.x] * 2;
    }, { output: [4] });
    const out = (await kernel([1, 2, 3, 4])) as ArrayLike<number>;
    return out[3] === 8;
  } catch {
    return false;
  }
}

/** Opens gpu.js in `mode`, or in the first of webgpu, webasm, cpu that works. */
export async function openGpuJs(mode?: GpuJsMode): Promise<GpuJsRuntime> {
  const { GPU } = gpujs as unknown as { GPU: new (settings: { mode: string }) => GpuJs };
  for (const candidate of mode ? [mode] : GPUJS_MODES) {
    if (candidate === 'webgpu') provideNavigatorGpu();
    let gpu: GpuJs;
    try {
      gpu = new GPU({ mode: candidate });
    } catch {
      continue;
    }
    if (!(await works(gpu))) {
      gpu.destroy();
      continue;
    }
    const identity = { backend: 'gpujs', mode: candidate, gpujs: version(), host: process.arch };
    return {
      gpu,
      mode: candidate,
      device: {
        backend: 'gpujs',
        name: `gpu.js ${version()} (${candidate} mode)`,
        vendor: 'gpu.js',
        driver: candidate === 'webgpu' ? 'gpu.js webgpu over Dawn (npm webgpu)' : `gpu.js ${candidate} on ${process.arch}`,
        fingerprint: contentKey(identity, 16),
      },
      call: async <T>(kernel: GpuJsKernel, ...args: unknown[]) => (await kernel(...args)) as T,
      dispose: () => void gpu.destroy(),
    };
  }
  throw new Error(`no gpu.js mode works here (tried ${(mode ? [mode] : GPUJS_MODES).join(', ')})`);
}
