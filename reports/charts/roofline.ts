// The roofline chart of one device: every measured config as a point (intensity, achieved FLOP/s) on
// log-log axes, the datasheet and measured roofs as polylines, and the best config of each kernel and
// problem labelled with its percent of the roof that binds it.
import type { TopLevelSpec } from 'vega-lite';
import type { ReportDevice } from '../model/devices.ts';
import type { PeerComparison } from '../model/peers.ts';
import type { Precision } from '../model/precision.ts';
import { datasheetRoof, measuredRoof, type RooflinePoint } from '../model/points.ts';
import { attainable, ridgePoint, type Roof } from '../model/roofline.ts';

type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

export interface RoofSeries {
  name: string;
  kind: 'datasheet' | 'measured';
  roof: Roof;
}

const precisionLabel: Record<Precision, string> = { fp8: 'FP8', bf16: 'BF16', fp32: 'FP32' };

/** The roofs drawn for a device: datasheet ones for the precisions its points use, then the measured one. */
export function deviceRoofs(device: ReportDevice, points: readonly RooflinePoint[]): RoofSeries[] {
  const roofs: RoofSeries[] = [];
  for (const precision of new Set(points.map((p) => p.precision))) {
    const roof = datasheetRoof(device, precision);
    if (roof) roofs.push({ name: `${device.datasheet!.id} datasheet ${precisionLabel[precision]}`, kind: 'datasheet', roof });
  }
  const measured = measuredRoof(device);
  if (measured) {
    const name = device.copy ? 'measured (best matmul, copy bandwidth)' : 'measured (best matmul; copy not measured)';
    roofs.push({ name, kind: 'measured', roof: measured });
  }
  return roofs;
}

/** Samples a roof at the ends of the axis and at its ridge, so the polyline is exact on log axes. */
export function roofPolyline(series: RoofSeries, xMin: number, xMax: number): { roof: string; kind: string; intensity: number; flops: number }[] {
  const xs = [xMin, ridgePoint(series.roof), xMax].filter((x) => x >= xMin && x <= xMax && Number.isFinite(x)).sort((a, b) => a - b);
  return xs.map((x) => ({ roof: series.name, kind: series.kind, intensity: x, flops: attainable(series.roof, x) / 1e12 }));
}

function bestLabel(p: RooflinePoint): string {
  const v = p.datasheet ?? p.measured;
  if (!v) return `${p.kernel}`;
  const which = p.datasheet ? 'datasheet' : 'measured';
  return `${p.kernel} ${(v.fraction * 100).toFixed(1)}% of ${which} ${v.bound} roof`;
}

export function rooflineSpec(device: ReportDevice, points: readonly RooflinePoint[], peers: readonly PeerComparison[] = []): TopLevelSpec {
  // A log-log plot can only place positive, finite coordinates (a row with no bytes has infinite intensity).
  const plotted = points.filter((p) => Number.isFinite(p.intensity) && p.intensity > 0 && p.achieved > 0);
  const roofs = deviceRoofs(device, plotted);
  const xs = plotted.map((p) => p.intensity);
  const ridges = roofs.map((r) => ridgePoint(r.roof)).filter((x) => Number.isFinite(x) && x > 0);
  // A reduce, not Math.min(...xs): a spread of every point into one call overflows the stack past ~125k.
  const extent = [...ridges, ...xs];
  const xMin = extent.length > 0 ? extent.reduce((a, b) => Math.min(a, b)) / 4 : 0.1;
  const xMax = extent.length > 0 ? extent.reduce((a, b) => Math.max(a, b)) * 4 : 1000;
  const lines = roofs.flatMap((r) => roofPolyline(r, xMin, xMax));
  const middle = Math.sqrt(xMin * xMax);
  const dots = plotted.map((p) => ({
    kernel: p.kernel,
    problem: p.problemLabel,
    config: p.configLabel,
    intensity: p.intensity,
    tflops: p.achieved / 1e12,
    medianMs: p.medianMs,
    best: p.best,
    label: p.best ? bestLabel(p) : '',
  }));
  const others = peers.map((p) => ({
    who: `${p.row.role}: ${p.row.kernel}`,
    problem: p.problemLabel,
    intensity: p.row.flops / p.row.bytes,
    tflops: p.rate / 1e12,
    medianMs: p.row.medianMs,
  }));
  const x = { field: 'intensity', type: 'quantitative', scale: { type: 'log' }, title: 'arithmetic intensity (FLOP/byte)' } as const;
  const y = { field: 'tflops', type: 'quantitative', scale: { type: 'log' }, title: 'achieved TFLOP/s' } as const;
  const peerLayer: Layer = {
    data: { values: others },
    mark: { type: 'point', shape: 'cross', filled: true, size: 90, color: '#d95f02', clip: true },
    encoding: {
      x,
      y,
      tooltip: [
        { field: 'who', type: 'nominal', title: 'baseline or peer' },
        { field: 'problem', type: 'nominal' },
        { field: 'medianMs', type: 'quantitative', format: '.4g', title: 'median ms' },
        { field: 'tflops', type: 'quantitative', format: '.4g', title: 'TFLOP/s' },
      ],
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 380,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', clip: true },
        encoding: {
          x,
          y: { field: 'flops', type: 'quantitative', scale: { type: 'log' }, title: 'achieved TFLOP/s' },
          color: { field: 'roof', type: 'nominal', title: 'roof', scale: { scheme: 'dark2' }, legend: { labelLimit: 320 } },
          strokeDash: { field: 'kind', type: 'nominal', title: 'ceiling', scale: { domain: ['datasheet', 'measured'], range: [[1, 0], [6, 3]] } },
        },
      },
      {
        data: { values: dots },
        // Drag to pan, wheel to zoom: sweeps put hundreds of configs in a small corner of the plot.
        params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
        mark: { type: 'point', filled: true, opacity: 0.7, clip: true },
        encoding: {
          x,
          y,
          shape: { field: 'kernel', type: 'nominal', title: 'kernel' },
          size: { condition: { test: 'datum.best', value: 90 }, value: 25 },
          tooltip: [
            { field: 'kernel', type: 'nominal' },
            { field: 'problem', type: 'nominal' },
            { field: 'config', type: 'nominal' },
            { field: 'medianMs', type: 'quantitative', format: '.4g', title: 'median ms' },
            { field: 'tflops', type: 'quantitative', format: '.4g', title: 'TFLOP/s' },
            { field: 'intensity', type: 'quantitative', format: '.4g', title: 'FLOP/byte' },
          ],
        },
      },
      // Labels point inwards (left of the log-middle to the right, right of it to the left) so the plot
      // clip, which zooming needs, does not cut them.
      {
        data: { values: dots.filter((d) => d.best && d.intensity < middle) },
        mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10, clip: true },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      },
      {
        data: { values: dots.filter((d) => d.best && d.intensity >= middle) },
        mark: { type: 'text', align: 'right', dx: -6, dy: -6, fontSize: 10, clip: true },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      },
      ...(others.length > 0 ? [peerLayer] : []),
    ],
  };
}
