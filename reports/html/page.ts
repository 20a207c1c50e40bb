// The report page: tables readable without JavaScript, charts as build-time SVG that vega-embed
// (inlined, no network) turns interactive. A Content-Security-Policy forbids every fetch.
import type { ReportModel } from '../model/report.ts';
import { Charts, fillSvg } from './charts.ts';
import { costSection } from './cost.ts';
import { devicesSection } from './devices.ts';
import { headlineSection } from './headline.ts';
import { html, raw, scriptJson } from './escape.ts';
import { mlaSection } from './mla.ts';
import { rooflineSection } from './roofline.ts';
import { sweepsSection } from './sweeps.ts';
import { vendorScripts } from './vendor.ts';

const style = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
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
`;

const embedScript = `
(function () {
  var specs = JSON.parse(document.getElementById('tilesweep-specs').textContent);
  var nodes = document.querySelectorAll('[data-chart]');
  Array.prototype.forEach.call(nodes, function (node) {
    var id = node.getAttribute('data-chart');
    var holder = document.createElement('div');
    vegaEmbed(holder, specs[id], { renderer: 'svg', actions: false })
      .then(function () { node.replaceChildren(holder); node.setAttribute('data-rendered', 'interactive'); })
      .catch(function (error) { node.setAttribute('data-rendered', 'static'); console.error('chart ' + id + ': ' + error); });
  });
})();
`;

const csp = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

export async function renderPage(model: ReportModel): Promise<string> {
  const charts = new Charts();
  const devices = model.devices.map((d) => d.info.name).join(', ') || 'no devices';
  const body = html`<header><h1>tilesweep report</h1>
    <p>${model.inputs.length} results file(s): ${model.inputs.join(', ')}. Devices: ${devices}.</p>
    <nav><a href="#summary">Summary</a><a href="#devices">Devices</a><a href="#roofline">Roofline</a><a href="#sweeps">Sweeps</a><a href="#mla">MLA vs MHA</a><a href="#cost">Cost model</a></nav>
    <noscript><p class="muted">JavaScript is off: charts are static pictures; every figure is in the tables.</p></noscript></header>
    ${headlineSection(model)}${devicesSection(model)}${rooflineSection(model, charts)}${sweepsSection(model, charts)}${mlaSection(model, charts)}${costSection(model)}`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${raw(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tilesweep report</title><style>${raw(style)}</style></head>
<body>${body}
<script type="application/json" id="tilesweep-specs">${scriptJson(Object.fromEntries(charts.specs))}</script>
${vendorScripts().map((source) => html`<script>${raw(source)}</script>`)}
<script>${raw(embedScript)}</script>
</body></html>
`;
  return fillSvg(page.text, charts);
}
