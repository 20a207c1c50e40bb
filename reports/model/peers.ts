// Peers and baselines as roofline points: per shape and peer, the row behind the headline's cell (the
// same-call comparison's call, or the call shown side by side), its rate at its own recounted bytes and
// precision (a BF16 peer sits at its BF16 intensity and is judged against the BF16 roof).
import type { ResultRow } from '../../core/results.ts';
import type { ReportDevice } from './devices.ts';
import type { HeadlineTable } from './headline.ts';
import { isMeasuredOk } from './load.ts';
import { computePrecision, type Precision } from './precision.ts';
import { achievedFlops, intensity } from './roofline.ts';
import { peerName, problemKey, type CallRow } from './same-call.ts';
import { problemLabel } from './sweeps.ts';

export interface PeerPoint {
  device: ReportDevice;
  peer: string;
  kernel: string;
  problemLabel: string;
  row: ResultRow & { medianMs: number };
  call: string;
  /** FLOP/s. */
  rate: number;
  intensity: number;
  precision: Precision;
}

export function collectPeerPoints(headline: readonly HeadlineTable[]): PeerPoint[] {
  const out: PeerPoint[] = [];
  for (const t of headline) {
    for (const shape of t.shapes) {
      for (const cell of shape.cells) {
        const call = cell.same?.call ?? cell.other?.call;
        const key = problemKey(t.kernel, shape.problem);
        const rows = t.device.rows
          .filter((r): r is CallRow & { medianMs: number } => r.call === call && r.kernel === t.kernel && r.role !== 'candidate' && isMeasuredOk(r))
          .filter((r) => peerName(r) === cell.peer && problemKey(r.kernel, r.problem) === key)
          .sort((a, b) => a.medianMs - b.medianMs);
        const row = rows[0];
        if (!row || !call) continue;
        out.push({
          device: t.device,
          peer: cell.peer,
          kernel: t.kernel,
          problemLabel: problemLabel(row.problem),
          row,
          call,
          rate: achievedFlops(row.flops, row.medianMs),
          intensity: intensity(row.flops, row.bytes),
          precision: computePrecision(row, t.device.info.backend),
        });
      }
    }
  }
  return out;
}
