// The runner as a child process spoken to in JSON lines, one request in flight at a time. A reply
// that does not come within its time limit, a runner that dies, or a reply marked fatal (illegal
// address, a launch past its limit: the runner exits after answering) ends this process; the next
// request starts a new one, which is greeted with the init request first. `generation` counts
// starts so that modules and buffers loaded into an earlier runner are loaded again before use.
// External peers (harness/peers/external.ts) speak the same protocol through the same class.
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

  constructor(
    private readonly binary: string,
    /** Sent to every new runner before anything else; a failed reply fails the request that started it. */
    private readonly init: Record<string, unknown> = { op: 'hello' },
    private readonly initTimeoutMs = 60_000,
    private readonly spawnOptions: { args?: readonly string[]; cwd?: string; label?: string; env?: Readonly<Record<string, string>> } = {},
  ) {}

  private get label(): string {
    return this.spawnOptions.label ?? 'CUDA runner';
  }

  get alive(): boolean {
    return this.child !== undefined;
  }

  private start(): void {
    const child = spawn(this.binary, [...(this.spawnOptions.args ?? [])], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: this.spawnOptions.cwd,
      ...(this.spawnOptions.env ? { env: { ...process.env, ...this.spawnOptions.env } } : {}),
    });
    // A program that cannot start (not found, not executable) fails the request in flight.
    child.on('error', (error) => {
      this.stderrTail = `${this.stderrTail}${error.message}`.slice(-2000);
    });
    // A child that already ended (it could not start) answers through 'close'; a write must not throw.
    child.stdin.on('error', () => undefined);
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
        pending.reject(new RunnerDied(`${this.label} printed a line that is not JSON: ${line.slice(0, 200)}`, 'runtime-error'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    // 'close' (not 'exit'): it comes after stdout has ended, so a last reply line is delivered first.
    child.on('close', (code, signal) => {
      // A runner this client already killed (timeout, fatal reply) may exit after its successor
      // started: its exit says nothing about the successor's request in flight.
      if (this.child !== child) return;
      this.child = undefined;
      const pending = this.pending;
      if (pending) {
        this.pending = undefined;
        clearTimeout(pending.timer);
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        pending.reject(new RunnerDied(`${this.label} ended (${why})${this.stderrTail ? `: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}` : ''}`, 'runtime-error'));
      }
    });
  }

  /** Sends one request; the runner is (re)started first if needed. Serialized. */
  request(body: Record<string, unknown>, timeoutMs: number): Promise<RunnerReply> {
    const next = this.queue.then(() => this.send(body, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async send(body: Record<string, unknown>, timeoutMs: number): Promise<RunnerReply> {
    if (!this.child) {
      this.start();
      if (body.op !== this.init.op) {
        const greeting = await this.exchange(this.init, this.initTimeoutMs);
        if (!greeting.ok) {
          this.kill();
          throw new RunnerDied(`${this.label} restart failed: ${greeting.error}`, 'runtime-error');
        }
      }
    }
    const reply = await this.exchange(body, timeoutMs);
    if (reply.fatal === true) this.kill();
    return reply;
  }

  private exchange(body: Record<string, unknown>, timeoutMs: number): Promise<RunnerReply> {
    const child = this.child;
    if (!child) return Promise.reject(new RunnerDied(`${this.label} is not running`, 'runtime-error'));
    return new Promise<RunnerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.kill();
        reject(new RunnerDied(`${this.label} gave no reply to ${String(body.op)} within ${timeoutMs} ms; restarted`, 'timeout'));
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
