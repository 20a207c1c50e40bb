// The live chart: every config measured so far (its median time, in the order measured) and the best
// so far as a step line, drawn with vega-lite and fed one row at a time.
import embed from 'vega-embed';
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../core/results.ts';

/** vega's log level that reports errors only (vega.Error). */
const VEGA_LOG_ERRORS = 1;

export interface ChartPoint {
  index: number;
  kernel: string;
  medianMs: number;
  bestMs: number;
  config: string;
}

const spec = (timer: string): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 900,
  height: 240,
  // Axes and legend grow as rows arrive (longer labels): lay out again on every update.
  autosize: { type: 'pad', resize: true },
  data: { name: 'points' },
  encoding: { x: { field: 'index', type: 'quantitative', title: 'configs measured', axis: { tickMinStep: 1, format: 'd' } } },
  layer: [
    {
      mark: { type: 'point', filled: true, size: 50 },
      encoding: {
        y: { field: 'medianMs', type: 'quantitative', title: `median time per launch, ms (${timer})`, scale: { type: 'log' } },
        color: { field: 'kernel', type: 'nominal', title: 'kernel and problem', legend: { orient: 'bottom', columns: 2, labelLimit: 480 } },
        tooltip: [{ field: 'kernel' }, { field: 'config' }, { field: 'medianMs', format: '.4f' }],
      },
    },
    {
      mark: { type: 'line', interpolate: 'step-after', color: '#222' },
      encoding: { y: { field: 'bestMs', type: 'quantitative' }, detail: { field: 'kernel' } },
    },
  ],
});

export class LiveChart {
  private readonly best = new Map<string, number>();
  private count = 0;

  private constructor(private readonly view: View) {}

  static async create(element: HTMLElement, timer: string): Promise<LiveChart> {
    // Vega warns of empty extents until the first row arrives; only its errors are worth the console.
    const result = await embed(element, spec(timer), { actions: false, renderer: 'svg', logLevel: VEGA_LOG_ERRORS });
    return new LiveChart(result.view);
  }

  /** Adds a verified, timed row (others have no time to draw) and redraws. */
  async add(row: ResultRow, label: string): Promise<void> {
    this.count++;
    if (row.status !== 'ok' || row.medianMs === undefined) return;
    const key = `${row.kernel} ${label}`;
    const bestMs = Math.min(this.best.get(key) ?? Infinity, row.medianMs);
    this.best.set(key, bestMs);
    const point: ChartPoint = { index: this.count, kernel: key, medianMs: row.medianMs, bestMs, config: JSON.stringify(row.config) };
    await this.view.insert('points', [point]).runAsync();
  }

  async clear(): Promise<void> {
    this.best.clear();
    this.count = 0;
    await this.view.remove('points', () => true).runAsync();
  }
}
