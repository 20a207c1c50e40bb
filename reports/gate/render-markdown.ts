// The markdown rendering, for a pull-request comment: verdict first, pairs that need a look in a
// table, the unremarkable ones folded away. Results strings (kernel, problem, config, paths, device
// names) are input: escaped for markdown and inline HTML, as summary.md does.
import { escapeMarkdown } from '../summary/markdown.ts';
import { formatP } from './decide.ts';
import { formatChange, formatMs, formatProblem, pairConfig } from './names.ts';
import { sortPairs, verdictLine } from './render-table.ts';
import type { GatePair, GateReport } from './types.ts';

const NOTABLE = new Set(['slower', 'broken', 'missing', 'ambiguous', 'faster', 'fixed']);

const escape = (text: string) => text.replace(/\|/g, '\\|');
const e = escapeMarkdown;

function table(pairs: readonly GatePair[]): string[] {
  const lines = [
    '| | kernel | problem | config | baseline ms | current ms | change | p | n | why |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const pair of pairs) {
    const cells = [
      `**${pair.label}**`,
      e(pair.kernel),
      e(formatProblem(pair.problem)),
      e(pairConfig(pair)),
      formatMs(pair.baseline?.medianMs),
      formatMs(pair.current?.medianMs),
      formatChange(pair) + (pair.normalized && pair.statistics ? ' ¹' : ''),
      pair.statistics?.pValue === undefined ? '' : formatP(pair.statistics.pValue),
      `${pair.baseline?.samplesMs.length ?? 0}/${pair.current?.samplesMs.length ?? 0}`,
      e(pair.reason) + (pair.reruns ? ` (re-measured ${pair.reruns}x)` : ''),
    ];
    lines.push(`| ${cells.map(escape).join(' | ')} |`);
  }
  return lines;
}

export function renderMarkdown(report: GateReport): string {
  const sorted = sortPairs(report.pairs);
  const notable = sorted.filter((p) => NOTABLE.has(p.label));
  const rest = sorted.filter((p) => !NOTABLE.has(p.label));
  const icon = report.verdict === 'pass' ? ':white_check_mark:' : ':x:';
  let out = [`### ${icon} tilesweep ${verdictLine(report)}`, ''];
  const b = report.baseline.device;
  out.push(`Baseline ${e(report.baseline.path)} (${e(b.name)}, ${e(report.baseline.createdAt)}) vs current ${e(report.current.path)}` +
    ` (${e(report.current.device.name)}, ${e(report.current.createdAt)}). Threshold ${report.options.thresholdPct}%,` +
    ` Mann-Whitney U at alpha ${report.options.alpha}, at least ${report.options.minSamples} samples a side.`, '');
  // Concatenated, not push(...table): a spread of every pair into one call overflows the stack.
  if (notable.length > 0) out = out.concat(table(notable), '');
  if (rest.length > 0) {
    out = out.concat(`<details><summary>${rest.length} more (same, new, unmeasured)</summary>`, '', table(rest), '', '</details>', '');
  }
  if (report.pairs.some((p) => p.normalized && p.statistics)) {
    out.push('¹ compared as ratios to the reference kernel measured in the same run, so a machine that is uniformly slower today does not count.', '');
  }
  return out.join('\n');
}
