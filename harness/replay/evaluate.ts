// Replay of recorded results: serves the rows of a results file back as if each config had just been
// measured (kernel_tuner's SimulationRunner is the model), so strategies, reports and gates are
// exercised without a GPU.
import { stableStringify } from '../../core/hash.ts';
import type { ResultRow, ResultsFile } from '../../core/results.ts';

export interface Replay {
  evaluate(config: object): Promise<ResultRow>;
  /** Configs asked for, in order. */
  readonly asked: object[];
}

export function replay(file: ResultsFile, kernel: string): Replay {
  const rows = new Map(file.runs.filter((r) => r.kernel === kernel).map((r) => [stableStringify(r.config), r]));
  const asked: object[] = [];
  return {
    asked,
    async evaluate(config) {
      asked.push(config);
      const row = rows.get(stableStringify(config));
      if (row) return { ...row, device: 'replay' };
      return { kernel, problem: {}, config: config as ResultRow['config'], role: 'candidate', status: 'runtime-error', error: 'config not in the recorded results', flops: 0, bytes: 0 };
    },
  };
}
