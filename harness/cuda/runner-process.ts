// The runner as a child process spoken to in JSON lines, one request in flight at a time. A reply
// that does not come within its time limit, or a runner that dies (illegal address, a fatal CUDA
// error it reported), ends this process; `generation` counts restarts so that modules and buffers
// loaded into an earlier runner are loaded again before use.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunnerReply {
  ok: boolean;
  status?: string;
  error?: string;
  [field: string]: unknown;
}

export class RunnerDied extends Error {
  override name = 'RunnerDied';
  constructor(
    message: string,
    readonly status: 'timeout' | 'runtime-error',
  ) {
    super(message);
  }
}

export class RunnerProcess {
  private child?: ChildProcessWithoutNullStreams;
  private pending?: { resolve: (r: RunnerReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
  private stderrTail = '';
  private queue: Promise<unknown> = Promise.resolve();
  /** Incremented on every (re)start. */
  generation = 0;

  constructor(private readonly binary: string) {}

  get alive(): boolean {
    return this.child !== undefined;
  }

  private start(): void {
    const child = spawn(this.binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.generation++;
    this.stderrTail = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      const pending = this.pending;
      if (!pending) return;
      this.pending = undefined;
      clearTimeout(pending.timer);
      try {
        pending.resolve(JSON.parse(line) as RunnerReply);
      } catch {
        pending.reject(new RunnerDied(`runner printed a line that is not JSON: ${line.slice(0, 200)}`, 'runtime-error'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const pending = this.pending;
      if (pending) {
        this.pending = undefined;
        clearTimeout(pending.timer);
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        pending.reject(new RunnerDied(`CUDA runner ended (${why})${this.stderrTail ? `: ${this.stderrTail.trim()}` : ''}`, 'runtime-error'));
      }
    });
  }

  /** Sends one request; the runner is (re)started first if needed. Serialized. */
  request(body: Record<string, unknown>, timeoutMs: number): Promise<RunnerReply> {
    const next = this.queue.then(() => this.send(body, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private send(body: Record<string, unknown>, timeoutMs: number): Promise<RunnerReply> {
    if (!this.child) this.start();
    const child = this.child!;
    return new Promise<RunnerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.kill();
        reject(new RunnerDied(`CUDA runner gave no reply to ${String(body.op)} within ${timeoutMs} ms; restarted`, 'timeout'));
      }, timeoutMs);
      this.pending = { resolve, reject, timer };
      child.stdin.write(`${JSON.stringify(body)}\n`);
    });
  }

  kill(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (!this.child) return;
    try {
      await this.request({ op: 'exit' }, 5000);
    } catch {
      // already gone
    }
    this.kill();
  }
}
