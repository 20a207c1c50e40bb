// The report page: the headline first, tables readable without JavaScript, charts as build-time SVG
// that vega-embed (inlined, no network) turns interactive, a CSV button on every table, CPU adapters
// folded below the GPUs. A Content-Security-Policy forbids every fetch.
import type { ReportModel } from '../model/report.ts';
import { Charts, fillSvg } from './charts.ts';
import { costSection } from './cost.ts';
import { devicesSection } from './devices.ts';
import { glanceSection } from './glance.ts';
import { headlineSection } from './headline.ts';
import { html, raw, scriptJson } from './escape.ts';
import { mlaSection } from './mla.ts';
import { rooflineSection } from './roofline.ts';
import { sweepsSection } from './sweeps.ts';
import { vendorScripts } from './vendor.ts';

const style = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1360px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; } h3 { margin-top: 1.8rem; }
table.data { border-collapse: collapse; margin: 0.8rem 0; font-variant-numeric: tabular-nums; }
table.data caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
table.data th, table.data td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
table.data thead th { background: #f4f4f4; }
tr.tied td { background: #eaf6f0; }
.muted { color: #666; font-size: 0.9em; }
.row { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure.chart { margin: 0.8rem 0; } figcaption { color: #555; font-size: 0.9em; }
ol.sources { font-size: 0.85em; color: #555; }
nav a { margin-right: 1rem; }
table.headline td, table.headline th { white-space: nowrap; } td.other { color: #888; }
td.loss, span.loss { color: #b2182b; font-weight: 600; } td.win { color: #1a7d3c; }
tr.lost th { border-left: 3px solid #b2182b; } tr.over td { color: #777; }
details { margin: 0.4rem 0; } details > summary { cursor: pointer; } details.cpu { border-top: 1px dashed #bbb; padding-top: 0.4rem; }
p.command code { display: inline-block; margin: 0.15rem 0; } button.csv { font-size: 0.8em; margin-left: 0.6rem; }
:target { outline: 2px solid #e6ab02; }
`;

// Each table gets a button that saves it as CSV (cells as shown, header rows first), built from the
// DOM on click: no copy of the data travels in the page.
const csvScript = `
(function () {
  function cell(text) { var t = text.replace(/\\s+/g, ' ').trim(); return /[",\\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t; }
  Array.prototype.forEach.call(document.querySelectorAll('table.data'), function (table, i) {
    var caption = table.querySelector('caption');
    var button = document.createElement('button');
    button.className = 'csv';
    button.type = 'button';
    button.textContent = 'CSV';
    button.addEventListener('click', function () {
      var lines = Array.prototype.map.call(table.querySelectorAll('tr'), function (tr) {
        // Footnote marks (<sup>) are the sources' numbers, not part of the figure.
        return Array.prototype.map.call(tr.children, function (c) {
          var copy = c.cloneNode(true);
          Array.prototype.forEach.call(copy.querySelectorAll('sup'), function (n) { n.remove(); });
          return cell(copy.textContent || '');
        }).join(',');
      });
      var a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([lines.join('\\n') + '\\n'], { type: 'text/csv' }));
      a.download = 'tilesweep-table-' + (i + 1) + '.csv';
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 0);
    });
    (caption || table).appendChild(button);
  });
})();
`;

const embedScript = `
(function () {
  var specs = JSON.parse(document.getElementById('tilesweep-specs').textContent);
  var nodes = document.querySelectorAll('[data-chart]');
  Array.prototype.forEach.call(nodes, function (node) {
    var id = node.getAttribute('data-chart');
    var holder = document.createElement('div');
    vegaEmbed(holder, specs[id], { renderer: 'svg', actions: false })
      .then(function (result) {
        // A mark whose datum names a row ("#id") takes the reader to that row of a table.
        result.view.addEventListener('click', function (event, item) {
          var href = item && item.datum && item.datum.href;
          if (typeof href === 'string' && href.charAt(0) === '#' && document.getElementById(href.slice(1))) location.hash = href;
        });
        node.replaceChildren(holder);
        node.setAttribute('data-rendered', 'interactive');
      })
      .catch(function (error) { node.setAttribute('data-rendered', 'static'); console.error('chart ' + id + ': ' + error); });
  });
})();
`;

const csp = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

export async function renderPage(model: ReportModel): Promise<string> {
  const charts = new Charts();
  const gpus = model.devices.filter((d) => !d.isCpu).map((d) => d.name).join(', ') || 'none';
  const cpus = model.devices.filter((d) => d.isCpu).map((d) => d.name).join(', ');
  const calls = model.devices.reduce((n, d) => n + d.calls.size, 0);
  const body = html`<header><h1>tilesweep report</h1>
    <p>GPUs: ${gpus}${cpus ? html`; CPU adapters (folded below): ${cpus}` : ''}. ${calls} call(s) in ${model.inputs.length} file(s), listed under <a href="#devices">Devices and provenance</a>.</p>
    <nav><a href="#headline">Headline</a><a href="#glance">At a glance</a><a href="#roofline">Roofline</a><a href="#sweeps">Sweeps</a><a href="#mla">MLA vs MHA</a><a href="#cost">Cost model</a><a href="#devices">Devices and provenance</a></nav>
    <noscript><p class="muted">JavaScript is off: charts are static pictures; every figure is in the tables.</p></noscript></header>
    ${headlineSection(model, charts)}${glanceSection(model)}${rooflineSection(model, charts)}${sweepsSection(model, charts)}${mlaSection(model, charts)}${costSection(model)}${devicesSection(model)}`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${raw(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tilesweep report</title><style>${raw(style)}</style></head>
<body>${body}
<script type="application/json" id="tilesweep-specs">${scriptJson(Object.fromEntries(charts.specs))}</script>
${vendorScripts().map((source) => html`<script>${raw(source)}</script>`)}
<script>${raw(embedScript + csvScript)}</script>
</body></html>
`;
  return fillSvg(page.text, charts);
}
