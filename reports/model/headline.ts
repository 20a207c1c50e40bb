// The headline: per device and kernel family, per shape, ours against each peer library. A ratio is
// shown only where both sides were measured in one call (same-call.ts); of the calls that did, the one
// with interleaved rounds, then the latest, is taken. A peer measured only in other calls is shown
// beside ours without a ratio. Geometric means are over the shapes with a same-call ratio.
import type { Problem, ResultRow } from '../../core/results.ts';
import { roofOf } from '../../kernels/roofs/roof.ts';
import type { ReportCall } from './calls.ts';
import type { ReportDevice } from './devices.ts';
import { isMeasuredOk } from './load.ts';
import { peerName, problemKey, type CallRow, type SameCallComparison } from './same-call.ts';
import { geomean } from './stats.ts';
import { compareProblems } from './sweeps.ts';

export interface SideBySide {
  peerMs: number;
  /** The peer's call. */
  call: string;
  rounds: number;
}

export interface HeadlineCell {
  peer: string;
  same?: SameCallComparison;
  other?: SideBySide;
}

export interface HeadlineShape {
  problem: Problem;
  flops: number;
  /** Ours, for shapes or peers without a same-call pair: the fastest row of the latest call that measured the shape. */
  ours?: { ms: number; call: string };
  cells: HeadlineCell[];
}

export interface PeerGeomean {
  peer: string;
  ratio?: number;
  compared: number;
  /** Shapes where the peer is faster than ours in the same call. */
  losses: number;
  /** Calls the ratios come from (each ratio is within one; shapes may come from different calls). */
  calls: number;
}

export interface HeadlineTable {
  device: ReportDevice;
  kernel: string;
  peers: string[];
  shapes: HeadlineShape[];
  geomeans: PeerGeomean[];
  /** The calls the same-call ratios come from, oldest first. */
  calls: ReportCall[];
}

/** Peers in the order a GEMM engineer compares against: the vendor's FP8 library, DeepGEMM, then the rest. */
const precedence = ['cuBLASLt', 'DeepGEMM', 'cuBLAS BF16', 'FlashMLA'];
const rank = (peer: string) => {
  const i = precedence.findIndex((p) => peer.startsWith(p));
  return i < 0 ? precedence.length : i;
};

function latest(device: ReportDevice, calls: readonly string[]): string | undefined {
  return [...calls].sort((a, b) => (device.calls.get(b)?.startedAt ?? '').localeCompare(device.calls.get(a)?.startedAt ?? ''))[0];
}

/** Interleaved before medians, then the latest call, then more rounds. */
function pick(device: ReportDevice, list: readonly SameCallComparison[]): SameCallComparison | undefined {
  const at = (c: SameCallComparison) => device.calls.get(c.call)?.startedAt ?? '';
  return [...list].sort((a, b) => Number(b.basis === 'interleaved') - Number(a.basis === 'interleaved') || at(b).localeCompare(at(a)) || b.rounds - a.rounds)[0];
}

function sideBySide(device: ReportDevice, rows: readonly (CallRow & { medianMs: number })[]): SideBySide | undefined {
  const call = latest(device, [...new Set(rows.map((r) => r.call))]);
  const inCall = rows.filter((r) => r.call === call).sort((a, b) => a.medianMs - b.medianMs);
  if (!call || inCall.length === 0) return undefined;
  return { peerMs: inCall[0].medianMs, call, rounds: Array.isArray(inCall[0].rounds) ? inCall[0].rounds.length : 0 };
}

function oursOf(device: ReportDevice, rows: readonly (CallRow & { medianMs: number })[]): HeadlineShape['ours'] {
  const side = sideBySide(device, rows);
  return side ? { ms: side.peerMs, call: side.call } : undefined;
}

function table(device: ReportDevice, kernel: string): HeadlineTable | undefined {
  const rows = device.rows.filter((r): r is CallRow & { medianMs: number } => r.kernel === kernel && isMeasuredOk(r));
  // A baseline that is another kernel's tuned config (MHA beside MLA) names no library: not a peer.
  // Roofs measured beside ours (a copy, cuBLAS at 8192 cubed) are not peers of this shape: their rates are shown apart.
  const others = rows.filter((r) => r.role !== 'candidate' && (r.config.library !== undefined || r.config.implementation !== undefined) && !roofOf(r.config));
  const comparisons = device.comparisons.filter((c) => c.kernel === kernel);
  const peers = [...new Set([...comparisons.map((c) => c.peer), ...others.map(peerName)])].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (peers.length === 0) return undefined;
  const problems = new Map<string, { problem: Problem; flops: number }>();
  for (const x of [...comparisons, ...others]) problems.set(problemKey(kernel, x.problem), { problem: x.problem, flops: x.flops });
  const used = new Set<string>();
  const shapes = [...problems.entries()]
    .sort(([, a], [, b]) => compareProblems(a.problem, b.problem))
    .map(([key, { problem, flops }]): HeadlineShape => {
      const ofShape = (r: ResultRow) => problemKey(kernel, r.problem) === key;
      const cells = peers.map((peer): HeadlineCell => {
        const same = pick(device, comparisons.filter((c) => c.peer === peer && problemKey(kernel, c.problem) === key));
        if (same) {
          used.add(same.call);
          return { peer, same };
        }
        return { peer, other: sideBySide(device, others.filter((r) => peerName(r) === peer && ofShape(r))) };
      });
      return { problem, flops, ours: oursOf(device, rows.filter((r) => r.role === 'candidate' && ofShape(r))), cells };
    });
  const geomeans = peers.map((peer): PeerGeomean => {
    const same = shapes.flatMap((s) => s.cells.filter((c) => c.peer === peer && c.same).map((c) => c.same!));
    const ratios = same.map((c) => c.ratio);
    return { peer, ratio: geomean(ratios), compared: ratios.length, losses: ratios.filter((r) => r < 1).length, calls: new Set(same.map((c) => c.call)).size };
  });
  const calls = [...used].flatMap((id) => device.calls.get(id) ?? []).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return { device, kernel, peers, shapes, geomeans, calls };
}

/** One table per device and kernel family that has a peer or baseline; GPUs first, as devices are ordered. */
export function collectHeadline(devices: readonly ReportDevice[]): HeadlineTable[] {
  return devices.flatMap((device) => {
    const kernels = [...new Set(device.rows.filter((r) => r.role === 'candidate').map((r) => r.kernel))].sort();
    return kernels.flatMap((kernel) => table(device, kernel) ?? []);
  });
}
