// The few lines read after the headline, each pointing to the section that holds the detail.
import type { ReportModel } from '../model/report.ts';
import { html, type Html } from './escape.ts';
import { fmt } from './format.ts';

export function glanceSection(model: ReportModel): Html {
  const items: Html[] = [];
  for (const d of model.devices) {
    if (!d.matmul || d.isCpu) continue;
    const peak = d.datasheet ? d.datasheet.fp8.value : undefined;
    items.push(
      html`<li>${d.name}: best measured matmul ${fmt.tflops(d.matmul.value)}${
        peak && d.info.backend === 'cuda' ? ` (${fmt.pct(d.matmul.value / peak)} of the dense FP8 datasheet peak)` : ''
      }${d.isCpu ? ' (CPU adapter: judged against its own ceilings)' : ''}. <a href="#roofline">Roofline</a></li>`,
    );
  }
  const mla = model.kv.find((r) => r.shape.kind === 'MLA');
  const mha = model.kv.find((r) => r.shape.kind === 'MHA');
  if (mla && mha) {
    items.push(
      html`<li>MLA caches ${fmt.bytes(mla.bytesPerToken)} bytes per token against MHA's ${fmt.bytes(mha.bytesPerToken)}
        (${(mha.bytesPerToken / mla.bytesPerToken).toFixed(1)}x less). <a href="#mla">MLA vs MHA</a></li>`,
    );
  }
  const gpuDecode = model.decode.filter((d) => !d.sweep.device.isCpu);
  const fastest = (kernel: string) =>
    gpuDecode.filter((d) => d.sweep.kernel === kernel).sort((a, b) => b.economics.tokensPerSecondPerGpu - a.economics.tokensPerSecondPerGpu)[0];
  for (const kernel of ['mla-decode', 'mha-decode']) {
    const d = fastest(kernel);
    if (!d) continue;
    items.push(
      html`<li>Measured ${kernel} on ${d.sweep.device.name} (${d.sweep.problemLabel}): ${fmt.num(d.economics.tokensPerSecondPerGpu)} tokens/s per GPU,
        ${fmt.dollars(d.economics.dollarsPerMillionTokens)} per million tokens at $${model.options.dollarsPerGpuHour}/GPU-hour (attention only).</li>`,
    );
  }
  const t = model.training;
  const bestGemm = [...model.gemms].sort((a, b) => b.h800Rate - a.h800Rate)[0];
  items.push(
    html`<li>DeepSeek-V3: ${fmt.kHours(t.totalGpuHours)} H800 GPU-hours in all (${fmt.dollars(t.totalDollars)} at $${t.dollarsPerGpuHour}/GPU-hour);
      pre-training's ${fmt.kHours(t.pretrainGpuHours)} implies ${fmt.pct(t.utilizationFp8)} of the dense FP8 peak${
        bestGemm
          ? html`; at the best GEMM rate here (${fmt.tflops(bestGemm.h800Rate)} on H800, ${bestGemm.basis}) the same FLOPs take ${fmt.kHours(bestGemm.pretrainGpuHours)} GPU-hours`
          : ''
      }. <a href="#cost">Cost model</a></li>`,
  );
  return html`<section id="glance"><h2>At a glance</h2><ul>${items}</ul></section>`;
}
