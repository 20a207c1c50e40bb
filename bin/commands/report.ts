// `tilesweep report <results.json...> --out DIR`: index.html (offline, tables without JavaScript,
// interactive vega-lite charts), summary.md for a pull-request comment and summary.json beside them.
import { Command } from 'commander';
import { message, UsageError } from '../../core/errors.ts';
import { checkOutputDir } from '../../core/output-path.ts';
import { defaultReportOptions } from '../../reports/model/report.ts';
import { writeReport } from '../../reports/write.ts';
import { parsePositiveInt } from '../options.ts';

function parsePositiveNumber(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(message.notPositiveNumber(flag, text));
    return value;
  };
}

interface ReportFlags {
  out: string;
  dollarsPerGpuHour: number;
  context: number;
  top: number;
  gpuMemory: number[];
}

export const reportCommand = new Command('report')
  .description('turn results files into an HTML report (roofline, sweeps, MLA vs MHA, cost) with markdown and JSON summaries')
  .argument('<results...>', 'results JSON files (results/*.json)')
  .requiredOption('--out <dir>', 'directory to write index.html, summary.md and summary.json into')
  .option('--dollars-per-gpu-hour <n>', 'GPU rental rate for cost figures', parsePositiveNumber('--dollars-per-gpu-hour'), defaultReportOptions.dollarsPerGpuHour)
  .option('--context <tokens>', 'context length for the batch-that-fits table', parsePositiveInt('--context'), defaultReportOptions.context)
  .option('--gpu-memory <GB>', 'also show the batch that fits a GPU of this much memory (repeatable)', (text: string, previous: number[] = []) => [...previous, parsePositiveNumber('--gpu-memory')(text)], [])
  .option('--top <n>', 'configs in each top-k table', parsePositiveInt('--top'), defaultReportOptions.topK)
  .action(async (inputs: string[], flags: ReportFlags) => {
    checkOutputDir(flags.out, '--out');
    const { files, model } = await writeReport(inputs, flags.out, {
      dollarsPerGpuHour: flags.dollarsPerGpuHour,
      context: flags.context,
      topK: flags.top,
      gpuMemoryBytes: flags.gpuMemory.map((gb) => gb * 1e9),
    });
    const rows = model.devices.reduce((n, d) => n + d.rows.length, 0);
    process.stdout.write(`${model.inputs.length} file(s), ${model.devices.length} device(s), ${rows} rows, ${model.sweeps.length} sweeps\n`);
    // The headline in a line per GPU table: each peer's same-call geomean and the shapes where it wins.
    for (const t of model.headline.filter((h) => !h.device.isCpu)) {
      const peers = t.geomeans.map((g) => (g.ratio !== undefined ? `${g.peer} ${g.ratio.toFixed(3)}x over ${g.compared}${g.calls > 1 ? ` from ${g.calls} calls` : ''}${g.losses ? ` (slower on ${g.losses})` : ''}` : `${g.peer}: other calls only`));
      process.stdout.write(`${t.device.name} ${t.kernel}, ours against: ${peers.join('; ')}\n`);
    }
    process.stdout.write(`wrote ${files.html}\nwrote ${files.markdown}\nwrote ${files.json}\n`);
  });
