// Roofline section: one chart per device and a table of each kernel and problem's best config with
// its percent of the roof that binds it (datasheet and measured).
import { rooflineSpec } from '../charts/roofline.ts';
import type { RoofVerdict } from '../model/points.ts';
import type { ReportModel } from '../model/report.ts';
import type { Charts } from './charts.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';

const verdictCell = (v: RoofVerdict | undefined) =>
  v ? html`<td>${fmt.pct(v.fraction)} <span class="muted">${v.bound}-bound</span></td>` : html`<td>—</td>`;

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
      ${charts.add(rooflineSpec(device, points), `Roofline of ${device.info.name}: ${points.length} measured configs; solid lines are datasheet roofs, dashed the measured one.`)}
      <table class="data"><caption>Best config of each kernel and problem, as a percent of the roof that binds it</caption>
      <thead><tr><th>kernel</th><th>problem</th><th>config</th><th>precision</th><th>FLOP/byte</th><th>median</th><th>achieved</th><th>of datasheet roof</th><th>of measured roof</th></tr></thead>
      <tbody>${rows}</tbody></table>`;
  });
  return html`<section id="roofline"><h2>Roofline</h2>
    <p>Intensity counts compulsory DRAM traffic (every input read once, every output written once).
    WebGPU kernels are judged against the FP32 peak (WGSL has no FP8 or tensor-core type); CUDA GEMMs against FP8, decode kernels against BF16.</p>
    ${parts}</section>`;
}
