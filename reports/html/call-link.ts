// A link from a figure to the call that measured it (its row in the provenance table): the run's short
// name on the line, the full name and date in the link's title.
import { callAnchor } from '../model/anchors.ts';
import type { ReportDevice } from '../model/devices.ts';
import { html, type Html } from './escape.ts';

export function callLink(device: ReportDevice, id: unknown): Html {
  const call = typeof id === 'string' ? device.calls.get(id) : undefined;
  if (!call) return html`—`;
  // The run number is enough on a line; the link's title and the calls table give the file and date.
  const short = /(run\d+[A-Za-z]*(?:-[A-Za-z0-9]+)*)$/.exec(call.label)?.[1] ?? call.label;
  return html`<a href="#${callAnchor(device.key, call.id)}" title="${call.label}, ${call.startedAt}">${short}</a>`;
}
