// Roofline section: one chart per device and a table of each kernel and problem's best config with
// its percent of the roof that binds it (datasheet and measured). CPU adapters are folded below.
import { rooflineSpec } from '../charts/roofline.ts';
import { sweepAnchor } from '../model/anchors.ts';
import type { ReportDevice } from '../model/devices.ts';
import { measuredMemorySide, type RoofVerdict } from '../model/points.ts';
import type { ReportModel } from '../model/report.ts';
import { shortShape } from '../model/sweeps.ts';
import { callLink } from './call-link.ts';
import type { Charts } from './charts.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';

const verdictCell = (v: RoofVerdict | undefined) =>
  v ? html`<td>${fmt.pct(v.fraction)} <span class="muted">${v.bound}-bound</span></td>` : html`<td>—</td>`;

const memoryNote: Record<ReturnType<typeof measuredMemorySide>, string> = {
  measured: 'measured roof: best matmul and copy bandwidth, both measured here',
  datasheet: 'measured roof: best matmul measured here; its memory side is the datasheet bandwidth (no copy was measured on this device)',
  absent: 'measured roof: best matmul only; the memory side is absent (no copy was measured and there is no datasheet)',
};

function devicePart(model: ReportModel, device: ReportDevice, charts: Charts, allPeers: readonly string[]): Html {
  const points = model.points.filter((p) => p.deviceKey === device.key);
  if (points.length === 0) return html`<h3>${device.name}</h3><p>No measured rows.</p>`;
  const best = points.filter((p) => p.best);
  const peers = model.peers.filter((p) => p.device === device);
  const rows = best.map(
    (p) => html`<tr><td>${p.kernel}</td><td><a href="#${sweepAnchor(device.key, p.kernel, p.problemLabel)}">${shortShape(p.problemLabel, p.problem)}</a></td><td>${p.configLabel}</td><td>${p.precision}</td>
      <td>${fmt.intensity(p.intensity)}</td><td>${fmt.ms(p.medianMs)}</td><td>${fmt.tflops(p.achieved)}</td>
      ${verdictCell(p.datasheet)}${verdictCell(p.measured)}<td>${callLink(device, p.call)}</td></tr>`,
  );
  return html`<h3>${device.name} <span class="muted">(${device.info.backend})</span></h3>
    ${charts.add(
      rooflineSpec(device, points, peers, allPeers),
      `Roofline of ${device.name}: the top ${model.options.topK} configs of each shape (large: the best, labelled) and the peers' rows (crosses), one colour per library. ${device.datasheet ? `Datasheet roofs: ${device.datasheet.id}, per precision present.` : 'No datasheet row.'} ${device.matmul ? `${memoryNote[measuredMemorySide(device)]}.` : 'No measured roof.'} A point links to its table row.`,
    )}
    <table class="data"><caption>Best config of each kernel and problem, as a percent of the roof that binds it</caption>
    <thead><tr><th>kernel</th><th>problem</th><th>config</th><th>precision</th><th>FLOP/byte</th><th>median</th><th>achieved</th><th>of datasheet roof</th><th>of measured roof</th><th>call</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

export function rooflineSection(model: ReportModel, charts: Charts): Html {
  const allPeers = [...new Set(model.headline.flatMap((t) => t.peers))];
  const gpu = model.devices.filter((d) => !d.isCpu);
  const cpu = model.devices.filter((d) => d.isCpu);
  return html`<section id="roofline"><h2>Roofline</h2>
    <p>Intensity counts compulsory DRAM traffic (every input read once, every output written once) in each row's own element types,
    recounted from its problem: our CUDA GEMM and the FP8 peers write BF16 (2 bytes), the WGSL GEMM f32 (4), cuBLAS BF16 reads BF16 operands.
    WebGPU kernels are judged against the FP32 peak (WGSL has no FP8 or tensor-core type); CUDA FP8 GEMMs against FP8, BF16 peers and decode kernels against BF16.</p>
    ${gpu.map((d) => devicePart(model, d, charts, allPeers))}
    ${cpu.length ? html`<details class="cpu"><summary>CPU adapters: ${cpu.map((d) => d.name).join(', ')}</summary>${cpu.map((d) => devicePart(model, d, charts, allPeers))}</details>` : ''}
    </section>`;
}
