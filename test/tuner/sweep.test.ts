// The sweep loop's failure paths, device-free: a backend that fails in each way a real one can.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompileError, RuntimeError, TimeoutError, type Backend, type Compiled, type DeviceBuffers } from '../../harness/backend.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import type { KernelFamily, KernelSource } from '../../kernels/types.ts';
import { runSweep } from '../../tuner/sweep.ts';
import { ResultCache } from '../../tuner/cache.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type P = { n: number };
type C = { mode: 'ok' | 'compile' | 'crash' | 'hang' | 'wrong' | 'big' };

const caps = { backend: 'webgpu', isCpu: true } as Capabilities;
const verifyOut = (outputs: Readonly<Record<string, ArrayLike<number>>>) => {
  const ok = outputs.out[0] === 1;
  return { ok, maxAbsErr: ok ? 0 : 1, maxRelErr: ok ? 0 : 1, cosineDiff: 0 };
};
const family: KernelFamily<P, C> = {
  name: 'fake', description: 'fake', dimensions: ['n'], presets: {}, problemFromShape: (s) => ({ n: s.n }),
  defaultProblem: () => ({ n: 4 }), checkProblem: () => {},
  workload: (p, seed) => ({ seed, buffers: { out: { role: 'output', bytes: 4 * p.n } } }),
  verify: (_p, _w, outputs) => verifyOut(outputs),
  flops: (p) => p.n, bytes: (p) => 4 * p.n,
  targets: {
    wgsl: {
      space: () => ({ params: { mode: ['ok', 'compile', 'crash', 'hang', 'wrong', 'big'] }, constraints: [{ name: 'not-big', why: 'too big', ok: (c) => c.mode !== 'big' }] }),
      source: (_p, c): KernelSource => ({ language: 'wgsl', code: `// ${c.mode}`, launches: [{ entryPoint: c.mode, grid: [1, 1, 1], block: [1, 1, 1], bindings: [] }] }),
      verify: (_p, _w, outputs) => verifyOut(outputs),
    },
  },
};

class FakeBackend implements Backend {
  readonly name = 'webgpu' as const;
  readonly language = 'wgsl' as const;
  readonly device = { backend: 'webgpu' as const, name: 'fake', vendor: 'test', driver: 'test', fingerprint: 'fake' };
  readonly caps = caps;
  launches = 0;
  async compile(source: KernelSource): Promise<Compiled> {
    if (source.launches[0].entryPoint === 'compile') throw new CompileError('expected ; at 3:4');
    return { source };
  }
  async upload(workload: DeviceBuffers['workload']): Promise<DeviceBuffers> {
    return { workload };
  }
  private mode = '';
  async run(compiled: Compiled): Promise<void> {
    this.launches++;
    this.mode = compiled.source.launches[0].entryPoint;
    if (this.mode === 'crash') throw new RuntimeError('device lost: illegal address');
    if (this.mode === 'hang') throw new TimeoutError('launch did not finish within 10 ms');
  }
  async read(): Promise<Float32Array> {
    return Float32Array.of(this.mode === 'wrong' ? 0 : 1, 0, 0, 0);
  }
  async time() {
    return { samplesMs: [1, 2, 3], medianMs: 2, p10Ms: 1.2, p90Ms: 2.8, rme: 5, timer: 'wall-clock' as const, launchesPerSample: 1 };
  }
  release(): void {}
  async dispose(): Promise<void> {}
}

test('each failure becomes its row and the sweep goes on to the end', async () => {
  const backend = new FakeBackend();
  const rows = await runSweep({ family, problem: { n: 4 }, backend, strategy: 'exhaustive' });
  assert.deepEqual(rows.map((r) => r.status), ['ok', 'compile-error', 'runtime-error', 'timeout', 'mismatch', 'invalid']);
  assert.match(rows[1].error!, /expected ; at 3:4/);
  assert.match(rows[2].error!, /illegal address/);
  assert.match(rows[5].error!, /not-big: too big/);
  assert.equal(rows[0].medianMs, 2);
  assert.equal(rows[0].tflops, 4 / 2e-3 / 1e12);
  assert.equal(rows[4].samplesMs, undefined, 'a mismatching kernel is not timed');
});

test('the cache keeps durable rows only: a re-run retries the crash and the hang, nothing else', async () => {
  const cache = new ResultCache(mkdtempSync(join(tmpdir(), 'tilesweep-sweep-')), 'fake');
  await runSweep({ family, problem: { n: 4 }, backend: new FakeBackend(), strategy: 'exhaustive', cache });
  const again = new FakeBackend();
  const rows = await runSweep({ family, problem: { n: 4 }, backend: again, strategy: 'exhaustive', cache });
  assert.deepEqual(rows.map((r) => Boolean(r.cached)), [true, true, false, false, true, false]);
  assert.equal(again.launches, 2, 'only the crash and the hang ran again');
});

test('an aborted sweep stops before its next config, every row so far already given to onRow', async () => {
  const stop = new AbortController();
  const seen: string[] = [];
  const sweep = runSweep({
    family, problem: { n: 4 }, backend: new FakeBackend(), strategy: 'exhaustive', signal: stop.signal,
    onRow: (row) => {
      seen.push(row.status);
      if (row.status === 'runtime-error') stop.abort(new Error('device lost'));
    },
  });
  await assert.rejects(sweep, /device lost/);
  assert.deepEqual(seen, ['ok', 'compile-error', 'runtime-error']);
});
