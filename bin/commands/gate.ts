// `tilesweep gate --baseline A.json --current B.json`: the CI performance regression gate.
// Exit 0 pass, 1 confirmed regression (or a pair missing or broken), 2 bad input. The decisions are
// made in reports/gate; this module parses flags and prints (reports/gate/README.md has the rules).
import { Command, Option } from 'commander';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import { message, UsageError } from '../../core/errors.ts';
import { checkOutputFile } from '../../core/output-path.ts';
import type { Config } from '../../core/results.ts';
import { compareRuns } from '../../reports/gate/compare.ts';
import { loadResults } from '../../reports/gate/load.ts';
import { judgePeerBars, parsePeerBar, renderPeerBars, type PeerBar } from '../../reports/gate/peer-bars.ts';
import { judgeRoofBars, parseRoofBar, renderRoofBars, type RoofBar } from '../../reports/gate/roof-bars.ts';
import { judgeSpeedupBars, parseSpeedupBar, renderSpeedupBars, type SpeedupBar } from '../../reports/gate/speedup-bars.ts';
import { renderBenchmarkAction } from '../../reports/gate/render-benchmark-action.ts';
import { renderMarkdown } from '../../reports/gate/render-markdown.ts';
import { renderTable } from '../../reports/gate/render-table.ts';
import { DEFAULT_GATE_OPTIONS, type GateOptions, type GateReport, type PairingMode } from '../../reports/gate/types.ts';

const FORMATS = ['table', 'markdown', 'json', 'benchmark-action'] as const;
type Format = (typeof FORMATS)[number];

interface GateFlags {
  baseline?: string;
  peerGeomean: string[];
  peerEach: string[];
  roofShare: string[];
  speedup: string[];
  current: string;
  threshold: string;
  kernelThreshold: string[];
  alpha: string;
  minSamples: string;
  pairing: PairingMode;
  normalize: boolean;
  referenceConfig?: string;
  allowOtherDevice?: boolean;
  allowMissing?: boolean;
  failOnAmbiguous?: boolean;
  rerun?: string | boolean;
  format: Format;
  json?: boolean;
  outMarkdown?: string;
  outJson?: string;
  outBenchmark?: string;
}

function percent(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1000) throw new UsageError(message.gateBadPercent(flag, value));
  return n;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(message.notInteger(flag, value));
  return n;
}

function kernelThresholds(entries: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of entries) {
    const [kernel, value, ...rest] = entry.split('=');
    if (!kernel || value === undefined || rest.length > 0) throw new UsageError(message.gateBadKernelThreshold(entry));
    out[kernel] = percent(`--kernel-threshold ${kernel}`, value);
  }
  return out;
}

function referenceConfig(text: string | undefined): Config | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const [name, value, ...rest] = entry.split('=');
    if (!name || value === undefined || value === '' || rest.length > 0) throw new UsageError(message.gateBadConfigEntry(entry));
    out[name.trim()] = value.trim();
  }
  return out;
}

export function gateOptions(flags: GateFlags): GateOptions {
  const alpha = Number(flags.alpha);
  if (!(alpha > 0 && alpha < 1)) throw new UsageError(message.gateBadAlpha(flags.alpha));
  return {
    ...DEFAULT_GATE_OPTIONS,
    thresholdPct: percent('--threshold', flags.threshold),
    kernelThresholdPct: kernelThresholds(flags.kernelThreshold),
    alpha,
    minSamples: positiveInt('--min-samples', flags.minSamples),
    pairing: flags.pairing,
    normalize: flags.normalize,
    referenceConfig: referenceConfig(flags.referenceConfig),
    allowOtherDevice: flags.allowOtherDevice ?? false,
    allowMissing: flags.allowMissing ?? false,
    failOnAmbiguous: flags.failOnAmbiguous ?? false,
  };
}

function render(report: GateReport, format: Format): string {
  switch (format) {
    case 'table': return renderTable(report);
    case 'markdown': return renderMarkdown(report);
    case 'json': return JSON.stringify(report, null, 2) + '\n';
    case 'benchmark-action': return JSON.stringify(renderBenchmarkAction(report), null, 2) + '\n';
  }
}

async function rerun(report: GateReport, rounds: number): Promise<GateReport> {
  const ambiguous = report.pairs.filter((p) => p.label === 'ambiguous').length;
  if (ambiguous === 0) return report;
  // Loaded only here, so a gate without --rerun never opens a device.
  const { openBackendFor, backendMeasurer } = await import('../../reports/gate/rerun-backend.ts');
  const { rerunAmbiguous } = await import('../../reports/gate/rerun.ts');
  const backend = await openBackendFor(report.current.path, report.current.device);
  process.stderr.write(`gate: re-measuring ${ambiguous} ambiguous pair(s) on ${backend.device.name}\n`);
  try {
    return await rerunAmbiguous(report, backendMeasurer(backend), { rounds });
  } finally {
    await backend.dispose();
  }
}

/** The --out-* files, each with its flag and what goes into it. */
function outputs(flags: GateFlags): { flag: string; path: string; text: (report: GateReport) => string }[] {
  const all = [
    { flag: '--out-markdown', path: flags.outMarkdown, text: renderMarkdown },
    { flag: '--out-json', path: flags.outJson, text: (report: GateReport) => JSON.stringify(report, null, 2) + '\n' },
    { flag: '--out-benchmark', path: flags.outBenchmark, text: (report: GateReport) => JSON.stringify(renderBenchmarkAction(report), null, 2) + '\n' },
  ];
  return all.filter((o): o is typeof o & { path: string } => o.path !== undefined);
}

interface SameCallBars {
  peers: readonly PeerBar[];
  roofs: readonly RoofBar[];
  speedups: readonly SpeedupBar[];
}

const barCount = (b: SameCallBars): number => b.peers.length + b.roofs.length + b.speedups.length;

/** The peer, roof and speedup bars of --current's same-call rows: printed, and exit 1 when one fails. */
function judgeSameCall(flags: GateFlags, bars: SameCallBars): number {
  const file = loadResults(flags.current);
  const peers = judgePeerBars(file.runs, bars.peers, flags.current);
  const roofs = judgeRoofBars(file.runs, bars.roofs, flags.current);
  const speedups = judgeSpeedupBars(file.runs, bars.speedups, flags.current);
  if (peers.length) process.stdout.write(renderPeerBars(peers));
  if (roofs.length) process.stdout.write(renderRoofBars(roofs));
  if (speedups.length) process.stdout.write(renderSpeedupBars(speedups));
  return [...peers, ...roofs, ...speedups].every((v) => v.pass) ? 0 : 1;
}

async function action(flags: GateFlags): Promise<void> {
  const bars: SameCallBars = {
    peers: [...flags.peerGeomean.map((t) => parsePeerBar(t, false)), ...flags.peerEach.map((t) => parsePeerBar(t, true))],
    roofs: flags.roofShare.map(parseRoofBar),
    speedups: flags.speedup.map(parseSpeedupBar),
  };
  // An output that cannot be written is bad input (exit 2), found before a verdict is printed or a
  // device opened for --rerun, never after the verdict as a crash that CI would read as a regression.
  const files = outputs(flags);
  for (const { flag, path } of files) checkOutputFile(path, flag);
  if (flags.baseline === undefined) {
    if (barCount(bars) === 0) throw new UsageError(message.gateNothingToJudge());
    process.exitCode = judgeSameCall(flags, bars);
    return;
  }
  const peersExit = barCount(bars) > 0 ? judgeSameCall(flags, bars) : 0;
  const options = gateOptions(flags);
  const rounds = flags.rerun === undefined || flags.rerun === false ? 0 : flags.rerun === true ? 1 : positiveInt('--rerun', flags.rerun);
  const baseline = { path: flags.baseline, results: loadResults(flags.baseline) };
  const current = { path: flags.current, results: loadResults(flags.current) };
  let report = compareRuns(baseline, current, options);
  if (rounds > 0) report = await rerun(report, rounds);
  // Files first: a write that fails after all (a full disk) is exit 2 before any verdict is printed.
  for (const { path, text } of files) writeFileAtomic(path, text(report));
  process.stdout.write(render(report, flags.json ? 'json' : flags.format));
  process.exitCode = Math.max(report.exitCode, peersExit);
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function buildGateCommand(): Command {
  const d = DEFAULT_GATE_OPTIONS;
  return new Command('gate')
    .description('Compare a results file with a baseline, or with the peers measured in its own calls, and fail on a confirmed slowdown or a missed bar (exit 0 pass, 1 regression, 2 bad input)')
    .option('--baseline <file>', 'results JSON to compare against (e.g. committed in the repo)')
    .requiredOption('--current <file>', 'results JSON of this change')
    .option('--peer-geomean <bar>', 'the geomean of the peer\'s time over ours, same-call rows of --current, must reach the bar: LIBRARY[@DIM=V,...]>=RATIO, e.g. cuBLASLt@M=4096>=1.15 (repeatable)', collect, [])
    .option('--peer-each <bar>', 'every problem\'s ratio to the peer must reach the bar, e.g. cuBLASLt>=0.95 (repeatable)', collect, [])
    .option('--roof-share <bar>', 'every matching problem\'s rate must reach this share of a roof measured in the same call of --current (bench --peers copy,cublas-bf16-8192): ROOF:MEASURE[@DIM=V,...]>=SHARE, MEASURE bytes, kv-bytes, weight-bytes or flops, e.g. copy:kv-bytes@sq=1>=0.85 (repeatable)', collect, [])
    .option('--speedup <bar>', 'ours must be at least RATIO times faster than a baseline kernel measured beside it in the same call of --current (bench --baselines): KERNEL[@DIM=V,...]>=RATIO, e.g. mha-decode@H=128>=30 (repeatable)', collect, [])
    .option('--threshold <pct>', 'smallest slowdown that counts, percent', String(d.thresholdPct))
    .option('--kernel-threshold <kernel=pct>', 'threshold for one kernel (repeatable)', collect, [])
    .option('--alpha <p>', 'significance level of the Mann-Whitney U test', String(d.alpha))
    .option('--min-samples <n>', 'fewer samples a side make a pair ambiguous at best', String(d.minSamples))
    .addOption(new Option('--pairing <mode>', 'pair rows by config, best of the sweep, or auto').choices(['auto', 'config', 'best']).default(d.pairing))
    .option('--no-normalize', 'compare raw times even when both runs carry a reference kernel')
    .option('--reference-config <name=value,...>', 'rows whose config matches serve as the same-run reference')
    .option('--allow-other-device', 'compare a baseline measured on other hardware')
    .option('--allow-missing', 'report pairs missing from the current run without failing')
    .option('--fail-on-ambiguous', 'fail when a pair stays ambiguous')
    .option('--rerun [rounds]', 're-measure ambiguous pairs on this machine before the verdict')
    .addOption(new Option('--format <format>', 'what to print').choices(FORMATS).default('table'))
    .option('--json', 'print the report as JSON (same as --format json)')
    .option('--out-markdown <file>', 'also write the markdown report (a PR comment)')
    .option('--out-json <file>', 'also write the JSON report')
    .option('--out-benchmark <file>', 'also write github-action-benchmark custom JSON (customSmallerIsBetter)')
    .action(action);
}

export const gateCommand = buildGateCommand();
