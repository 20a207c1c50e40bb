// The markdown summary for a pull-request comment: the few figures a reviewer reads first. Results
// strings are escaped for markdown (a results file is input).
import type { ReportModel } from '../model/report.ts';
import { fmt } from '../html/format.ts';

/** Escapes markdown and inline-HTML syntax so results text shows as text in a table cell. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+!|~>]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function summaryMarkdown(model: ReportModel): string {
  const e = escapeMarkdown;
  const out: string[] = ['### tilesweep report', ''];
  out.push(
    table(
      ['device', 'backend', 'datasheet', 'copy (measured)', 'best matmul (measured)'],
      model.devices.map((d) => [
        e(d.info.name),
        e(d.info.backend),
        d.isCpu ? 'CPU adapter' : (d.datasheet?.id ?? '—'),
        d.copy ? fmt.bandwidth(d.copy.value) : 'not measured',
        d.matmul ? fmt.tflops(d.matmul.value) : '—',
      ]),
    ),
    '',
  );
  const best = model.points.filter((p) => p.best);
  if (best.length > 0) {
    out.push(
      table(
        ['kernel', 'problem', 'best config', 'median', 'achieved', 'of datasheet roof', 'of measured roof'],
        best.map((p) => [
          e(p.kernel),
          e(p.problemLabel),
          e(p.configLabel),
          fmt.ms(p.medianMs),
          fmt.tflops(p.achieved),
          p.datasheet ? `${fmt.pct(p.datasheet.fraction)} (${p.datasheet.bound})` : '—',
          p.measured ? `${fmt.pct(p.measured.fraction)} (${p.measured.bound})` : '—',
        ]),
      ),
      '',
    );
  }
  const mla = model.kv.find((r) => r.shape.kind === 'MLA');
  const mha = model.kv.find((r) => r.shape.kind === 'MHA');
  if (mla && mha) {
    out.push(
      `KV cache per token (61 layers, BF16): MLA ${fmt.bytes(mla.bytesPerToken)} B vs MHA ${fmt.bytes(mha.bytesPerToken)} B ` +
        `(${(mha.bytesPerToken / mla.bytesPerToken).toFixed(1)}x).`,
    );
  }
  for (const d of model.decode) {
    out.push(
      `- measured ${e(d.sweep.kernel)} ${e(d.sweep.problemLabel)} on ${e(d.sweep.device.info.name)}: ` +
        `${fmt.ms(d.economics.stepMs)} per step, ${fmt.num(d.economics.tokensPerSecondPerGpu)} tokens/s per GPU, ` +
        `${fmt.dollars(d.economics.dollarsPerMillionTokens)} per million tokens (attention only, $${model.options.dollarsPerGpuHour}/GPU-hour)`,
    );
  }
  const t = model.training;
  out.push(
    '',
    `DeepSeek-V3 pre-training: ${fmt.kHours(t.pretrainGpuHours)} H800 GPU-hours (${fmt.kHours(t.totalGpuHours)} in all, ` +
      `${fmt.dollars(t.totalDollars)} at $${t.dollarsPerGpuHour}/GPU-hour) implies ${fmt.pct(t.utilizationFp8)} of the dense FP8 peak by 6ND.`,
  );
  for (const g of model.gemms) {
    out.push(
      `- ${e(g.sweep.kernel)} ${e(g.sweep.problemLabel)}: ${fmt.tflops(g.h800Rate)} on H800 (${g.basis}, ${g.bound}-bound) ` +
        `→ ${fmt.kHours(g.pretrainGpuHours)} GPU-hours for the same FLOPs`,
    );
  }
  out.push('');
  return out.join('\n');
}
