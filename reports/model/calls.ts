// The calls (one `tilesweep tune` or `bench` invocation each) that measured a report's rows, with the
// provenance a reader needs to judge or repeat a figure: command, date, commit, device, driver, clocks.
// Rows carry `runId` and files `calls[runId]` (core/results.ts); a file older than that contract is
// one call, named after the file, and gets the command that measures the same thing today, shown as
// an equivalent command since the file did not record its own.
import { basename } from 'node:path';
import type { CallProvenance, DeviceInfo, ResultRow, ResultsFile } from '../../core/results.ts';

export interface ReportCall {
  id: string;
  /** Short name for tables: the runId, or the file's name without its extensions. */
  label: string;
  /** The command as recorded, or the equivalent one (see `equivalent`); absent when neither is known. */
  command?: string;
  /** True when the file recorded no command and `command` is today's CLI for the same measurement. */
  equivalent: boolean;
  startedAt: string;
  commit?: string;
  device: DeviceInfo;
  clocks?: CallProvenance['clocks'];
  /** The files holding this call's rows. */
  files: string[];
  /** The tuning strategy, where the call recorded it (a sweep's `--strategy`). */
  strategy?: string;
}

function strategyOf(file: ResultsFile, command: string | undefined): string | undefined {
  const fromCommand = command ? /--strategy[ =](\S+)/.exec(command)?.[1] : undefined;
  const sweep = file.sweep as { strategy?: unknown } | undefined;
  return fromCommand ?? (typeof sweep?.strategy === 'string' ? sweep.strategy : undefined);
}

const fileLabel = (path: string): string => basename(path).replace(/\.json(\.br)?$/, '');

/** The call of a row: its runId, or for a file without runIds the file itself. */
export function callIdOf(row: ResultRow, path: string): string {
  return typeof row.runId === 'string' && row.runId !== '' ? row.runId : `file:${path}`;
}

export const gemmPreset = (p: Readonly<Record<string, unknown>>): string => `dsv3-m${p.M}-n${p.N}-k${p.K}`;

/**
 * The CLI command that repeats an older file's measurement, where one is known: the CUDA GEMM
 * comparison against the peers (one shape per call; `<preset>` is the row's), or a recorded sweep.
 */
function equivalentCommand(file: ResultsFile): string | undefined {
  const first = file.runs[0];
  if (!first) return undefined;
  if (file.device.backend === 'cuda' && first.kernel === 'fp8-gemm') {
    return 'tilesweep bench fp8-gemm --backend cuda --preset <preset> --peers cublaslt,cublas-bf16,torch,deepgemm --interleave 3 --settle-ms 200';
  }
  const sweep = file.sweep as { strategy?: unknown; budget?: unknown; seed?: unknown } | undefined;
  const shape = Object.entries(first.problem)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (sweep && typeof sweep.strategy === 'string') {
    const budget = typeof sweep.budget === 'number' ? ` --budget ${sweep.budget}` : '';
    const seed = typeof sweep.seed === 'number' ? ` --seed ${sweep.seed}` : '';
    return `tilesweep tune ${first.kernel} --backend ${file.device.backend} --shape ${shape} --strategy ${sweep.strategy}${budget}${seed}`;
  }
  if (file.bench !== undefined) return `tilesweep bench ${first.kernel} --backend ${file.device.backend} --shape ${shape} --baselines`;
  return undefined;
}

/** The device's own clock figures, where an older file recorded them (maximum clocks, not measured ones). */
function deviceClocks(device: DeviceInfo): CallProvenance['clocks'] | undefined {
  const sm = typeof device.clockMHz === 'number' ? device.clockMHz : undefined;
  const mem = typeof device.memoryClockMHz === 'number' ? device.memoryClockMHz : undefined;
  return sm === undefined && mem === undefined ? undefined : { ...(sm ? { smMHz: sm } : {}), ...(mem ? { memMHz: mem } : {}), source: 'device properties (maximum)' };
}

/** Every call of one file: its recorded calls, and the file itself for rows without a runId. */
export function callsOfFile(path: string, file: ResultsFile): ReportCall[] {
  const out = new Map<string, ReportCall>();
  for (const row of file.runs) {
    const id = callIdOf(row, path);
    if (out.has(id)) continue;
    const recorded = typeof row.runId === 'string' ? file.calls?.[row.runId] : undefined;
    if (recorded) {
      out.set(id, {
        id,
        label: id,
        command: recorded.command,
        equivalent: false,
        startedAt: recorded.startedAt,
        commit: recorded.commit,
        device: recorded.device ?? file.device,
        clocks: recorded.clocks ?? deviceClocks(file.device),
        files: [path],
        strategy: strategyOf(file, recorded.command),
      });
    } else {
      out.set(id, {
        id,
        label: typeof row.runId === 'string' ? row.runId : fileLabel(path),
        command: equivalentCommand(file),
        equivalent: true,
        startedAt: file.createdAt,
        device: file.device,
        clocks: deviceClocks(file.device),
        files: [path],
        strategy: strategyOf(file, undefined),
      });
    }
  }
  return [...out.values()];
}

/** The command that repeats one row of a call: the call's own, or its equivalent with the row's preset. */
export function commandFor(call: ReportCall | undefined, problem: Readonly<Record<string, unknown>>): string | undefined {
  if (!call?.command) return undefined;
  return call.equivalent ? call.command.replace('<preset>', gemmPreset(problem)) : call.command;
}
