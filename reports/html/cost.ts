// Cost model section: DeepSeek-V3's reported training budget and the utilization it implies, next to
// the H800 GPU-hours that the measured (or roofline-projected) GEMM rates would give.
import { h800 } from '../model/cost.ts';
import type { ReportModel } from '../model/report.ts';
import { callLink } from './call-link.ts';
import { html, type Html } from './escape.ts';
import { shortShape } from '../model/sweeps.ts';
import { fmt } from './format.ts';

function referenceTable(model: ReportModel): Html {
  const t = model.training;
  return html`<table class="data"><caption>DeepSeek-V3 training budget (technical report, Table 1), H800 GPU-hours</caption>
    <tbody>
    <tr><th scope="row">Pre-training, ${t.tokens / 1e12}T tokens</th><td>${fmt.kHours(t.pretrainGpuHours)}</td></tr>
    <tr><th scope="row">Total (with context extension and post-training)</th><td>${fmt.kHours(t.totalGpuHours)}</td></tr>
    <tr><th scope="row">Total at $${t.dollarsPerGpuHour}/GPU-hour</th><td>${fmt.dollars(t.totalDollars)}</td></tr>
    <tr><th scope="row">Pre-training FLOPs, 6 x 37B active x ${t.tokens / 1e12}T tokens</th><td>${t.flops.toExponential(4)}</td></tr>
    <tr><th scope="row">Utilization implied, of H800 dense FP8 peak</th><td>${fmt.pct(t.utilizationFp8)}</td></tr>
    <tr><th scope="row">Utilization implied, of H800 dense BF16 peak</th><td>${fmt.pct(t.utilizationBf16)}</td></tr>
    </tbody></table>
    <p class="muted">6·N·D counts the dense matmul work only (attention scores and the MTP module are left out), so the implied utilization is a lower bound.
    The "${(t.misquotedGpuHours / 1e3).toFixed(1)}k GPU-hours" found in secondary sources is the report's ${fmt.kHours(t.totalGpuHours)} divided by ten: a 10x error.</p>`;
}

function gemmTable(model: ReportModel): Html {
  const peak = h800().fp8.value;
  if (model.gemms.length === 0) {
    return html`<p>No GEMM rows measured on a GPU with a datasheet row; CPU adapters are not projected to a GPU.</p>`;
  }
  const reported = model.training.pretrainGpuHours;
  const rows = model.gemms.map(
    (g) => html`<tr class="${g.pretrainGpuHours > reported ? 'over' : ''}"><td>${g.sweep.device.name}</td><td>${g.sweep.kernel}</td><td>${shortShape(g.sweep.problemLabel, g.sweep.problem)}</td><td>${g.precision}</td>
      <td>${fmt.tflops(g.sourceRate)}</td><td>${g.bound}</td><td><strong>${g.basis}</strong></td><td>${fmt.tflops(g.h800Rate)}</td>
      <td>${fmt.pct(g.h800Rate / peak)}</td><td>${fmt.kHours(g.pretrainGpuHours)}${g.pretrainGpuHours > reported ? html` <span class="muted">(above the report's)</span>` : ''}</td>
      <td>${callLink(g.sweep.device, g.sweep.measured[0]?.row.call)}</td></tr>`,
  );
  const below = model.gemms.filter((g) => g.pretrainGpuHours <= reported).length;
  return html`<table class="data"><caption>H800 GPU-hours for DeepSeek-V3's pre-training FLOPs if every FLOP ran at one GEMM shape's best rate</caption>
    <thead><tr><th>measured on</th><th>kernel</th><th>problem</th><th>precision</th><th>rate there (measured)</th><th>bound</th><th>H800 basis</th><th>H800 rate</th><th>of H800 FP8 peak</th><th>pre-training GPU-hours</th><th>call</th></tr></thead>
    <tbody>${rows}</tbody></table>
    <p class="muted">Projected rows scale compute-bound kernels by the FP8/BF16/FP32 peak ratio and memory-bound ones by the HBM bandwidth ratio (datasheet figures),
    the bound decided at the row's intensity in its own element types.
    Each row is what the FLOPs alone would take at that one shape's rate. Where a row is below the report's ${fmt.kHours(reported)} (${below} of ${model.gemms.length} here),
    the difference is the time a real step spends outside such GEMMs (attention, communication, pipeline bubbles); a row above it is a shape
    slower than the training's average GEMM (small M: decode-sized), not a bound on the budget.</p>`;
}

export function costSection(model: ReportModel): Html {
  return html`<section id="cost"><h2>Cost model</h2>${referenceTable(model)}${gemmTable(model)}</section>`;
}
