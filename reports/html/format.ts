// Number formatting for tables: fixed units per quantity so columns compare at a glance.

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

export const fmt = {
  tflops: (flops: number | undefined) => (finite(flops) ? `${sig(flops / 1e12)} TFLOP/s` : '—'),
  bandwidth: (bytesPerS: number | undefined) =>
    finite(bytesPerS) ? (bytesPerS >= 1e12 ? `${sig(bytesPerS / 1e12)} TB/s` : `${sig(bytesPerS / 1e9)} GB/s`) : '—',
  gb: (bytes: number) => `${sig(bytes / 1e9)} GB`,
  mib: (bytes: number) => `${sig(bytes / 2 ** 20)} MiB`,
  bytes: (bytes: number) => bytes.toLocaleString('en-US'),
  ms: (ms: number | undefined) => (finite(ms) ? `${sig(ms)} ms` : '—'),
  pct: (fraction: number | undefined) => (finite(fraction) ? `${(fraction * 100).toFixed(1)}%` : '—'),
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  kHours: (hours: number) => `${Math.round(hours / 1e3).toLocaleString('en-US')}K`,
  dollars: (d: number) =>
    d >= 1e6 ? `$${(d / 1e6).toFixed(3)}M` : d >= 1 ? `$${d.toFixed(2)}` : `$${d.toPrecision(3)}`,
  intensity: (i: number) => (Number.isFinite(i) ? sig(i) : '∞'),
  num: (v: number) => sig(v),
};

/** Four significant digits without exponent for everyday magnitudes. */
export function sig(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e4) return Math.round(v).toLocaleString('en-US');
  if (abs < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}
