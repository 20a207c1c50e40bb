// The external-peer protocol: a library measured beside ours through a command of its own (torch,
// DeepGEMM, FlashMLA in Python) that speaks JSON lines on stdin/stdout, as the CUDA runner does.
//
//   -> {"op":"hello"}
//   <- {"ok":true,"library":"DeepGEMM","version":"...","device":"NVIDIA H200"}   or {"ok":false,"error":"why not"}
//   -> {"op":"measure","kernel":"fp8-gemm","problem":{...},
//       "inputs":{"a":{"file":"...","element":"u32","bytes":N},...},
//       "outputs":{"c":{"file":"...","type":"bf16","bytes":N}},
//       "timing":{"warmup":3,"timeMs":150,"minSamples":10,"maxSamples":200,"settleMs":200,"flushL2":true}}
//   <- {"ok":true,"samplesMs":[...],"info":{...}}   or {"ok":false,"status":"runtime-error","error":"why"}
//   -> {"op":"exit"}
//
// The peer reads our workload's inputs from the files (raw little-endian buffers, as the family lays
// them out: peers are written per family), runs once and writes each output raw to its file, then
// times its launches the way the runner does (CUDA events, L2 flushed before every sample, after
// settleMs of back-to-back launches). tilesweep reads the outputs back and verifies them against the
// same CPU reference as ours, so a peer's row is verified like ours (peers/README.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostArray, Workload } from '../../kernels/types.ts';
import type { TimingBudget } from '../backend.ts';
import { relativeMarginOfError } from '../cuda/backend.ts';
import { RunnerDied, RunnerProcess } from '../cuda/runner-process.ts';
import { readBytesSync, writeBytesSync } from '../cuda/large-file.ts';
import { widenOutput } from '../cuda/widen.ts';
import { summarize, type Measurement } from '../measure.ts';

/** The package root: peer commands name their scripts relative to it. */
const packageRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

export interface PeerHello {
  library?: string;
  version?: string;
  device?: string;
  [extra: string]: unknown;
}

export interface PeerMeasurement extends Measurement {
  outputs: Record<string, HostArray>;
  info?: Record<string, unknown>;
}

/** Why a peer could not be measured: `unavailable` (not on this machine), else a failure of the run. */
export class PeerFailure extends Error {
  override name = 'PeerFailure';
  constructor(
    message: string,
    readonly status: 'unavailable' | 'runtime-error' | 'timeout',
  ) {
    super(message);
  }
}

const elementOf = (data: HostArray): 'u32' | 'i32' | 'f32' => (data instanceof Uint32Array ? 'u32' : data instanceof Int32Array ? 'i32' : 'f32');

export class ExternalPeer {
  private readonly process: RunnerProcess;
  private readonly scratch = mkdtempSync(join(tmpdir(), 'tilesweep-peer-'));
  private readonly written = new WeakMap<Workload, Record<string, { file: string; element: string; bytes: number }>>();
  private greeting?: PeerHello;

  constructor(
    readonly name: string,
    command: readonly string[],
    private readonly limitMs = 600_000,
  ) {
    this.process = new RunnerProcess(command[0], { op: 'hello' }, 120_000, { args: command.slice(1), cwd: packageRoot, label: `peer ${name}` });
  }

  /** Starts the peer and reads what it is; a PeerFailure('unavailable') when it cannot run here. */
  async hello(): Promise<PeerHello> {
    if (this.greeting) return this.greeting;
    let reply;
    try {
      reply = await this.process.request({ op: 'hello' }, 120_000);
    } catch (error) {
      throw new PeerFailure(`${this.name} did not start: ${(error as Error).message}`, 'unavailable');
    }
    if (!reply.ok) throw new PeerFailure(`${this.name} is not available: ${reply.error ?? 'no reason given'}`, 'unavailable');
    const { ok: _ok, ...hello } = reply;
    this.greeting = hello as PeerHello;
    return this.greeting;
  }

  private inputs(workload: Workload): Record<string, { file: string; element: string; bytes: number }> {
    let files = this.written.get(workload);
    if (!files) {
      files = {};
      for (const [name, spec] of Object.entries(workload.buffers)) {
        if (!spec.data) continue;
        const file = join(this.scratch, `in-${workload.seed}-${name}.bin`);
        writeBytesSync(file, spec.data);
        files[name] = { file, element: elementOf(spec.data), bytes: spec.data.byteLength };
      }
      this.written.set(workload, files);
    }
    return files;
  }

  async measure(kernel: string, problem: object, workload: Workload, outputs: Readonly<Record<string, 'bf16' | 'f32'>>, timing: TimingBudget): Promise<PeerMeasurement> {
    await this.hello();
    const outputFiles = Object.fromEntries(Object.entries(outputs).map(([name, type]) => [name, { file: join(this.scratch, `out-${name}.bin`), type, bytes: workload.buffers[name].bytes }]));
    let reply;
    try {
      reply = await this.process.request({
        op: 'measure', kernel, problem, inputs: this.inputs(workload), outputs: outputFiles,
        timing: { warmup: timing.warmupIterations, timeMs: timing.timeMs, minSamples: timing.minSamples, maxSamples: timing.maxSamples, settleMs: timing.settleMs ?? 0, flushL2: true },
      }, this.limitMs);
    } catch (error) {
      throw new PeerFailure((error as Error).message, error instanceof RunnerDied && error.status === 'timeout' ? 'timeout' : 'runtime-error');
    }
    // `unavailable`: the peer cannot run this problem (e.g. a K its library takes only in whole blocks).
    if (!reply.ok) throw new PeerFailure(String(reply.error ?? 'the peer failed without a reason'), reply.status === 'timeout' || reply.status === 'unavailable' ? reply.status : 'runtime-error');
    const samples = reply.samplesMs;
    if (!Array.isArray(samples) || samples.length === 0 || !samples.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
      throw new PeerFailure(`${this.name} replied without positive finite samplesMs`, 'runtime-error');
    }
    const read: Record<string, HostArray> = {};
    for (const [name, { file, type }] of Object.entries(outputFiles)) {
      try {
        const whole = readBytesSync(file, workload.buffers[name].bytes);
        read[name] = widenOutput(new Uint32Array(whole, 0, whole.byteLength >> 2), type);
      } catch {
        throw new PeerFailure(`${this.name} wrote no output ${name}`, 'runtime-error');
      }
    }
    return { ...summarize(samples as number[], relativeMarginOfError(samples as number[])), outputs: read, ...(reply.info ? { info: reply.info as Record<string, unknown> } : {}) };
  }

  async close(): Promise<void> {
    await this.process.close();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
