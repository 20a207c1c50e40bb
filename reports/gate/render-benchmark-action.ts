// The "custom" JSON of github-action-benchmark (tool: customSmallerIsBetter), for teams that
// already chart and alert with it: an array of { name, unit, value, range?, extra? }. One entry
// per measured pair of the current run in ms; normalized pairs add one in multiples of the reference.
import { formatP } from './decide.ts';
import { pairConfig, pairName } from './names.ts';
import { median } from './samples.ts';
import type { GateReport } from './types.ts';

export interface BenchmarkActionEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

function spread(values: readonly number[]): string | undefined {
  if (values.length < 2) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
  return `± ${((q(0.9) - q(0.1)) / 2).toPrecision(3)}`;
}

export function renderBenchmarkAction(report: GateReport): BenchmarkActionEntry[] {
  const entries: BenchmarkActionEntry[] = [];
  for (const pair of report.pairs) {
    const current = pair.current;
    if (current === undefined || current.samplesMs.length === 0) continue;
    const p = pair.statistics?.pValue;
    const extra = [
      `gate: ${pair.label} (${pair.reason})`,
      `config: ${pairConfig(pair)}`,
      `samples: ${current.samplesMs.length}${p === undefined ? '' : `, p=${formatP(p)}`}`,
    ].join('\n');
    const name = pairName(pair);
    entries.push({ name, unit: 'ms', value: median(current.samplesMs), range: spread(current.samplesMs), extra });
    if (pair.normalized && current.normalized !== undefined) {
      entries.push({ name: `${name} / reference`, unit: 'x reference', value: median(current.normalized), range: spread(current.normalized), extra });
    }
  }
  return entries;
}
