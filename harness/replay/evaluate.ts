// A replay as a bare `evaluate` function, for testing a strategy alone (test/tuner/strategies.test.ts):
// the recorded row of each config of the kernel's first recorded problem, from the same index the
// replay backend serves (recording.ts), and the configs asked for, in order. Sweeps replay through
// the backend (backend.ts), which the sweep loop drives like a device.
import type { ResultRow, ResultsFile } from '../../core/results.ts';
import { indexRecording } from './recording.ts';

export interface Replay {
  evaluate(config: object): Promise<ResultRow>;
  /** Configs asked for, in order. */
  readonly asked: object[];
}

export function replay(file: ResultsFile, kernel: string): Replay {
  const recording = indexRecording(file);
  const problem = recording.problems(kernel)[0] ?? {};
  const asked: object[] = [];
  return {
    asked,
    async evaluate(config) {
      asked.push(config);
      const row = recording.row(kernel, problem, config);
      if (row) return { ...row, replayed: true };
      return { kernel, problem, config: config as ResultRow['config'], role: 'candidate', status: 'invalid', error: 'not in the replayed recording', flops: 0, bytes: 0 };
    },
  };
}
