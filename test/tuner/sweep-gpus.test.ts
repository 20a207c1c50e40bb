// A sweep spread over several GPUs, device-free: fake backends stand for one runner per GPU. Shown:
// every GPU is kept busy (as many configs in flight as GPUs, seen through deferred launches, never
// timers), two GPUs give the same set of verified rows as one, every measured row records its GPU,
// and a fault on one GPU fails only its row in flight while the rest of the sweep finishes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuntimeError, type Backend, type Compiled, type DeviceBuffers } from '../../harness/backend.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import type { ResultRow } from '../../core/results.ts';
import type { KernelFamily, KernelSource } from '../../kernels/types.ts';
import { runSweep } from '../../tuner/sweep.ts';
import type { GpuSlot } from '../../tuner/gpu-pool.ts';

type P = { n: number };
type C = { tile: number };

const caps = { backend: 'cuda', isCpu: false } as Capabilities;
const verifyOut = (outputs: Readonly<Record<string, ArrayLike<number>>>) => {
  const ok = outputs.out[0] === 1;
  return { ok, maxAbsErr: ok ? 0 : 1, maxRelErr: ok ? 0 : 1, cosineDiff: 0 };
};
const TILES = [1, 2, 3, 4, 5, 6, 7, 8];
const family: KernelFamily<P, C> = {
  name: 'fake', description: 'fake', dimensions: ['n'], presets: {}, problemFromShape: (s) => ({ n: s.n }),
  defaultProblem: () => ({ n: 4 }), checkProblem: () => {},
  workload: (p, seed) => ({ seed, buffers: { out: { role: 'output', bytes: 4 * p.n } } }),
  verify: (_p, _w, outputs) => verifyOut(outputs),
  flops: (p) => p.n, bytes: (p) => 4 * p.n,
  targets: {
    wgsl: {
      // tile 8 breaks a constraint: an invalid row that needs no GPU.
      space: () => ({ params: { tile: TILES }, constraints: [{ name: 'fits', why: 'tile 8 does not fit', ok: (c) => c.tile !== 8 }] }),
      source: (_p, c): KernelSource => ({ language: 'wgsl', code: `// tile ${c.tile}`, launches: [{ entryPoint: `t${c.tile}`, grid: [1, 1, 1], block: [1, 1, 1], bindings: [] }] }),
      verify: (_p, _w, outputs) => verifyOut(outputs),
    },
  },
};

/** One GPU's runner: launches can be held open (deferred), and a fault injected on a chosen tile. */
class FakeGpu implements Backend {
  readonly name = 'webgpu' as const;
  readonly language = 'wgsl' as const;
  readonly device = { backend: 'webgpu' as const, name: 'fake H200', vendor: 'test', driver: 'test', fingerprint: 'fake-h200' };
  readonly caps = caps;
  inFlight = 0;
  ran: number[] = [];
  gone = false;
  /** Resolvers of launches held open, when `hold` is set. */
  held: (() => void)[] = [];
  constructor(
    readonly gpu: number,
    private readonly options: { hold?: boolean; faultOn?: number; disappear?: boolean } = {},
  ) {}
  async compile(source: KernelSource): Promise<Compiled> {
    return { source };
  }
  async upload(workload: DeviceBuffers['workload']): Promise<DeviceBuffers> {
    return { workload };
  }
  async run(compiled: Compiled): Promise<void> {
    const tile = Number(compiled.source.launches[0].entryPoint.slice(1));
    if (this.gone) throw new RuntimeError('CUDA runner restart failed: no CUDA device');
    this.inFlight++;
    if (this.options.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    this.inFlight--;
    if (tile === this.options.faultOn) {
      if (this.options.disappear) this.gone = true;
      throw new RuntimeError('CUDA runner ended (signal SIGKILL): illegal address');
    }
    this.ran.push(tile);
  }
  async read(): Promise<Float32Array> {
    return Float32Array.of(1, 0, 0, 0);
  }
  async time() {
    return { samplesMs: [1, 1, 1], medianMs: 1, p10Ms: 1, p90Ms: 1, rme: 0, timer: 'cuda-event' as const, launchesPerSample: 1 };
  }
  release(): void {}
  async dispose(): Promise<void> {}
}

const slotOf = (fake: FakeGpu): GpuSlot => ({ gpu: fake.gpu, backend: fake, lost: () => fake.gone });
const verifiedSet = (rows: readonly ResultRow[]) => rows.filter((r) => r.status === 'ok' && r.verified?.ok).map((r) => (r.config as C).tile).sort((a, b) => a - b);
const tick = () => new Promise((r) => setImmediate(r));

test('an exhaustive sweep keeps both GPUs busy: a config in flight on each before either finishes', async () => {
  const gpus = [new FakeGpu(0, { hold: true }), new FakeGpu(1, { hold: true })];
  let done = false;
  const sweep = runSweep({ family, problem: { n: 4 }, backend: gpus[0], gpus: gpus.map(slotOf), strategy: 'exhaustive' }).finally(() => (done = true));
  const inFlight: number[][] = [];
  while (!done) {
    // Event-loop turns, not time: long enough for every ready config to reach its launch.
    for (let turn = 0; turn < 50 && !done && !gpus.every((g) => g.held.length > 0); turn++) await tick();
    inFlight.push(gpus.map((g) => g.held.length));
    for (const g of gpus) for (const release of g.held.splice(0)) release();
    await tick();
  }
  const rows = await sweep;
  // 7 valid configs on 2 GPUs: three rounds with both busy, then the last config alone.
  assert.deepEqual(inFlight.slice(0, 3), [[1, 1], [1, 1], [1, 1]], 'both GPUs hold a config in flight at once');
  assert.ok(inFlight.every((r) => r[0] + r[1] <= 2), 'never more configs in flight than GPUs');
  assert.deepEqual(verifiedSet(rows), [1, 2, 3, 4, 5, 6, 7]);
});

test('two GPUs give the same set of verified rows as one, and each measured row records its GPU', async () => {
  const one = await runSweep({ family, problem: { n: 4 }, backend: new FakeGpu(0), strategy: 'exhaustive' });
  const fakes = [new FakeGpu(0), new FakeGpu(1)];
  const two = await runSweep({ family, problem: { n: 4 }, backend: fakes[0], gpus: fakes.map(slotOf), strategy: 'exhaustive' });
  assert.deepEqual(verifiedSet(two), verifiedSet(one));
  assert.equal(two.length, one.length, 'the invalid config is a row too');
  for (const row of two) {
    if (row.status === 'invalid') assert.equal(row.gpu, undefined, 'a config that never ran names no GPU');
    else assert.ok(fakes[row.gpu!].ran.includes((row.config as C).tile), `tile ${(row.config as C).tile} ran on the GPU its row names`);
  }
  assert.deepEqual(new Set(two.filter((r) => r.gpu !== undefined).map((r) => r.gpu)), new Set([0, 1]));
});

test('a fault on one GPU fails only its row in flight; its runner restarts and the sweep finishes', async () => {
  const fakes = [new FakeGpu(0), new FakeGpu(1, { faultOn: 2 })];
  const rows = await runSweep({ family, problem: { n: 4 }, backend: fakes[0], gpus: fakes.map(slotOf), strategy: 'exhaustive' });
  const failed = rows.filter((r) => r.status === 'runtime-error');
  assert.deepEqual(failed.map((r) => [(r.config as C).tile, r.gpu]), [[2, 1]], 'only the config in flight on GPU 1 failed');
  assert.match(failed[0].error!, /illegal address/);
  assert.deepEqual(verifiedSet(rows), [1, 3, 4, 5, 6, 7]);
  assert.ok(fakes[1].ran.length > 0, 'GPU 1 went on measuring after the fault');
});

test('a GPU that disappears fails its row in flight, is retired, and the other GPU measures the rest', async () => {
  const fakes = [new FakeGpu(0), new FakeGpu(1, { faultOn: 2, disappear: true })];
  const rows = await runSweep({ family, problem: { n: 4 }, backend: fakes[0], gpus: fakes.map(slotOf), strategy: 'exhaustive' });
  assert.deepEqual(rows.filter((r) => r.status === 'runtime-error').map((r) => [(r.config as C).tile, r.gpu]), [[2, 1]]);
  assert.deepEqual(verifiedSet(rows), [1, 3, 4, 5, 6, 7]);
  assert.deepEqual(rows.filter((r) => r.status === 'ok' && r.gpu === 1).length, 0, 'nothing ran on GPU 1 after it was lost');
  assert.deepEqual(rows.filter((r) => r.status === 'ok').map((r) => r.gpu), rows.filter((r) => r.status === 'ok').map(() => 0));
});

test('an adaptive strategy asks one config at a time and stays on one GPU', async () => {
  const fakes = [new FakeGpu(0), new FakeGpu(1)];
  const rows = await runSweep({ family, problem: { n: 4 }, backend: fakes[0], gpus: fakes.map(slotOf), strategy: 'local', budget: 5, seed: 3 });
  const measured = rows.filter((r) => r.gpu !== undefined);
  assert.ok(measured.length > 0);
  assert.ok(measured.every((r) => r.gpu === 0));
  assert.equal(fakes[1].ran.length, 0);
});

test('the time limit is checked as each config is handed out: a parallel sweep stops early and keeps its rows', async () => {
  let now = 0;
  // Each launch moves the injected clock on by one second: no wall time is read.
  class SlowGpu extends FakeGpu {
    override async run(compiled: Compiled): Promise<void> {
      now += 1000;
      return super.run(compiled);
    }
  }
  const fakes = [new SlowGpu(0), new SlowGpu(1)];
  const rows = await runSweep({ family, problem: { n: 4 }, backend: fakes[0], gpus: fakes.map(slotOf), strategy: 'exhaustive', timeLimitS: 2.5, clock: () => now });
  assert.ok(rows.length >= 2 && rows.length < TILES.length, `${rows.length} rows`);
  assert.ok(rows.every((r) => r.status === 'ok'), 'every config handed out finished');
});
