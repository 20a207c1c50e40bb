// Sweep section, per device and kernel: how the calls converged (best so far against configs
// measured, per strategy), how much each tile parameter matters, and an index of the shapes; each
// shape's heatmap and top-k table (configs merged across calls, ties with the best marked) folded
// under its index row. CPU adapters are folded below the GPUs.
import { paramSpec } from '../charts/sweep.ts';
import { convergenceSpec, sensitivitySpec } from '../charts/tuning.ts';
import { sweepAnchor } from '../model/anchors.ts';
import type { ReportDevice } from '../model/devices.ts';
import { sensitivityKey, type ReportModel } from '../model/report.ts';
import { achievedBandwidth, achievedFlops } from '../model/roofline.ts';
import { configLabel, shortShape, type Sweep } from '../model/sweeps.ts';
import { callLink } from './call-link.ts';
import type { Charts } from './charts.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';

function topK(sweep: Sweep, k: number): Html {
  const device = sweep.device;
  const rows = sweep.measured.slice(0, k).map(({ row, tiedWithBest, calls }, i) => {
    const call = device.calls.get(String(row.call));
    return html`<tr class="${tiedWithBest ? 'tied' : ''}"><td>${i + 1}</td><td>${configLabel(row.config)}</td>
      <td>${fmt.ms(row.medianMs)}</td><td>${row.p10Ms !== undefined ? `${fmt.ms(row.p10Ms)} – ${fmt.ms(row.p90Ms)}` : '—'}</td>
      <td>${row.samplesMs?.length ?? 0}</td><td>${fmt.tflops(achievedFlops(row.flops, row.medianMs))}</td>
      <td>${fmt.bandwidth(achievedBandwidth(row.bytes, row.medianMs))}</td><td>${tiedWithBest ? (i === 0 ? 'best' : 'tied') : ''}</td>
      <td>${callLink(device, call?.id)}${calls > 1 ? html` <span class="muted">(fastest of ${calls} calls)</span>` : ''}</td></tr>`;
  });
  return html`<table class="data"><caption>Top ${Math.min(k, sweep.measured.length)} of ${sweep.measured.length} distinct configs measured
    (tied = not distinguishable from the best by a two-sided Mann-Whitney U test at 5%; a config measured in several calls is shown once, at its fastest call)</caption>
    <thead><tr><th>#</th><th>config</th><th>median</th><th>p10 – p90</th><th>samples</th><th>TFLOP/s</th><th>GB/s</th><th></th><th>call</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

function failures(sweep: Sweep): Html {
  const entries = Object.entries(sweep.failures);
  if (entries.length === 0) return html``;
  const first = sweep.rows.find((r) => r.status !== 'ok' && r.error);
  return html`<p class="muted">Not measured: ${entries.map(([s, n]) => `${n} ${s}`).join(', ')}${first ? html` (e.g. ${first.status}: <code>${String(first.error).slice(0, 200)}</code>)` : ''}.</p>`;
}

function sweepDetails(sweep: Sweep, model: ReportModel, charts: Charts): Html {
  const best = sweep.measured[0]?.row;
  const shape = shortShape(sweep.problemLabel, sweep.problem);
  const summary = best
    ? html`${shape}: best ${fmt.ms(best.medianMs)}, ${fmt.tflops(achievedFlops(best.flops, best.medianMs))} over ${sweep.measured.length} configs`
    : html`${shape}: no config measured`;
  const param = best ? paramSpec(sweep) : undefined;
  return html`<details id="${sweepAnchor(sweep.device.key, sweep.kernel, sweep.problemLabel)}" class="sweep"><summary>${summary}</summary>${failures(sweep)}
    ${param ? charts.add(param, `Best median time against ${sweep.mainParams.join(' and ')} (minimum over the other parameters).`) : ''}
    ${best ? topK(sweep, model.options.topK) : ''}</details>`;
}

/** The analytic model's ranking against the measured times, one row per shape it could price. */
function modelFitTable(sweeps: readonly Sweep[], model: ReportModel): Html {
  const fits = sweeps.flatMap((s) => {
    const fit = model.modelFit.get(s);
    return fit ? [{ s, fit }] : [];
  });
  if (fits.length === 0) return html``;
  const rows = fits.map(({ s, fit }) => html`<tr><td>${shortShape(s.problemLabel, s.problem)}</td><td>${fit.configs}</td>
    <td>${Number.isFinite(fit.spearman) ? fit.spearman.toFixed(2) : '—'}</td><td>${fit.medianErrorPct.toFixed(0)}%</td><td>${fit.firstChoiceLossPct.toFixed(1)}%</td></tr>`);
  return html`<details class="model-fit"><summary>Analytic model against what was measured (${fits.length} shape(s))</summary>
    <table class="data"><caption>The family's model ranks configs before any is measured (the candidates' order, --strategy model's prior).
    Spearman ρ of estimate and measured time (1: every pair in the right order); median error after one scale per shape is fitted
    (model units are not milliseconds); first-choice loss: how much slower the model's fastest config measured than the best, in the call with the most configs.</caption>
    <thead><tr><th>shape</th><th>configs</th><th>ρ</th><th>median error</th><th>first-choice loss</th></tr></thead>
    <tbody>${rows}</tbody></table></details>`;
}

function groupPart(device: ReportDevice, kernel: string, sweeps: readonly Sweep[], model: ReportModel, charts: Charts): Html {
  const sensitivity = model.sensitivity.get(sensitivityKey(device.key, kernel)) ?? [];
  const converging = sweeps.some((s) => s.convergence.some((c) => c.points.length > 1));
  return html`<h3>${kernel} on ${device.name} <span class="muted">(${sweeps.length} shape(s))</span></h3>
    <div class="row">${converging ? charts.add(convergenceSpec(sweeps, device.calls), 'Tuning convergence: best median so far against configs measured, one line per call and shape, coloured by strategy (relative to the final best).') : ''}
    ${sensitivity.length ? charts.add(sensitivitySpec(sensitivity), 'Parameter sensitivity: how much slower the best config is when a parameter is held at a value (0% = that value costs nothing), geometric mean over shapes.') : ''}</div>
    ${modelFitTable(sweeps, model)}${sweeps.map((s) => sweepDetails(s, model, charts))}`;
}

function devicePart(device: ReportDevice, model: ReportModel, charts: Charts): Html {
  const mine = model.sweeps.filter((s) => s.device === device);
  const kernels = [...new Set(mine.map((s) => s.kernel))];
  return html`${kernels.map((k) => groupPart(device, k, mine.filter((s) => s.kernel === k), model, charts))}`;
}

export function sweepsSection(model: ReportModel, charts: Charts): Html {
  if (model.sweeps.length === 0) return html`<section id="sweeps"><h2>Sweeps</h2><p>No sweeps in these results.</p></section>`;
  const withSweeps = model.devices.filter((d) => model.sweeps.some((s) => s.device === d));
  const gpu = withSweeps.filter((d) => !d.isCpu);
  const cpu = withSweeps.filter((d) => d.isCpu);
  return html`<section id="sweeps"><h2>Sweeps</h2><p class="muted">Each shape's heatmap and top configs are folded under its line; open one to see them.</p>
    ${gpu.map((d) => devicePart(d, model, charts))}
    ${cpu.length ? html`<details class="cpu"><summary>CPU adapters: ${cpu.map((d) => d.name).join(', ')}</summary>${cpu.map((d) => devicePart(d, model, charts))}</details>` : ''}</section>`;
}
