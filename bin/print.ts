// Terminal output of sweeps: the top configs as a table and a one-paragraph summary.
import type { ResultRow } from '../core/results.ts';

export function formatRate(flopsPerSecond: number): string {
  if (flopsPerSecond >= 1e12) return `${(flopsPerSecond / 1e12).toFixed(2)} TFLOP/s`;
  if (flopsPerSecond >= 1e9) return `${(flopsPerSecond / 1e9).toFixed(2)} GFLOP/s`;
  return `${(flopsPerSecond / 1e6).toFixed(2)} MFLOP/s`;
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(1)} ms` : ms >= 1 ? `${ms.toFixed(3)} ms` : `${(ms * 1000).toFixed(1)} us`;
}

const configText = (config: object): string =>
  Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The fastest `top` ok rows: time, FLOP rate, compulsory traffic rate, percent of the best, verification, config. */
export function topTable(ranked: readonly ResultRow[], top: number): string {
  const best = ranked[0]?.medianMs ?? NaN;
  const rows = ranked.slice(0, top).map((r) => [
    formatMs(r.medianMs!),
    r.flops > 0 ? formatRate(r.flops / (r.medianMs! / 1e3)) : '-',
    `${(r.bytes / (r.medianMs! / 1e3) / 1e9).toFixed(1)} GB/s`,
    `${((best / r.medianMs!) * 100).toFixed(0)}%`,
    r.verified?.ok ? `yes (${r.verified.maxRelErr.toExponential(1)})` : 'no',
    configText(r.config),
  ]);
  return table(['median', 'rate', 'traffic', '% best', 'verified (max rel err)', 'config'], rows);
}

export function statusCounts(rows: readonly ResultRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const cached = rows.filter((r) => r.cached).length;
  return `${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}${cached ? ` (${cached} from cache)` : ''}`;
}
