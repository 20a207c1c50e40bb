// MLA versus MHA (and GQA, MQA): KV-cache bytes, the batch that fits, and the measured decode rate
// and cost per million tokens.
import { decodeSpec, kvBytesSpec } from '../charts/mla.ts';
import { deepseekV3 } from '../model/kv-cache.ts';
import type { ReportModel } from '../model/report.ts';
import { callLink } from './call-link.ts';
import type { Charts } from './charts.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';
import { mlaVersusMhaTables } from './mla-versus-mha.ts';

function kvTable(model: ReportModel): Html {
  const head = (model.kv[0]?.fits ?? []).map(
    (fit) => html`<th>batch per ${fit.gpu}<br><span class="muted">${fit.gpus}-GPU instance, ${fmt.gb(fit.budgetBytes)} KV per GPU</span></th>`,
  );
  const rows = model.kv.map(
    (r) => html`<tr><th scope="row">${r.shape.kind}</th><td>${r.shape.detail}</td><td>${fmt.int(r.shape.elementsPerTokenPerLayer)}</td>
      <td>${fmt.bytes(r.bytesPerTokenPerLayer)}</td><td>${fmt.bytes(r.bytesPerToken)}</td>
      ${r.fits.map((f) => html`<td>${fmt.int(f.batch)}</td>`)}</tr>`,
  );
  return html`<table class="data"><caption>KV cache of DeepSeek-V3's dimensions in BF16 (${deepseekV3.layers} layers) and the largest batch per GPU at ${fmt.int(model.options.context)} tokens of context</caption>
    <thead><tr><th>attention</th><th>cached per layer</th><th>elements / token / layer</th><th>bytes / token / layer</th><th>bytes / token (model)</th>${head}</tr></thead>
    <tbody>${rows}</tbody></table>
    <p class="muted">Batch per GPU: ${fmt.gb(deepseekV3.weightBytes)} of FP8 weights spread over the smallest power-of-two instance whose weight share fills at most 3/4 of each GPU; the rest of each GPU's memory holds KV cache spread over the instance (data-parallel attention); activations are not counted. GQA with 8 groups is illustrative; DeepSeek-V3 uses MLA.</p>`;
}

function decodeTable(model: ReportModel): Html {
  if (model.decode.length === 0) {
    return html`<p>No mla-decode or mha-decode rows were measured in these results.</p>`;
  }
  const rows = model.decode.filter((d) => !d.sweep.device.isCpu).map(
    (d) => html`<tr><td>${d.sweep.device.name}</td><td>${d.attention.kind} <span class="muted">${d.attention.detail}; ${d.sweep.kernel}</span></td><td>${d.sweep.problemLabel}</td>
      <td>${fmt.ms(d.layerMs)}</td><td>${fmt.ms(d.economics.stepMs)}</td><td>${fmt.num(d.economics.tokensPerSecondPerGpu)}</td>
      <td>${fmt.dollars(d.economics.dollarsPerMillionTokens)}</td>
      <td>${callLink(d.sweep.device, d.sweep.measured[0]?.row.call)}</td>
      ${d.h800 ? html`<td>${fmt.num(d.h800.tokensPerSecondPerGpu)} <span class="muted">${d.h800.basis}, ${d.h800.bound}-bound</span></td><td>${fmt.dollars(d.h800.dollarsPerMillionTokens)}</td>` : html`<td colspan="2" class="muted">not projected (no datasheet row)</td>`}</tr>`,
  );
  return html`<table class="data"><caption>Measured decode attention (best config per problem), at $${model.options.dollarsPerGpuHour}/GPU-hour</caption>
    <thead><tr><th>device</th><th>attention</th><th>problem</th><th>per layer (measured)</th><th>per step, ${deepseekV3.layers} layers, ${deepseekV3.heads} heads</th><th>tokens/s per GPU</th><th>$ per million tokens</th><th>call</th><th>H800 tokens/s per GPU</th><th>H800 $ per million tokens</th></tr></thead>
    <tbody>${rows}</tbody></table>
    <p class="muted">Attention kernel alone: the GEMMs, MoE and communication of a decode step are not in these figures. A kernel over a head shard (H &lt; ${deepseekV3.heads}) is charged for the other shards' GPU time.</p>`;
}

/** CPU adapters' decode times, folded and without dollar figures: a software rasterizer is not rented by the GPU-hour. */
function cpuDecode(model: ReportModel): Html {
  const rows = model.decode.filter((d) => d.sweep.device.isCpu);
  if (rows.length === 0) return html``;
  return html`<details class="cpu"><summary>CPU adapters: ${rows.length} decode row(s), times only</summary><table class="data"><caption>Decode attention measured on CPU adapters (best config per problem)</caption>
    <thead><tr><th>device</th><th>attention</th><th>problem</th><th>per layer (measured)</th></tr></thead>
    <tbody>${rows.map((d) => html`<tr><td>${d.sweep.device.name}</td><td>${d.attention.kind} <span class="muted">${d.attention.detail}</span></td><td>${d.sweep.problemLabel}</td><td>${fmt.ms(d.layerMs)}</td></tr>`)}</tbody></table></details>`;
}

export function mlaSection(model: ReportModel, charts: Charts): Html {
  const mla = model.kv.find((r) => r.shape.kind === 'MLA');
  const mha = model.kv.find((r) => r.shape.kind === 'MHA');
  const ratio = mla && mha ? mha.bytesPerToken / mla.bytesPerToken : undefined;
  return html`<section id="mla"><h2>MLA versus MHA, GQA and MQA</h2>
    ${ratio ? html`<p>Per token over the whole model, MLA caches ${fmt.bytes(mla!.bytesPerToken)} bytes against MHA's ${fmt.bytes(mha!.bytesPerToken)}: ${ratio.toFixed(1)}x less, so ${ratio.toFixed(0)}x more sequences fit the same memory, and a memory-bound decode step reads that much less.</p>` : ''}
    ${kvTable(model)}
    ${charts.add(kvBytesSpec(model.kv), 'KV-cache bytes per token, whole model, BF16 (log scale).')}
    <h3>MLA versus MHA per shape, against the measured roofs</h3>${mlaVersusMhaTables(model)}
    <h3>Measured decode</h3>${decodeTable(model)}
    ${model.decode.some((d) => !d.sweep.device.isCpu) ? charts.add(decodeSpec(model.decode.filter((d) => !d.sweep.device.isCpu)), 'Decode tokens/s per GPU from the measured attention kernels (log scale).') : ''}
    ${cpuDecode(model)}
  </section>`;
}
