// The chart of one sweep (kernel x problem on one device): best time against the two tile parameters
// that vary most (a heatmap; a bar chart when only one varies). Its cells are reduced here, one value
// per cell, so the page carries a cell per pair of values rather than every config measured.
import type { TopLevelSpec } from 'vega-lite';
import type { Sweep } from '../model/sweeps.ts';

const schema = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * The data field of config parameter `name`. A config key is results-file input, and vega-lite reads
 * quotes, dots, brackets and backslashes in a field name as an access path, so the field is named by
 * the key's hex bytes (unique, and only word characters); titles keep the key as written.
 */
export const paramField = (name: string): string => `p_${Buffer.from(name, 'utf8').toString('hex')}`;

/** A tooltip title becomes a key inside a vega expression, where a quote or backslash breaks the parse. */
const tooltipTitle = (name: string): string => name.replace(/["'\\]/g, '_');

function values(sweep: Sweep): Record<string, unknown>[] {
  const cells = new Map<string, Record<string, unknown>>();
  for (const { row } of sweep.measured) {
    // Numbers stay numbers so ordinal axes sort 16 < 32 < 128, not as text.
    const at = Object.fromEntries(sweep.mainParams.map((k) => [paramField(k), typeof row.config[k] === 'number' ? row.config[k] : String(row.config[k])]));
    const key = JSON.stringify(at);
    // Rows come best first, so the first row of a cell is its minimum.
    if (!cells.has(key)) cells.set(key, { ...at, medianMs: row.medianMs });
  }
  return [...cells.values()];
}

/** Time against the main tile parameters; undefined when no parameter varies. */
export function paramSpec(sweep: Sweep): TopLevelSpec | undefined {
  const [a, b] = sweep.mainParams;
  if (a === undefined) return undefined;
  const color = {
    field: 'medianMs',
    type: 'quantitative',
    aggregate: 'min',
    title: 'best median ms',
    scale: { scheme: 'viridis', reverse: true, type: 'log' },
  } as const;
  if (b === undefined) {
    return {
      $schema: schema,
      width: 420,
      height: 220,
      data: { values: values(sweep) },
      mark: 'bar',
      encoding: {
        x: { field: paramField(a), type: 'ordinal', title: a, sort: { field: 'medianMs', op: 'min' } },
        y: { field: 'medianMs', type: 'quantitative', aggregate: 'min', title: 'best median ms' },
        tooltip: [{ field: 'medianMs', type: 'quantitative', aggregate: 'min', format: '.4g', title: 'best median ms' }],
      },
    };
  }
  return {
    $schema: schema,
    width: 360,
    height: 260,
    data: { values: values(sweep) },
    mark: 'rect',
    encoding: {
      x: { field: paramField(a), type: 'ordinal', title: a },
      y: { field: paramField(b), type: 'ordinal', title: b },
      color,
      tooltip: [
        { field: paramField(a), type: 'ordinal', title: tooltipTitle(a) },
        { field: paramField(b), type: 'ordinal', title: tooltipTitle(b) },
        { field: 'medianMs', type: 'quantitative', aggregate: 'min', format: '.4g', title: 'best median ms' },
      ],
    },
  };
}
