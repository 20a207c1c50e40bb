// The roofline chart of one device: the top configs of each sweep and the peers' rows as points
// (intensity, achieved FLOP/s) on log-log axes, one colour per library; the datasheet roofs of every
// precision the points use and the measured roof, each named (a measured memory side that was never
// measured is named absent); the best config of each shape labelled, labels placed so none overlap.
// Every point links to its table row.
import type { TopLevelSpec } from 'vega-lite';
import { headlineAnchor, sweepAnchor } from '../model/anchors.ts';
import type { ReportDevice } from '../model/devices.ts';
import type { PeerPoint } from '../model/peers.ts';
import type { Precision } from '../model/precision.ts';
import { datasheetRoof, measuredMemorySide, measuredRoof, type RooflinePoint } from '../model/points.ts';
import { shortShape } from '../model/sweeps.ts';
import { attainable, ridgePoint, type Roof } from '../model/roofline.ts';
import { placeLabels, type LogAxes } from './label-layout.ts';
import { libraryScale, oursName } from './palette.ts';

export interface RoofSeries {
  name: string;
  /** Written on the chart at the roof's right end; `name` is the legend's. */
  short: string;
  kind: 'datasheet' | 'measured';
  roof: Roof;
}

const precisionLabel: Record<Precision, string> = { fp8: 'FP8', bf16: 'BF16', fp32: 'FP32' };

/** The roofs drawn for a device: datasheet ones for every precision its points use, then the measured one. */
export function deviceRoofs(device: ReportDevice, precisions: Iterable<Precision>): RoofSeries[] {
  const roofs: RoofSeries[] = [];
  for (const precision of [...new Set(precisions)].sort()) {
    const roof = datasheetRoof(device, precision);
    if (roof) roofs.push({ name: `${device.datasheet!.id} datasheet ${precisionLabel[precision]}`, short: `${precisionLabel[precision]} datasheet`, kind: 'datasheet', roof });
  }
  const measured = measuredRoof(device);
  if (measured) {
    const memory = measuredMemorySide(device);
    const name =
      memory === 'measured'
        ? 'measured: best matmul, copy bandwidth'
        : memory === 'datasheet'
          ? 'measured: best matmul (memory side: datasheet, no copy measured)'
          : 'measured: best matmul (memory side absent: no copy measured)';
    roofs.push({ name, short: 'measured matmul', kind: 'measured', roof: measured });
  }
  return roofs;
}

/** Samples a roof at the ends of the axis and at its ridge, so the polyline is exact on log axes. */
export function roofPolyline(series: RoofSeries, xMin: number, xMax: number): { roof: string; kind: string; intensity: number; tflops: number }[] {
  const xs = [xMin, ridgePoint(series.roof), xMax].filter((x) => x >= xMin && x <= xMax && Number.isFinite(x)).sort((a, b) => a - b);
  return xs.map((x) => ({ roof: series.name, kind: series.kind, intensity: x, tflops: attainable(series.roof, x) / 1e12 }));
}

const positive = (v: number) => Number.isFinite(v) && v > 0;
const least = (xs: readonly number[]) => xs.reduce((a, b) => Math.min(a, b));
const most = (xs: readonly number[]) => xs.reduce((a, b) => Math.max(a, b));

export function rooflineSpec(device: ReportDevice, points: readonly RooflinePoint[], peers: readonly PeerPoint[] = [], allPeers: readonly string[] = []): TopLevelSpec {
  const plotted = points.filter((p) => positive(p.intensity) && positive(p.achieved));
  const peerPlotted = peers.filter((p) => positive(p.intensity) && positive(p.rate));
  const roofs = deviceRoofs(device, [...plotted.map((p) => p.precision), ...peerPlotted.map((p) => p.precision)]);
  const xs = [...plotted.map((p) => p.intensity), ...peerPlotted.map((p) => p.intensity), ...roofs.map((r) => ridgePoint(r.roof)).filter(positive)];
  const ys = [...plotted.map((p) => p.achieved), ...peerPlotted.map((p) => p.rate), ...roofs.map((r) => r.roof.peakFlops)].map((v) => v / 1e12);
  const axes: LogAxes = {
    width: 640,
    height: 440,
    // A reduce, not Math.min(...xs): a spread of many points into one call overflows the stack past ~125k.
    x: xs.length ? [least(xs) / 4, most(xs) * 4] : [0.1, 1000],
    y: ys.length ? [least(ys) / 3, most(ys) * 2] : [0.001, 1000],
  };
  const lines = roofs.flatMap((r) => roofPolyline(r, axes.x[0], axes.x[1]));
  const dots = [
    ...plotted.map((p) => ({
      library: oursName,
      kernel: p.kernel,
      shape: shortShape(p.problemLabel, p.problem),
      // The best's config in full (its table row has it too); the runners-up only by their rate.
      config: p.best ? p.configLabel : 'runner-up (see the top-k table)',
      precision: p.precision,
      intensity: p.intensity,
      tflops: p.achieved / 1e12,
      medianMs: p.medianMs,
      best: p.best,
      href: `#${sweepAnchor(device.key, p.kernel, p.problemLabel)}`,
    })),
    ...peerPlotted.map((p) => ({
      library: p.peer,
      kernel: p.kernel,
      shape: shortShape(p.problemLabel, p.row.problem),
      config: p.peer,
      precision: p.precision,
      intensity: p.intensity,
      tflops: p.rate / 1e12,
      medianMs: p.row.medianMs,
      best: false,
      href: `#${headlineAnchor(device.key, p.kernel, p.problemLabel)}`,
    })),
  ];
  const labels = placeLabels(
    dots.filter((d) => d.best).map((d) => ({ x: d.intensity, y: d.tflops, text: d.shape })),
    axes,
    [
      // Labels keep clear of the points (the first few thousand: collectPoints plots the top configs only).
      ...dots.slice(0, 5000).map((d) => ({ x: d.intensity, y: d.tflops })),
      // The roofs' names written at their right ends.
      ...roofs.map((r) => ({ x: axes.x[1], y: attainable(r.roof, axes.x[1]) / 1e12, text: r.short })),
    ],
  );
  const x = { field: 'intensity', type: 'quantitative', scale: { type: 'log', domain: axes.x, nice: false }, title: 'arithmetic intensity (FLOP/byte)' } as const;
  const y = { field: 'tflops', type: 'quantitative', scale: { type: 'log', domain: axes.y, nice: false }, title: 'achieved TFLOP/s' } as const;
  const colour = libraryScale(allPeers.length ? allPeers : peerPlotted.map((p) => p.peer), peerPlotted.map((p) => p.peer));
  const roofEnds = roofs.map((r) => ({ roof: r.short, intensity: axes.x[1], tflops: attainable(r.roof, axes.x[1]) / 1e12 }));
  const colourOf = { field: 'library', type: 'nominal', title: 'library', scale: colour } as const;
  const tooltip = [
    { field: 'library', type: 'nominal' },
    { field: 'kernel', type: 'nominal' },
    { field: 'shape', type: 'nominal' },
    { field: 'config', type: 'nominal' },
    { field: 'precision', type: 'nominal' },
    { field: 'medianMs', type: 'quantitative', format: '.4g', title: 'median ms' },
    { field: 'tflops', type: 'quantitative', format: '.4g', title: 'TFLOP/s' },
    { field: 'intensity', type: 'quantitative', format: '.4g', title: 'FLOP/byte' },
  ] as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: axes.width,
    height: axes.height,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', clip: true, color: '#555', strokeWidth: 1.2 },
        encoding: {
          x,
          y,
          strokeDash: { field: 'roof', type: 'nominal', title: 'roof', legend: { labelLimit: 420, orient: 'bottom', columns: 1 } },
        },
      },
      {
        data: { values: roofEnds },
        mark: { type: 'text', align: 'right', dy: -5, fontSize: 9, color: '#555', clip: true },
        encoding: { x, y, text: { field: 'roof', type: 'nominal' } },
      },
      {
        data: { values: dots.filter((d) => d.library === oursName) },
        mark: { type: 'point', filled: true, clip: true, cursor: 'pointer' },
        encoding: {
          x,
          y,
          color: colourOf,
          size: { condition: { test: 'datum.best', value: 110 }, value: 30 },
          opacity: { condition: { test: 'datum.best', value: 0.95 }, value: 0.35 },
          href: { field: 'href', type: 'nominal' },
          tooltip: [...tooltip],
        },
      },
      {
        data: { values: dots.filter((d) => d.library !== oursName) },
        mark: { type: 'point', shape: 'cross', filled: true, size: 70, clip: true, cursor: 'pointer' },
        encoding: { x, y, color: colourOf, href: { field: 'href', type: 'nominal' }, tooltip: [...tooltip] },
      },
      {
        data: { values: labels.filter((l) => l.moved).map((l) => ({ intensity: l.x, tflops: l.y, labelX: l.labelX, labelY: l.labelY })) },
        mark: { type: 'rule', color: '#999', strokeWidth: 0.8, clip: true },
        encoding: { x, y, x2: { field: 'labelX' }, y2: { field: 'labelY' } },
      },
      ...(['left', 'right'] as const).map((align) => ({
        data: { values: labels.filter((l) => l.align === align).map((l) => ({ intensity: l.labelX, tflops: l.labelY, text: l.text })) },
        mark: { type: 'text' as const, align, fontSize: 9.5, baseline: 'bottom' as const, clip: true },
        encoding: { x, y, text: { field: 'text', type: 'nominal' as const } },
      })),
    ],
  };
}
