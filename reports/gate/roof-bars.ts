// The gate against the roofs measured in the same call (gate --roof-share): our rate as a share of a
// roof's rate (reports/model/roof-shares.ts), never a time ratio, since the roof did other work. A bar
// names the roof (its --peers name or its table name), the measure, optionally a slice of the problems,
// and the least share every matching problem of a call must reach:
//   copy:kv-bytes@sq=1>=0.85        KV-cache bytes/s at least 85% of the copy's read+write bytes/s
//   cublas-bf16-8192:flops@H=128>=0.75   FLOP/s at least 75% of cuBLAS BF16's at 8192 cubed
// Bars are options, never code; a bar that matches nothing fails.
import { message, UsageError } from '../../core/errors.ts';
import { inSlice, parseLeast, parseSlice } from './bar-terms.ts';
import type { ResultRow } from '../../core/results.ts';
import { ROOF_MEASURES, roofShares, type RoofMeasure, type RoofShare } from '../model/roof-shares.ts';

export interface RoofBar {
  text: string;
  roof: string;
  measure: RoofMeasure;
  where: Readonly<Record<string, string>>;
  min: number;
}

export interface RoofBarVerdict {
  bar: RoofBar;
  /** The call judged: a file of several calls is judged call by call. */
  runId?: string;
  shares: RoofShare[];
  /** The least share over the matching problems; undefined when nothing matched. */
  value?: number;
  pass: boolean;
}

const isMeasure = (text: string): text is RoofMeasure => (ROOF_MEASURES as readonly string[]).includes(text);

export function parseRoofBar(text: string): RoofBar {
  const match = /^\s*([^:@>=]*[^:@>=\s])\s*:\s*([a-z-]+)\s*(?:@([^>]+))?\s*>=\s*([0-9]*\.?[0-9]+)\s*$/.exec(text);
  if (!match || !isMeasure(match[2])) throw new UsageError(message.gateBadRoofBar(text));
  const bad = (): string => message.gateBadRoofBar(text);
  const where = parseSlice(match[3], bad);
  const min = parseLeast(match[4], bad);
  return { text: text.trim(), roof: match[1], measure: match[2], where, min };
}

const matches = (share: RoofShare, bar: RoofBar): boolean =>
  [share.roof, share.roofLabel].some((name) => name.toLowerCase() === bar.roof.toLowerCase()) &&
  share.measure === bar.measure &&
  inSlice(share.problem, bar.where);

/** Each bar judged call by call on the shares of the rows (a row's call: its runId, else the file's). */
export function judgeRoofBars(rows: readonly ResultRow[], bars: readonly RoofBar[], fileRunId?: string): RoofBarVerdict[] {
  const all = roofShares(rows.map((row) => ({ ...row, call: row.runId ?? fileRunId ?? '' })));
  return bars.flatMap((bar): RoofBarVerdict[] => {
    const matched = all.filter((s) => matches(s, bar));
    const calls = [...new Set(matched.map((s) => s.call))];
    if (calls.length === 0) return [{ bar, shares: [], pass: false }];
    return calls.map((call) => {
      const shares = matched.filter((s) => s.call === call);
      const value = shares.reduce((low, s) => Math.min(low, s.share), Infinity);
      return { bar, ...(call ? { runId: call } : {}), shares, value, pass: value >= bar.min };
    });
  });
}

const rate = (s: RoofShare, value: number): string => (s.kind === 'memory' ? `${(value / 1e9).toFixed(1)} GB/s` : `${(value / 1e12).toFixed(1)} TFLOP/s`);

export function renderRoofBars(verdicts: readonly RoofBarVerdict[]): string {
  return verdicts
    .map((v) => {
      const head = `${v.pass ? 'PASS' : 'FAIL'} roof ${v.bar.text}${v.runId ? ` (call ${v.runId})` : ''}: ${
        v.value === undefined
          ? `no problem was measured beside this roof in one call with a ${v.bar.measure} rate (a copy holds bytes, kv-bytes or weight-bytes, a GEMM flops)`
          : `least share ${v.value.toFixed(3)} over ${v.shares.length} problem(s)`
      }`;
      const lines = v.shares.map((s) => `  ${JSON.stringify(s.problem)} ours ${rate(s, s.oursRate)} (${s.measure}, ${s.oursMs.toFixed(4)} ms) / ${s.roofLabel} ${rate(s, s.roofRate)} = ${s.share.toFixed(3)}${s.share < v.bar.min ? ' (below the bar)' : ''}`);
      return [head, ...lines].join('\n');
    })
    .join('\n') + '\n';
}
