// Roofline section: one chart per device and a table of each kernel and problem's best config with
// its percent of the roof that binds it (datasheet and measured).
import { rooflineSpec } from '../charts/roofline.ts';
import type { RoofVerdict } from '../model/points.ts';
import type { ReportModel } from '../model/report.ts';
import { configLabel } from '../model/sweeps.ts';
import type { Charts } from './charts.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';

const verdictCell = (v: RoofVerdict | undefined) =>
  v ? html`<td>${fmt.pct(v.fraction)} <span class="muted">${v.bound}-bound</span></td>` : html`<td>—</td>`;

function peersTable(model: ReportModel): Html {
  if (model.peers.length === 0) return html``;
  const rows = model.peers.map(
    (p) => html`<tr><td>${p.device.info.name}</td><td>${p.row.role}</td><td>${p.row.kernel}</td><td>${p.problemLabel}</td>
      <td>${configLabel(p.row.config)}</td><td>${fmt.ms(p.row.medianMs)}</td><td>${fmt.tflops(p.rate)}</td>
      <td>${p.best ? fmt.ms(p.best.medianMs) : '—'}</td><td>${p.speedup !== undefined ? `${p.speedup.toFixed(2)}x` : '—'}</td></tr>`,
  );
  return html`<h3>Baselines and peers</h3><table class="data"><caption>Measured in the same results: tuned best against each baseline or peer (speed-up above 1: the tuned kernel is faster)</caption>
    <thead><tr><th>device</th><th>role</th><th>kernel</th><th>problem</th><th>config</th><th>median</th><th>rate</th><th>best tuned median</th><th>speed-up</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

export function rooflineSection(model: ReportModel, charts: Charts): Html {
  const parts = model.devices.map((device) => {
    const points = model.points.filter((p) => p.deviceKey === device.key);
    if (points.length === 0) return html`<h3>${device.info.name}</h3><p>No measured rows.</p>`;
    const best = points.filter((p) => p.best);
    const rows = best.map(
      (p) => html`<tr><td>${p.kernel}</td><td>${p.problemLabel}</td><td>${p.configLabel}</td><td>${p.precision}</td>
        <td>${fmt.intensity(p.intensity)}</td><td>${fmt.ms(p.medianMs)}</td><td>${fmt.tflops(p.achieved)}</td>
        ${verdictCell(p.datasheet)}${verdictCell(p.measured)}</tr>`,
    );
    return html`<h3>${device.info.name} <span class="muted">(${device.info.backend})</span></h3>
      ${charts.add(rooflineSpec(device, points, model.peers.filter((p) => p.device === device)), `Roofline of ${device.info.name}: ${points.length} measured configs; solid lines are datasheet roofs, dashed the measured one; crosses are baselines and peers.`)}
      <table class="data"><caption>Best config of each kernel and problem, as a percent of the roof that binds it</caption>
      <thead><tr><th>kernel</th><th>problem</th><th>config</th><th>precision</th><th>FLOP/byte</th><th>median</th><th>achieved</th><th>of datasheet roof</th><th>of measured roof</th></tr></thead>
      <tbody>${rows}</tbody></table>`;
  });
  return html`<section id="roofline"><h2>Roofline</h2>
    <p>Intensity counts compulsory DRAM traffic (every input read once, every output written once).
    WebGPU kernels are judged against the FP32 peak (WGSL has no FP8 or tensor-core type); CUDA GEMMs against FP8, decode kernels against BF16.</p>
    ${parts}${peersTable(model)}</section>`;
}
