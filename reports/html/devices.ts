// Device section: the datasheet table (dense peaks with sources) and the ceilings measured on each
// device found in the results.
import { datasheet } from '../devices/peaks.ts';
import type { ReportModel } from '../model/report.ts';
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

function measuredTable(model: ReportModel): Html {
  const rows = model.devices.map((d) => {
    const ok = d.rows.filter((r) => r.status === 'ok').length;
    const matmul = d.matmul
      ? html`${fmt.tflops(d.matmul.value)} <span class="muted">(${d.matmul.row.kernel} ${problemLabel(d.matmul.row.problem)}; ${configLabel(d.matmul.row.config)})</span>`
      : 'no matmul measured';
    return html`<tr><th scope="row">${d.info.name}</th><td>${d.info.backend}</td>
      <td>${d.isCpu ? 'CPU adapter: no datasheet; measured ceilings only' : d.datasheet ? d.datasheet.id : 'no datasheet row'}</td>
      <td>${d.copy ? fmt.bandwidth(d.copy.value) : 'not measured'}</td><td>${matmul}</td>
      <td>${ok} ok of ${d.rows.length}</td><td>${d.files.join(', ')}</td></tr>`;
  });
  return html`<table class="data"><caption>Devices in these results and their measured ceilings</caption>
    <thead><tr><th>device</th><th>backend</th><th>datasheet</th><th>copy bandwidth (measured)</th><th>best matmul (measured)</th><th>rows</th><th>files</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

export function devicesSection(model: ReportModel): Html {
  return html`<section id="devices"><h2>Devices</h2>${datasheetTable()}${measuredTable(model)}</section>`;
}
