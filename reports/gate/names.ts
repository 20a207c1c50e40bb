// How pairs are named in every rendering: kernel, problem and config in the field's own words,
// e.g. `fp8-gemm M=128 N=256 K=512 [tileM=64 tileN=64]`.
import type { Config, Problem } from '../../core/results.ts';
import type { GatePair } from './types.ts';

export const formatProblem = (problem: Problem) =>
  Object.entries(problem).map(([k, v]) => `${k}=${v}`).join(' ');

export const formatConfig = (config: Config) =>
  Object.entries(config).map(([k, v]) => `${k}=${v}`).join(' ');

export function pairConfig(pair: GatePair): string {
  const base = pair.baseline && formatConfig(pair.baseline.config);
  const cur = pair.current && formatConfig(pair.current.config);
  if (pair.pairing === 'config') return base ?? cur ?? '';
  if (base === cur) return `best: ${base}`;
  return `best: ${base ?? '-'} -> ${cur ?? '-'}`;
}

export function pairName(pair: GatePair): string {
  const config = pair.pairing === 'best' ? 'best of sweep' : pairConfig(pair);
  return `${pair.kernel} ${formatProblem(pair.problem)} [${config}]`;
}

/** Change of the compared medians as a signed percentage, or '' when not compared. */
export function formatChange(pair: GatePair): string {
  const ratio = pair.statistics?.ratio;
  if (ratio === undefined || !Number.isFinite(ratio)) return '';
  return `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
}

export const formatMs = (ms: number | undefined) => (ms === undefined ? '-' : ms < 1 ? ms.toPrecision(3) : ms.toFixed(3));
