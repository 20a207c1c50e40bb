// The gate against the peers of the same call (gate --peer-geomean / --peer-each): bars are options,
// never code. A bar names a library, optionally a slice of the problems (`@M=4096`), and the least
// ratio it accepts (the peer's time over ours, from rows of one call: reports/compare/peer-ratios.ts):
//   cuBLASLt>=1.0            geometric mean over every problem measured beside cuBLASLt
//   cuBLASLt@M=4096>=1.15    the same over the problems with M=4096
// `--peer-each` applies the bar to every problem instead of the mean.
import { message, UsageError } from '../../core/errors.ts';
import { inSlice, parseLeast, parseSlice } from './bar-terms.ts';
import type { ResultRow } from '../../core/results.ts';
import { geomean, peerRatios, type PeerRatio } from '../compare/peer-ratios.ts';

export interface PeerBar {
  text: string;
  library: string;
  where: Readonly<Record<string, string>>;
  min: number;
  each: boolean;
}

export interface PeerBarVerdict {
  bar: PeerBar;
  /** The call judged: a file of several calls (a curated one) is judged call by call. */
  runId?: string;
  ratios: PeerRatio[];
  /** The geometric mean (a mean bar) or the least ratio (an each bar); undefined when nothing matched. */
  value?: number;
  pass: boolean;
}

export function parsePeerBar(text: string, each: boolean): PeerBar {
  const match = /^\s*([^@>=]*[^@>=\s])\s*(?:@([^>]+))?\s*>=\s*([0-9]*\.?[0-9]+)\s*$/.exec(text);
  if (!match) throw new UsageError(message.gateBadPeerBar(text));
  const bad = (): string => message.gateBadPeerBar(text);
  const where = parseSlice(match[2], bad);
  const min = parseLeast(match[3], bad);
  return { text: text.trim(), library: match[1], where, min, each };
}

const matches = (ratio: PeerRatio, bar: PeerBar): boolean =>
  ratio.peer.toLowerCase() === bar.library.toLowerCase() && inSlice(ratio.problem, bar.where);

/**
 * Each bar judged on the same-call ratios of the rows, call by call (every call that measured the
 * peer must reach it); a bar that matches nothing fails.
 */
export function judgePeerBars(rows: readonly ResultRow[], bars: readonly PeerBar[], fileRunId?: string): PeerBarVerdict[] {
  const all = peerRatios(rows, fileRunId);
  return bars.flatMap((bar): PeerBarVerdict[] => {
    const matched = all.filter((r) => matches(r, bar));
    const calls = [...new Set(matched.map((r) => r.runId))];
    if (calls.length === 0) return [{ bar, ratios: [], pass: false }];
    return calls.map((runId) => {
      const ratios = matched.filter((r) => r.runId === runId);
      const value = bar.each ? ratios.reduce((low, r) => Math.min(low, r.ratio), Infinity) : geomean(ratios.map((r) => r.ratio))!;
      return { bar, ...(runId !== undefined ? { runId } : {}), ratios, value, pass: value >= bar.min };
    });
  });
}

export function renderPeerBars(verdicts: readonly PeerBarVerdict[]): string {
  return verdicts
    .map((v) => {
      const what = v.bar.each ? 'least ratio' : 'geomean';
      const head = `${v.pass ? 'PASS' : 'FAIL'} ${v.bar.each ? 'each ' : ''}${v.bar.text}${v.runId ? ` (call ${v.runId})` : ''}: ${v.value === undefined ? 'no problem was measured beside this peer in one call' : `${what} ${v.value.toFixed(3)} over ${v.ratios.length} problem(s)`}`;
      const lines = v.ratios.map((r) => `  ${JSON.stringify(r.problem)} ${r.peer} ${r.peerMs.toFixed(4)} ms / ours ${r.oursMs.toFixed(4)} ms = ${r.ratio.toFixed(3)}${r.ratio < v.bar.min ? ' (below the bar)' : ''}`);
      return [head, ...lines].join('\n');
    })
    .join('\n') + '\n';
}
