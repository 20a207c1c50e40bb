// The gate against a baseline kernel measured in the same call (gate --speedup): ours must be at least
// R times faster than the baseline's tuned row beside it (reports/model/baseline-speedups.ts), on every
// matching problem of a call. A bar names the baseline kernel, optionally a slice of our problems, and R:
//   mha-decode@B=128,H=128,L=4096,sq=1>=30     MLA at least 30x faster than the tuned MHA
// Bars are options, never code; a bar that matches nothing fails.
import { message, UsageError } from '../../core/errors.ts';
import { inSlice, parseLeast, parseSlice } from './bar-terms.ts';
import type { ResultRow } from '../../core/results.ts';
import { baselineSpeedups, type BaselineSpeedup } from '../model/baseline-speedups.ts';

export interface SpeedupBar {
  text: string;
  baseline: string;
  where: Readonly<Record<string, string>>;
  min: number;
}

export interface SpeedupBarVerdict {
  bar: SpeedupBar;
  runId?: string;
  speedups: BaselineSpeedup[];
  /** The least ratio over the matching problems; undefined when nothing matched. */
  value?: number;
  pass: boolean;
}

export function parseSpeedupBar(text: string): SpeedupBar {
  const match = /^\s*([^@>=\s]+)\s*(?:@([^>]+))?\s*>=\s*([0-9]*\.?[0-9]+)\s*$/.exec(text);
  if (!match) throw new UsageError(message.gateBadSpeedupBar(text));
  const bad = (): string => message.gateBadSpeedupBar(text);
  const where = parseSlice(match[2], bad);
  const min = parseLeast(match[3], bad);
  return { text: text.trim(), baseline: match[1], where, min };
}

const matches = (s: BaselineSpeedup, bar: SpeedupBar): boolean =>
  s.baseline.toLowerCase() === bar.baseline.toLowerCase() && inSlice(s.problem, bar.where);

export function judgeSpeedupBars(rows: readonly ResultRow[], bars: readonly SpeedupBar[], fileRunId?: string): SpeedupBarVerdict[] {
  const all = baselineSpeedups(rows.map((row) => ({ ...row, call: row.runId ?? fileRunId ?? '' })));
  return bars.flatMap((bar): SpeedupBarVerdict[] => {
    const matched = all.filter((s) => matches(s, bar));
    const calls = [...new Set(matched.map((s) => s.call))];
    if (calls.length === 0) return [{ bar, speedups: [], pass: false }];
    return calls.map((call) => {
      const speedups = matched.filter((s) => s.call === call);
      const value = speedups.reduce((low, s) => Math.min(low, s.ratio), Infinity);
      return { bar, ...(call ? { runId: call } : {}), speedups, value, pass: value >= bar.min };
    });
  });
}

export function renderSpeedupBars(verdicts: readonly SpeedupBarVerdict[]): string {
  return verdicts
    .map((v) => {
      const head = `${v.pass ? 'PASS' : 'FAIL'} speedup over ${v.bar.text}${v.runId ? ` (call ${v.runId})` : ''}: ${
        v.value === undefined ? 'no problem was measured beside this baseline in one call (bench --baselines)' : `least ratio ${v.value.toFixed(2)} over ${v.speedups.length} problem(s)`
      }`;
      const lines = v.speedups.map((s) => `  ${JSON.stringify(s.problem)} ${s.baseline} ${s.baselineMs.toFixed(4)} ms / ours ${s.oursMs.toFixed(4)} ms = ${s.ratio.toFixed(2)}${s.ratio < v.bar.min ? ' (below the bar)' : ''}`);
      return [head, ...lines].join('\n');
    })
    .join('\n') + '\n';
}
