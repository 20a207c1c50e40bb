// Sweep section: per kernel and problem on each device, time against the main tile parameters, the
// distribution of config times, and the top-k table with configs statistically tied with the best.
import { distributionSpec, paramSpec } from '../charts/sweep.ts';
import type { ReportModel } from '../model/report.ts';
import { achievedBandwidth, achievedFlops } from '../model/roofline.ts';
import { configLabel, type Sweep } from '../model/sweeps.ts';
import type { Charts } from './charts.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';

function topK(sweep: Sweep, k: number): Html {
  const rows = sweep.measured.slice(0, k).map(
    ({ row, tiedWithBest }, i) => html`<tr class="${tiedWithBest ? 'tied' : ''}"><td>${i + 1}</td><td>${configLabel(row.config)}</td>
      <td>${fmt.ms(row.medianMs)}</td><td>${row.p10Ms !== undefined ? `${fmt.ms(row.p10Ms)} – ${fmt.ms(row.p90Ms)}` : '—'}</td>
      <td>${row.samplesMs?.length ?? 0}</td><td>${fmt.tflops(achievedFlops(row.flops, row.medianMs))}</td>
      <td>${fmt.bandwidth(achievedBandwidth(row.bytes, row.medianMs))}</td><td>${tiedWithBest ? (i === 0 ? 'best' : 'tied') : ''}</td></tr>`,
  );
  return html`<table class="data"><caption>Top ${Math.min(k, sweep.measured.length)} of ${sweep.measured.length} measured configs
    (tied = not distinguishable from the best by a two-sided Mann-Whitney U test at 5%)</caption>
    <thead><tr><th>#</th><th>config</th><th>median</th><th>p10 – p90</th><th>samples</th><th>TFLOP/s</th><th>GB/s</th><th></th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

function failures(sweep: Sweep): Html {
  const entries = Object.entries(sweep.failures);
  if (entries.length === 0) return html``;
  const first = sweep.rows.find((r) => r.status !== 'ok' && r.error);
  return html`<p class="muted">Not measured: ${entries.map(([s, n]) => `${n} ${s}`).join(', ')}${first ? html` (e.g. ${first.status}: <code>${String(first.error).slice(0, 200)}</code>)` : ''}.</p>`;
}

function sweepPart(sweep: Sweep, model: ReportModel, charts: Charts): Html {
  const title = `${sweep.kernel} ${sweep.problemLabel} on ${sweep.device.info.name}`;
  if (sweep.measured.length === 0) return html`<h3>${title}</h3>${failures(sweep)}<p>No config was measured.</p>`;
  const param = paramSpec(sweep);
  return html`<h3>${title}</h3>${failures(sweep)}
    <div class="row">${param ? charts.add(param, `Best median time against ${sweep.mainParams.join(' and ')} (minimum over the other parameters).`) : ''}
    ${charts.add(distributionSpec(sweep), 'Distribution of config median times.')}</div>
    ${topK(sweep, model.options.topK)}`;
}

export function sweepsSection(model: ReportModel, charts: Charts): Html {
  return html`<section id="sweeps"><h2>Sweeps</h2>${model.sweeps.length === 0 ? html`<p>No sweeps in these results.</p>` : model.sweeps.map((s) => sweepPart(s, model, charts))}</section>`;
}
