// Names for adapters whose driver string does not say what hardware they are. Dawn over NVIDIA's Vulkan
// driver reports "NVIDIA: <driver version>", so the H200 measured through WebGPU would be named by its
// driver and get no datasheet roofs. An adapter is recognised by its fingerprint (stable per hardware
// and driver), each entry with the note that says where it was measured.
import type { DeviceInfo } from '../../core/results.ts';
import type { DatasheetDevice } from './peaks.ts';

export interface KnownAdapter {
  fingerprint: string;
  name: string;
  datasheet: DatasheetDevice['id'];
  source: string;
}

export const knownAdapters: readonly KnownAdapter[] = [
  {
    fingerprint: '79dd437b0b8a73de',
    name: 'NVIDIA H200 (WebGPU: Dawn over Vulkan, driver 580.159.04)',
    datasheet: 'H200',
    source: 'results/h200-webgpu/README.md: measured on the nvidia-h200 machine through Dawn over NVIDIA\'s Vulkan driver 580.159.04',
  },
];

export function knownAdapter(info: DeviceInfo): KnownAdapter | undefined {
  return info.backend === 'webgpu' ? knownAdapters.find((a) => a.fingerprint === info.fingerprint) : undefined;
}

/** The name a report shows: a known adapter's, the backend beside a GPU's own name, a CPU adapter's driver. */
export function displayName(info: DeviceInfo): string {
  const known = knownAdapter(info);
  if (known) return known.name;
  const vulkanDriver = /^NVIDIA: (\S+)/.exec(info.name);
  if (vulkanDriver) return `NVIDIA GPU (WebGPU over Vulkan, driver ${vulkanDriver[1]})`;
  return info.name;
}
