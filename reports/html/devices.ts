// Device section: the datasheet table (dense peaks with sources), the ceilings measured on each
// device found in the results, and the provenance of every call that measured a row (folded): run,
// date, commit, command, device, driver, clocks, files.
import type { ResultRow } from '../../core/results.ts';
import { roofOf } from '../../kernels/roofs/roof.ts';
import { datasheet } from '../devices/peaks.ts';
import type { ReportModel } from '../model/report.ts';
import { callAnchor } from '../model/anchors.ts';
import type { ReportDevice } from '../model/devices.ts';
import { peerName } from '../model/same-call.ts';
import { configLabel, problemLabel } from '../model/sweeps.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';

function datasheetTable(): Html {
  const sources = new Map<string, number>();
  const cite = (source: string) => {
    if (!sources.has(source)) sources.set(source, sources.size + 1);
    return html`<sup>${sources.get(source)}</sup>`;
  };
  const rows = datasheet.map(
    (d) => html`<tr><th scope="row">${d.id}</th>
      <td>${fmt.tflops(d.fp8.value)}${cite(d.fp8.source)}</td>
      <td>${fmt.tflops(d.bf16.value)}${cite(d.bf16.source)}</td>
      <td>${fmt.tflops(d.fp32.value)}${cite(d.fp32.source)}</td>
      <td>${fmt.bandwidth(d.hbm.value)}${cite(d.hbm.source)}</td>
      <td>${fmt.gb(d.memory.value)}${cite(d.memory.source)}</td>
      <td>${fmt.mib(d.l2.value)}${cite(d.l2.source)}</td>
      <td>${d.smCount.value}${cite(d.smCount.source)}</td></tr>`,
  );
  return html`<table class="data"><caption>Datasheet peaks, dense (not the "with sparsity" figures)</caption>
    <thead><tr><th>GPU</th><th>FP8</th><th>BF16</th><th>FP32 (non-tensor)</th><th>HBM bandwidth</th><th>HBM</th><th>L2</th><th>SMs</th></tr></thead>
    <tbody>${rows}</tbody></table>
    <ol class="sources">${[...sources.keys()].map((s) => html`<li>${s}</li>`)}</ol>`;
}

/** A roof measured beside a kernel is named for what it ran, not for the kernel whose call it was in. */
const roofLabel = (row: ResultRow): string =>
  `${peerName(row)}${typeof row.config.M === 'number' ? ` ${row.config.M}x${row.config.N}x${row.config.K}` : ''}, measured beside ${row.kernel}`;

function measuredTable(model: ReportModel): Html {
  const rows = model.devices.map((d) => {
    const ok = d.rows.filter((r) => r.status === 'ok').length;
    const matmul = d.matmul
      ? html`${fmt.tflops(d.matmul.value)} <span class="muted">(${roofOf(d.matmul.row.config) ? roofLabel(d.matmul.row) : html`${d.matmul.row.kernel} ${problemLabel(d.matmul.row.problem)}; ${configLabel(d.matmul.row.config)}`})</span>`
      : 'no matmul measured';
    const copy = d.copy ? html`${fmt.bandwidth(d.copy.value)}${roofOf(d.copy.row.config) ? html` <span class="muted">(${roofLabel(d.copy.row)})</span>` : ''}` : 'not measured';
    return html`<tr><th scope="row">${d.name}</th><td>${d.info.backend}</td>
      <td>${d.isCpu ? 'CPU adapter: no datasheet; measured ceilings only' : d.datasheet ? d.datasheet.id : 'no datasheet row'}</td>
      <td>${copy}</td><td>${matmul}</td>
      <td>${ok} ok of ${d.rows.length}</td><td>${d.calls.size} call(s) in ${d.files.length} file(s)</td></tr>`;
  });
  return html`<table class="data"><caption>Devices in these results and their measured ceilings</caption>
    <thead><tr><th>device</th><th>backend</th><th>datasheet</th><th>copy bandwidth (measured)</th><th>best matmul (measured)</th><th>rows</th><th>calls</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

function clocks(c: { smMHz?: number; memMHz?: number; source?: unknown } | undefined): string {
  if (!c) return 'not recorded';
  const parts = [c.smMHz ? `SM ${c.smMHz} MHz` : '', c.memMHz ? `memory ${c.memMHz} MHz` : ''].filter(Boolean).join(', ');
  return `${parts}${typeof c.source === 'string' ? ` (${c.source})` : ''}`;
}

function callsTable(device: ReportDevice): Html {
  const calls = [...device.calls.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const rows = calls.map(
    (c) => html`<tr id="${callAnchor(device.key, c.id)}"><th scope="row">${c.label}</th><td>${c.startedAt}</td><td>${c.commit ?? 'not recorded'}</td>
      <td>${c.command ? html`<code>${c.command}</code>${c.equivalent ? html` <span class="muted">(equivalent: the file recorded no command)</span>` : ''}` : 'not recorded'}</td>
      <td>${c.device.name}</td><td>${c.device.driver}</td><td>${clocks(c.clocks as never)}</td><td>${c.files.join(', ')}</td></tr>`,
  );
  return html`<details class="calls"><summary>${device.name}: ${calls.length} call(s)</summary>
    <table class="data"><caption>Calls that measured on ${device.name}: the provenance of every figure</caption>
    <thead><tr><th>run</th><th>date</th><th>commit</th><th>command</th><th>device</th><th>driver</th><th>clocks</th><th>files</th></tr></thead>
    <tbody>${rows}</tbody></table></details>`;
}

export function devicesSection(model: ReportModel): Html {
  return html`<section id="devices"><h2>Devices and provenance</h2>${datasheetTable()}${measuredTable(model)}
    <h3>Calls</h3>${model.devices.map(callsTable)}
    <details class="inputs"><summary>${model.inputs.length} input file(s)</summary><ul class="muted">${model.inputs.map((f) => html`<li>${f}</li>`)}</ul></details></section>`;
}
