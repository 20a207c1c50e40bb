// The headline, first on the page: per device and kernel family, per shape, ours against each peer.
// A ratio appears only where both were measured in one call (with its rounds and spread); a peer
// measured only in another call stands beside ours, labelled so, without a ratio. Shapes where a peer
// is faster are marked. Under each table: the calls the ratios come from and the command that
// reproduces a row.
import { headlineSpec } from '../charts/headline.ts';
import { headlineAnchor } from '../model/anchors.ts';
import { commandFor } from '../model/calls.ts';
import type { HeadlineCell, HeadlineShape, HeadlineTable } from '../model/headline.ts';
import type { SameCallComparison } from '../model/same-call.ts';
import type { ReportModel } from '../model/report.ts';
import { problemLabel, shortShape } from '../model/sweeps.ts';
import { callLink } from './call-link.ts';
import type { Charts } from './charts.ts';
import { html, type Html } from './escape.ts';

const rate = (flops: number, ms: number | undefined) => (ms ? (flops / (ms / 1e3) / 1e12).toFixed(1) : '—');

/** The ratio's evidence: interleaved rounds and the range of the per-round ratios, or one median each. */
export function evidenceText(c: SameCallComparison): string {
  const range = c.spread ? ` ${c.spread.min.toFixed(3)}–${c.spread.max.toFixed(3)}` : '';
  return c.basis === 'interleaved' ? `${c.rounds} rounds${range}` : `medians${range}`;
}

const viaText = (via: string | undefined) => (via?.startsWith('torch') ? ' via torch' : '');

function cellHtml(t: HeadlineTable, shape: HeadlineShape, cell: HeadlineCell): Html {
  const c = cell.same;
  if (c) {
    const loss = c.ratio < 1;
    return html`<td>${rate(shape.flops, c.peerMs)}</td><td class="${loss ? 'loss' : 'win'}">${loss ? '▼ ' : ''}<b>${c.ratio.toFixed(3)}x</b>
      <small class="muted">${evidenceText(c)}${viaText(c.via)} · ${callLink(t.device, c.call)}</small></td>`;
  }
  if (cell.other) {
    return html`<td class="other">${rate(shape.flops, cell.other.peerMs)}</td><td class="muted"><small>other call, no ratio · ${callLink(t.device, cell.other.call)}</small></td>`;
  }
  return html`<td>—</td><td class="muted"><small>not measured</small></td>`;
}

function tableHtml(t: HeadlineTable, charts: Charts, allPeers: readonly string[]): Html {
  const head = t.peers.map((p) => html`<th colspan="2">${p}</th>`);
  const sub = t.peers.map(() => html`<th>TFLOP/s</th><th>ours ÷ peer time <span class="muted">(evidence · call)</span></th>`);
  const rows = t.shapes.map((s) => {
    const label = problemLabel(s.problem);
    const first = s.cells.find((c) => c.same)?.same;
    const oursMs = first?.oursMs ?? s.ours?.ms;
    const lost = s.cells.some((c) => c.same && c.same.ratio < 1);
    return html`<tr id="${headlineAnchor(t.device.key, t.kernel, label)}" class="${lost ? 'lost' : ''}"><th scope="row">${shortShape(label, s.problem)}</th>
      <td>${rate(s.flops, oursMs)}</td>${s.cells.map((c) => cellHtml(t, s, c))}</tr>`;
  });
  const geo = t.geomeans.map((g) =>
    g.ratio !== undefined
      ? html`<td colspan="2"><b>${g.ratio.toFixed(3)}x</b> <small>over ${g.compared} shape(s)${g.calls > 1 ? `, from ${g.calls} calls` : ''}</small>${g.losses ? html` <span class="loss">▼ slower on ${g.losses}</span>` : ''}</td>`
      : html`<td colspan="2" class="muted"><small>no same-call ratio</small></td>`,
  );
  const commands = [...new Set(t.calls.map((c) => c.command).filter((c): c is string => c !== undefined))];
  const equivalent = t.calls.some((c) => c.equivalent && c.command);
  const example = t.shapes[0] ? commandFor(t.calls.find((c) => c.command), t.shapes[0].problem) : undefined;
  return html`<h3>${t.device.name}: ${t.kernel}</h3>
    <table class="data headline"><caption>Ours against each peer per shape, TFLOP/s; a ratio only between rows of one call (above 1: ours is faster; ▼ the peer is faster)</caption>
    <thead><tr><th rowspan="2">shape</th><th rowspan="2">ours<br>TFLOP/s</th>${head}</tr><tr>${sub}</tr></thead>
    <tbody>${rows}</tbody>
    <tfoot><tr><th scope="row" colspan="2">geometric mean</th>${geo}</tr></tfoot></table>
    <p class="muted">Ours is the best config of the call the ratio comes from (for the first peer with a ratio; each ratio is against ours in its own call).
    "N rounds a–b": ours and the peer timed alternately in N rounds on the same buffers, ratio of the rounds' medians, a–b the per-round range; "medians": one median each from the same call (a–b: the peer measured more than once in it, fastest and slowest).
    Pale bars and grey figures: a peer measured only in other calls, shown beside ours without a ratio.</p>
    ${charts.add(headlineSpec(t, allPeers), `TFLOP/s per shape on ${t.device.name}; pale bars are peers measured in another call (side by side, not compared). A bar links to its row.`)}
    ${
      commands.length
        ? html`<p class="command">${equivalent ? 'Equivalent command (these files recorded none; one call per shape, with the row\'s preset)' : 'Reproduce'}: ${commands.map((c) => html`<code>${c}</code> `)}${
            example && equivalent ? html`<br><span class="muted">e.g. <code>${example}</code></span>` : ''
          }</p>`
        : ''
    }`;
}

export function headlineSection(model: ReportModel, charts: Charts): Html {
  const allPeers = [...new Set(model.headline.flatMap((t) => t.peers))];
  const gpu = model.headline.filter((t) => !t.device.isCpu);
  const cpu = model.headline.filter((t) => t.device.isCpu);
  return html`<section id="headline"><h2>Headline: ours against the peers</h2>
    ${gpu.length ? gpu.map((t) => tableHtml(t, charts, allPeers)) : html`<p>No GPU results with a peer or baseline.</p>`}
    ${cpu.length ? html`<details class="cpu"><summary>CPU adapters (${cpu.length} table(s)): software rasterizers, not GPUs</summary>${cpu.map((t) => tableHtml(t, charts, allPeers))}</details>` : ''}
    </section>`;
}
