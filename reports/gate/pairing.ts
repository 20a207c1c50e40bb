// Pairing rows of two runs. Rows are grouped by (kernel, problem, backend); within a group a pair
// is either the same config on both sides, or "best of the sweep": the fastest measured row of each
// run, whatever its config (what a random or budgeted sweep can promise to reproduce).
//   config: every config of either run is a pair (one side may be absent: missing or new);
//   best:   one pair per group;
//   auto:   config pairs when the current run measured every config the baseline measured ok,
//           else best of the sweep.
import { stableStringify } from '../../core/hash.ts';
import type { BackendName, Config, Problem, ResultRow } from '../../core/results.ts';
import { isMeasured } from './reference.ts';
import { median } from './samples.ts';
import type { Pairing, PairingMode } from './types.ts';

export interface RowPair {
  kernel: string;
  problem: Problem;
  problemKey: string;
  backend: BackendName;
  pairing: Pairing;
  baseline?: ResultRow;
  current?: ResultRow;
}

interface Group {
  kernel: string;
  problem: Problem;
  problemKey: string;
  /** Config key to row; a config measured twice in one run keeps its last measured row. */
  baseline: Map<string, ResultRow>;
  current: Map<string, ResultRow>;
}

export function configKey(config: Config): string {
  return stableStringify(config);
}

export function pairRows(
  baseline: readonly ResultRow[],
  current: readonly ResultRow[],
  backend: BackendName,
  mode: PairingMode,
): RowPair[] {
  const groups = new Map<string, Group>();
  const add = (row: ResultRow, side: 'baseline' | 'current') => {
    const problemKey = stableStringify(row.problem);
    const groupKey = `${row.kernel} ${problemKey}`;
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = { kernel: row.kernel, problem: row.problem, problemKey, baseline: new Map(), current: new Map() };
      groups.set(groupKey, group);
    }
    const key = configKey(row.config);
    const held = group[side].get(key);
    if (held === undefined || isMeasured(row) || !isMeasured(held)) group[side].set(key, row);
  };
  for (const row of baseline) add(row, 'baseline');
  for (const row of current) add(row, 'current');

  const pairs: RowPair[] = [];
  for (const group of groups.values()) {
    const base = { kernel: group.kernel, problem: group.problem, problemKey: group.problemKey, backend };
    const byConfig = mode === 'config' || (mode === 'auto' && currentCoversBaseline(group));
    if (byConfig) {
      const keys = new Set([...group.baseline.keys(), ...group.current.keys()]);
      for (const key of keys) {
        pairs.push({ ...base, pairing: 'config', baseline: group.baseline.get(key), current: group.current.get(key) });
      }
    } else {
      pairs.push({ ...base, pairing: 'best', baseline: best(group.baseline), current: best(group.current) });
    }
  }
  return pairs;
}

function currentCoversBaseline(group: Group): boolean {
  for (const [key, row] of group.baseline) {
    if (isMeasured(row) && !group.current.has(key)) return false;
  }
  return group.current.size > 0;
}

/** The fastest measured row; when none was measured, any row, so the pair can say why it failed. */
function best(rows: ReadonlyMap<string, ResultRow>): ResultRow | undefined {
  let chosen: ResultRow | undefined;
  let chosenMedian = Infinity;
  for (const row of rows.values()) {
    if (!isMeasured(row)) continue;
    const m = median(row.samplesMs ?? []);
    if (m < chosenMedian) [chosen, chosenMedian] = [row, m];
  }
  return chosen ?? rows.values().next().value;
}
