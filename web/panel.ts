// What the page says about the adapter before any sweep: who it is, its limits, the features the
// kernels care about, and the notices that change how to read the numbers (no timestamps: a wall
// clock; no f16: f32 problems only; a software adapter: no GPU at all).
import type { Capabilities } from '../core/capabilities.ts';
import type { DeviceInfo } from '../core/results.ts';

export interface Notice {
  kind: 'info' | 'warn';
  text: string;
}

export function noticesFor(caps: Capabilities): Notice[] {
  const notices: Notice[] = [];
  if (caps.timestampQuery) notices.push({ kind: 'info', text: 'Timer: GPU timestamps (timestamp-query) around each compute pass.' });
  else {
    notices.push({
      kind: 'warn',
      text: 'Timer: WALL CLOCK. This adapter offers no timestamp-query, so each sample is the time from submit to completion as the page sees it, overheads included; rows say "wall-clock".',
    });
  }
  if (!caps.shaderF16) notices.push({ kind: 'warn', text: 'No shader-f16: problems with f16 operands are not offered on this adapter.' });
  if (caps.isCpu) notices.push({ kind: 'info', text: 'This adapter runs on the CPU (a software rasterizer): its times say nothing about a GPU.' });
  return notices;
}

function list(entries: readonly (readonly [string, string])[]): HTMLDListElement {
  const dl = document.createElement('dl');
  for (const [term, value] of entries) dl.append(Object.assign(document.createElement('dt'), { textContent: term }), Object.assign(document.createElement('dd'), { textContent: value }));
  return dl;
}

export function adapterPanel(device: DeviceInfo, caps: Capabilities, limits: Readonly<Record<string, number>>, features: readonly string[]): HTMLElement {
  const section = document.createElement('div');
  section.id = 'adapter-info';
  const yes = (on: boolean | undefined) => (on ? 'yes' : 'no');
  section.append(
    list([
      ['adapter', device.name],
      ['vendor', device.vendor],
      ['driver', device.driver],
      ['fingerprint', device.fingerprint],
      ['timestamp-query', yes(caps.timestampQuery)],
      ['shader-f16', yes(caps.shaderF16)],
      ['subgroups', caps.subgroups ? `yes (${caps.subgroupMinSize ?? '?'}–${caps.subgroupMaxSize ?? '?'})` : 'no'],
      ['workgroup storage', `${caps.maxWorkgroupStorageBytes} bytes`],
      ['invocations per workgroup', String(caps.maxInvocationsPerWorkgroup)],
      ['storage buffer binding', `${caps.maxStorageBufferBytes} bytes`],
    ]),
  );
  const details = document.createElement('details');
  details.append(Object.assign(document.createElement('summary'), { textContent: `every limit and feature (${Object.keys(limits).length} limits, ${features.length} features)` }));
  details.append(list([...Object.entries(limits).map(([k, v]) => [k, String(v)] as const), ['features', features.join(', ') || 'none']]));
  section.append(details);
  return section;
}
