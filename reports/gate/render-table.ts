// The terminal rendering of a gate report: one line per pair, worst labels first, then the verdict.
import { formatP } from './decide.ts';
import { formatChange, formatMs, formatProblem, pairConfig } from './names.ts';
import { PAIR_LABELS, type GatePair, type GateReport } from './types.ts';

export function sortPairs(pairs: readonly GatePair[]): GatePair[] {
  return [...pairs].sort((a, b) => PAIR_LABELS.indexOf(a.label) - PAIR_LABELS.indexOf(b.label));
}

/** Control characters of results strings (terminal escapes, newlines) shown as \xNN, never sent to the terminal. */
const printable = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export function renderTable(report: GateReport): string {
  const header = ['label', 'kernel', 'problem', 'config', 'base ms', 'cur ms', 'change', 'p', 'n', 'why'];
  const rows = sortPairs(report.pairs).map((pair) => [
    pair.label.toUpperCase(),
    pair.kernel,
    formatProblem(pair.problem),
    pairConfig(pair),
    formatMs(pair.baseline?.medianMs),
    formatMs(pair.current?.medianMs),
    formatChange(pair) + (pair.normalized && pair.statistics ? ' (ref)' : ''),
    pair.statistics?.pValue === undefined ? '' : formatP(pair.statistics.pValue),
    `${pair.baseline?.samplesMs.length ?? 0}/${pair.current?.samplesMs.length ?? 0}`,
    pair.reason + (pair.reruns ? ` [rerun x${pair.reruns}]` : ''),
  ].map(printable));
  // A reduce, not Math.max(...rows): a spread of every pair into one call overflows the stack.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line), '', verdictLine(report)].join('\n') + '\n';
}

export function verdictLine(report: GateReport): string {
  const counts = Object.entries(report.counts).filter(([, n]) => n > 0).map(([label, n]) => `${n} ${label}`);
  const device = report.sameDevice ? '' : ' (baseline from other hardware: --allow-other-device)';
  const normalized = report.pairs.filter((p) => p.normalized && p.statistics).length;
  const norm = normalized > 0 ? `; ${normalized} compared as ratios to the same-run reference` : '';
  const head = report.verdict === 'pass' ? 'gate PASS' : `gate FAIL: ${report.failures.join('; ')}`;
  return `${head} (${counts.join(', ') || 'no pairs'}${norm})${device}`;
}
