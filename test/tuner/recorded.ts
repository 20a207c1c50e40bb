// Fixtures for device-free sweep tests: a family with a one-dimension problem and a grid space, a
// recorded sweep of it with known times, and the replay backend that serves the recording.
import { RESULTS_SCHEMA, type ResultRow, type ResultsFile } from '../../core/results.ts';
import { replayBackend, type ReplayBackend } from '../../harness/replay/backend.ts';
import { indexRecording } from '../../harness/replay/recording.ts';
import type { KernelFamily } from '../../kernels/types.ts';
import { product } from '../../tuner/space.ts';

export type GridProblem = { n: number };
export type GridConfig = { a: number; b: number; c: string };

export const gridParams = { a: [1, 2, 3, 4, 5, 6, 7, 8], b: [1, 2, 3, 4, 5, 6], c: ['x', 'y'] };

export const gridFamily: KernelFamily<GridProblem, GridConfig> = {
  name: 'grid', description: 'a recorded grid', dimensions: ['n'], presets: {}, problemFromShape: (s) => ({ n: s.n }),
  defaultProblem: () => ({ n: 1 }), checkProblem: () => {},
  workload: (_p, seed) => ({ seed, buffers: {} }),
  verify: () => ({ ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 }),
  flops: () => 1, bytes: () => 1,
  targets: {
    wgsl: {
      space: () => ({ params: gridParams, constraints: [] }),
      // Replayed, the grid is never generated: its source only names the config.
      source: (_p, c) => ({ language: 'wgsl', code: `// grid ${JSON.stringify(c)}`, launches: [] }),
      verify: () => ({ ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 }),
    },
  },
};

/** Time grows with the distance from (6, 2, 'y'); samples spread by `spread` around the median. */
export const gridTime = (c: GridConfig): number => 1 + 0.5 * Math.abs(c.a - 6) + 0.3 * Math.abs(c.b - 2) + (c.c === 'y' ? 0 : 0.4);

export function gridRecording(options: { missing?: (c: GridConfig) => boolean; spread?: number } = {}): ResultsFile {
  const spread = options.spread ?? 0.01;
  const runs = (product(gridParams) as GridConfig[])
    .filter((c) => !options.missing?.(c))
    .map((config, i): ResultRow => {
      const ms = gridTime(config);
      const samplesMs = Array.from({ length: 9 }, (_, k) => ms * (1 + spread * ((k * 7 + i) % 9 - 4) / 4));
      return { kernel: 'grid', problem: { n: 1 }, config, role: 'candidate', status: 'ok', samplesMs, medianMs: ms, flops: 1, bytes: 1 };
    });
  return {
    schema: RESULTS_SCHEMA,
    tool: { name: 'tilesweep', version: 'test' },
    device: { backend: 'webgpu', name: 'recorded grid', vendor: 'test', driver: 'test', fingerprint: 'grid' },
    createdAt: new Date(0).toISOString(),
    runs,
  };
}

export const gridReplay = (file: ResultsFile = gridRecording()): ReplayBackend => replayBackend(indexRecording(file), 'grid fixture');
