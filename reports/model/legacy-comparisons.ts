// Same-call comparisons kept by older H200 files beside their rows (scripts/h200/compare.ts wrote them):
// per shape the sweep's best and, where measured, `interleaved: { oursMs[], cublasLtMs[] }`, the
// rounds in which our runner timed cuBLASLt's block-scaled FP8 alternately with that best config. The
// file is one call, so these are same-call comparisons; the rest of the file's pairs come from its rows.
import type { Config, Problem, ResultsFile } from '../../core/results.ts';
import { families } from '../../kernels/registry.ts';
import { interleavedComparison, type SameCallComparison } from './same-call.ts';

interface LegacyComparison {
  problem?: Problem;
  bestConfig?: Config;
  interleaved?: { oursMs?: unknown; cublasLtMs?: unknown };
}

const numbers = (v: unknown): number[] | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && x > 0) ? (v as number[]) : undefined;

/** The peer our runner timed in those rounds: cuBLASLt through cublasLtMatmul (named as in the rows). */
export const runnerCublasLt = 'cuBLASLt';

export function legacyComparisons(file: ResultsFile, call: string): SameCallComparison[] {
  const list = file.comparisons;
  const kernel = file.runs[0]?.kernel;
  if (!Array.isArray(list) || !kernel) return [];
  const out: SameCallComparison[] = [];
  for (const c of list as LegacyComparison[]) {
    const ours = numbers(c.interleaved?.oursMs);
    const peer = numbers(c.interleaved?.cublasLtMs);
    if (!c.problem || !ours || !peer) continue;
    const flops = families[kernel]?.flops(c.problem) ?? 0;
    const comparison = { kernel, problem: c.problem, call, peer: runnerCublasLt, flops, oursConfig: c.bestConfig, via: 'tilesweep runner (cublasLtMatmul)' };
    out.push(interleavedComparison(comparison, ours, peer));
  }
  return out;
}
