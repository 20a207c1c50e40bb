// Baselines and peers (rows whose role is not "candidate": a gpu.js baseline, a vendor library such as
// cuBLASLt measured in the same run) next to the best tuned candidate of the same kernel and problem.
import type { ResultRow } from '../../core/results.ts';
import type { ReportDevice } from './devices.ts';
import { isMeasuredOk } from './load.ts';
import { achievedFlops } from './roofline.ts';
import { problemLabel, type Sweep } from './sweeps.ts';

export interface PeerComparison {
  device: ReportDevice;
  row: ResultRow & { medianMs: number };
  problemLabel: string;
  /** FLOP/s of the peer. */
  rate: number;
  /** Best candidate of the same kernel and problem on the same device, if any. */
  best?: ResultRow & { medianMs: number };
  /** Peer time / best candidate time: above 1 the tuned kernel is faster. */
  speedup?: number;
}

export function collectPeers(devices: readonly ReportDevice[], sweeps: readonly Sweep[]): PeerComparison[] {
  const out: PeerComparison[] = [];
  for (const device of devices) {
    for (const row of device.rows) {
      if ((row.role ?? 'candidate') === 'candidate' || !isMeasuredOk(row)) continue;
      const label = problemLabel(row.problem);
      const sweep = sweeps.find((s) => s.device === device && s.kernel === row.kernel && s.problemLabel === label);
      const best = sweep?.measured[0]?.row;
      out.push({
        device,
        row,
        problemLabel: label,
        rate: achievedFlops(row.flops, row.medianMs),
        best,
        speedup: best ? row.medianMs / best.medianMs : undefined,
      });
    }
  }
  return out;
}
