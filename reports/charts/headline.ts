// The headline's bar chart: per shape, the rate of ours and of each peer, one colour per library; a
// peer measured only in another call is drawn pale (side by side, not compared). Each bar links to
// its table row.
import type { TopLevelSpec } from 'vega-lite';
import { headlineAnchor } from '../model/anchors.ts';
import type { HeadlineTable } from '../model/headline.ts';
import { problemLabel, shortShape } from '../model/sweeps.ts';
import { libraryScale, oursName } from './palette.ts';

export function headlineSpec(table: HeadlineTable, allPeers: readonly string[]): TopLevelSpec {
  const values = table.shapes.flatMap((s) => {
    const label = problemLabel(s.problem);
    const shape = shortShape(label, s.problem);
    const href = `#${headlineAnchor(table.device.key, table.kernel, label)}`;
    const first = s.cells.find((c) => c.same)?.same;
    const oursMs = first?.oursMs ?? s.ours?.ms;
    const bars = oursMs ? [{ shape, library: oursName, tflops: s.flops / oursMs / 1e9, comparison: 'ours', alpha: 1, href }] : [];
    for (const c of s.cells) {
      const ms = c.same?.peerMs ?? c.other?.peerMs;
      if (ms) bars.push({ shape, library: c.peer, tflops: s.flops / ms / 1e9, comparison: c.same ? 'same call' : 'other call (side by side)', alpha: c.same ? 1 : 0.35, href });
    }
    return bars;
  });
  const colour = libraryScale(allPeers, table.peers.filter((p) => values.some((v) => v.library === p)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: Math.min(1100, Math.max(300, table.shapes.length * (table.peers.length + 1) * 12)),
    height: 220,
    data: { values },
    mark: { type: 'bar', cursor: 'pointer' },
    encoding: {
      x: { field: 'shape', type: 'nominal', sort: null, title: null, axis: { labelAngle: -40 } },
      xOffset: { field: 'library', type: 'nominal', sort: colour.domain },
      y: { field: 'tflops', type: 'quantitative', title: 'TFLOP/s' },
      color: { field: 'library', type: 'nominal', title: 'library', scale: colour },
      // Pale where the peer was measured in another call: the data carries the opacity itself.
      opacity: { field: 'alpha', type: 'quantitative', scale: null, legend: null },
      href: { field: 'href', type: 'nominal' },
      tooltip: [
        { field: 'shape', type: 'nominal' },
        { field: 'library', type: 'nominal' },
        { field: 'tflops', type: 'quantitative', format: '.4g', title: 'TFLOP/s' },
        { field: 'comparison', type: 'nominal' },
      ],
    },
  };
}
