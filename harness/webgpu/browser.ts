// WebGPU in a browser (a page or a worker): navigator.gpu behind the same backend as Dawn.
import { message, UsageError } from '../../core/errors.ts';
import type { WebGpuRuntime } from './adapter.ts';
import { WebGpuBackend, type WebGpuOptions } from './backend.ts';

interface BrowserNavigator {
  gpu?: GPU;
  userAgent: string;
  userAgentData?: { brands?: readonly { brand: string; version: string }[] };
  hardwareConcurrency?: number;
}

/** "Chromium 156", "Google Chrome 139"; the user agent string where the browser names no brand. */
function browserName(nav: BrowserNavigator): string {
  const brands = (nav.userAgentData?.brands ?? []).filter((b) => !/not.?a.?brand/i.test(b.brand));
  const brand = brands.find((b) => b.brand !== 'Chromium') ?? brands[0];
  return brand ? `${brand.brand} ${brand.version}` : nav.userAgent;
}

export function browserRuntime(nav: BrowserNavigator = globalThis.navigator as unknown as BrowserNavigator): WebGpuRuntime {
  if (!nav?.gpu) throw new UsageError(message.noAdapter('navigator.gpu is missing', message.browserWebGpuAdvice));
  const browser = browserName(nav);
  return { gpu: nav.gpu, identity: { browser }, label: `${browser} WebGPU`, advice: message.browserWebGpuAdvice, ...(nav.hardwareConcurrency ? { hostThreads: nav.hardwareConcurrency } : {}) };
}

export const openBrowserWebGpu = (options?: Partial<WebGpuOptions>): Promise<WebGpuBackend> => WebGpuBackend.open(browserRuntime(), options);
