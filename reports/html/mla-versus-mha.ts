// MLA against MHA per shape on each GPU: time, KV bytes per token, KV-cache bandwidth and FLOP/s as
// shares of the roofs measured in the same call (or of the datasheet's, said so), dollars per million
// tokens, and MHA's time over MLA's (reports/model/mla-versus-mha.ts).
import type { DecodeRoof, DecodeSide, MlaVersusMha } from '../model/mla-versus-mha.ts';
import type { ReportModel } from '../model/report.ts';
import { callLink } from './call-link.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';

const share = (value: number | undefined, roof: DecodeRoof | undefined, format: (v: number) => string): Html =>
  roof
    ? html`${fmt.pct(value)} <span class="muted">of ${format(roof.value)} (${roof.label})</span>`
    : html`<span class="muted">no roof: no datasheet row and none measured in the call</span>`;

function line(pair: MlaVersusMha, s: DecodeSide, first: boolean, rows: number): Html {
  const speedup = s.attention === 'MLA' ? pair.speedups.find((x) => x.cache === s.cache) : undefined;
  return html`<tr>${first ? html`<th scope="row" rowspan="${rows}">${pair.label}</th>` : ''}
    <td>${s.attention} <span class="muted">${s.attention === 'MLA' ? `${s.cache} cache` : 'bf16 K and V'}</span></td>
    <td>${fmt.ms(s.layerMs)}</td><td>${fmt.int(s.kvBytesPerToken)}</td>
    <td>${fmt.bandwidth(s.kvBandwidth)}</td><td>${share(s.memoryShare, s.memoryRoof, fmt.bandwidth)}</td>
    <td>${fmt.tflops(s.flopRate)}</td><td>${share(s.computeShare, s.computeRoof, fmt.tflops)}</td>
    <td>${fmt.dollars(s.economics.dollarsPerMillionTokens)}</td>
    <td>${s.h800 ? html`${fmt.dollars(s.h800.dollarsPerMillionTokens)} <span class="muted">${s.h800.basis}, ${s.h800.bound}-bound</span>` : html`<span class="muted">no datasheet row</span>`}</td>
    <td>${speedup ? html`${speedup.ratio.toFixed(1)}x${speedup.sameCall ? '' : html` <span class="muted">(other calls)</span>`}` : html`<span class="muted">—</span>`}</td>
    <td>${callLink(pair.device, s.row.call)}</td></tr>`;
}

function deviceTable(model: ReportModel, pairs: readonly MlaVersusMha[]): Html {
  const device = pairs[0].device;
  const body = pairs.map((pair) => {
    const sides = [...pair.mla, ...(pair.mha ? [pair.mha] : [])];
    return sides.map((s, i) => line(pair, s, i === 0, sides.length));
  });
  return html`<table class="data mla-versus-mha"><caption>MLA versus MHA on ${device.name}, per shape (best verified row of each; $ at $${model.options.dollarsPerGpuHour}/GPU-hour)</caption>
    <thead><tr><th>shape</th><th>attention</th><th>per layer</th><th>KV bytes / token / layer</th><th>KV bytes/s</th><th>of the memory roof</th><th>FLOP/s</th><th>of the compute roof</th><th>$ per million tokens</th><th>H800 $ per million tokens</th><th>MHA / MLA time</th><th>call</th></tr></thead>
    <tbody>${body}</tbody></table>`;
}

export function mlaVersusMhaTables(model: ReportModel): Html {
  const pairs = model.mlaVersusMha;
  if (pairs.length === 0) return html`<p>No mla-decode row was measured on a GPU in these results.</p>`;
  const devices = [...new Set(pairs.map((p) => p.device))];
  return html`${devices.map((d) => deviceTable(model, pairs.filter((p) => p.device === d)))}
    <p class="muted">KV bytes/s counts the KV cache alone (MLA's FP8 latent rows at 656 bytes a token, bf16 at 1152; MHA's K and V) over the row's time; the memory roof is a device-to-device copy's read + write rate and the compute roof cuBLAS's BF16 GEMM at 8192 cubed, both measured in the same call (bench --peers copy,cublas-bf16-8192); where that call measured neither, the datasheet's HBM bandwidth and dense peak stand in, labelled "datasheet". MHA is tuned at the same batch, heads, lengths and query tokens (one KV head per query head); its time ratio is within one call unless marked.</p>`;
}
