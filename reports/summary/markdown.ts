// The markdown summary for a pull-request comment: the few figures a reviewer reads first. Results
// strings are escaped for markdown (a results file is input).
import type { HeadlineTable } from '../model/headline.ts';
import type { ReportModel } from '../model/report.ts';
import { commandFor } from '../model/calls.ts';
import { problemLabel, shortShape } from '../model/sweeps.ts';
import { evidenceText } from '../html/headline.ts';
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

/** One device's headline: per shape ours and each peer, the same-call ratio with its evidence, geomeans below. */
function headlineTable(t: HeadlineTable): string[] {
  const e = escapeMarkdown;
  const tf = (flops: number, ms: number | undefined) => (ms ? (flops / ms / 1e9).toFixed(1) : '—');
  const callLabel = (id: string) => e(t.device.calls.get(id)?.label ?? id);
  const rows = t.shapes.map((s) => {
    const first = s.cells.find((c) => c.same)?.same;
    const cells = s.cells.flatMap((c) =>
      c.same
        ? [tf(s.flops, c.same.peerMs), `${c.same.ratio < 1 ? '▼ ' : ''}**${c.same.ratio.toFixed(3)}x** (${e(evidenceText(c.same))}; ${callLabel(c.same.call)})`]
        : c.other
          ? [tf(s.flops, c.other.peerMs), `other call, no ratio (${callLabel(c.other.call)})`]
          : ['—', 'not measured'],
    );
    return [e(t.device.name), e(shortShape(problemLabel(s.problem), s.problem)), tf(s.flops, first?.oursMs ?? s.ours?.ms), ...cells];
  });
  const geo = ['', '**geomean**', '', ...t.geomeans.flatMap((g) => ['', g.ratio !== undefined ? `**${g.ratio.toFixed(3)}x** over ${g.compared}${g.calls > 1 ? ` from ${g.calls} calls` : ''}${g.losses ? `, ▼ slower on ${g.losses}` : ''}` : 'no same-call ratio'])];
  const head = ['device', 'shape', 'ours TFLOP/s', ...t.peers.flatMap((p) => [`${e(p)} TFLOP/s`, `ours ÷ ${e(p)} time`])];
  const command = t.calls.find((c) => c.command);
  const example = command && t.shapes[0] ? commandFor(command, t.shapes[0].problem) : undefined;
  return [
    `#### ${e(t.device.name)}: ${e(t.kernel)}`,
    '',
    table(head, [...rows, geo]),
    '',
    ...(example ? [`${command!.equivalent ? 'Equivalent command, per shape (the files recorded none)' : 'Command'}: \`${example.replace(/`/g, '').replace(/\r?\n/g, ' ')}\``, ''] : []),
  ];
}

export function summaryMarkdown(model: ReportModel): string {
  const e = escapeMarkdown;
  const out: string[] = ['### tilesweep report', ''];
  const gpuHeadline = model.headline.filter((t) => !t.device.isCpu);
  if (gpuHeadline.length > 0) {
    out.push('Ours against the peers; a ratio only between rows of one call (above 1: ours is faster, ▼ the peer is faster).', '');
    for (const t of gpuHeadline) out.push(...headlineTable(t));
  }
  out.push(
    table(
      ['device', 'backend', 'datasheet', 'copy (measured)', 'best matmul (measured)'],
      model.devices.map((d) => [
        e(d.name),
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
        ['device', 'kernel', 'problem', 'best config', 'median', 'achieved', 'of datasheet roof', 'of measured roof'],
        best.map((p) => [
          e(model.devices.find((d) => d.key === p.deviceKey)?.name ?? p.deviceKey),
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
  for (const d of model.decode.filter((x) => !x.sweep.device.isCpu)) {
    out.push(
      `- measured ${e(d.attention.kind)} (${e(d.sweep.kernel)}) ${e(d.sweep.problemLabel)} on ${e(d.sweep.device.name)}: ` +
        `${fmt.ms(d.economics.stepMs)} per step, ${fmt.num(d.economics.tokensPerSecondPerGpu)} tokens/s per GPU, ` +
        `${fmt.dollars(d.economics.dollarsPerMillionTokens)} per million tokens (attention only, $${model.options.dollarsPerGpuHour}/GPU-hour)`,
    );
  }
  for (const pair of model.mlaVersusMha) {
    for (const s of [...pair.mla, ...(pair.mha ? [pair.mha] : [])]) {
      const speedup = pair.speedups.find((x) => s.attention === 'MLA' && x.cache === s.cache);
      out.push(
        `- ${e(pair.label)} on ${e(pair.device.name)}, ${s.attention}${s.attention === 'MLA' ? ` (${s.cache} cache)` : ''}: ${fmt.ms(s.layerMs)} a layer, ` +
          `${fmt.int(s.kvBytesPerToken)} KV bytes a token, ${fmt.bandwidth(s.kvBandwidth)} (${fmt.pct(s.memoryShare)} of ${s.memoryRoof ? e(s.memoryRoof.label) : 'no roof'}), ` +
          `${fmt.tflops(s.flopRate)} (${fmt.pct(s.computeShare)} of ${s.computeRoof ? e(s.computeRoof.label) : 'no roof'}), ` +
          `${fmt.dollars(s.economics.dollarsPerMillionTokens)} per million tokens${speedup ? `; MHA/MLA ${speedup.ratio.toFixed(1)}x${speedup.sameCall ? '' : ' (other calls)'}` : ''}`,
      );
    }
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
