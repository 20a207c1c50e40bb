// Compilation timed apart from measurement: a backend wrapped so that the milliseconds spent in
// `compile` (nvcc, or a hit in the content-keyed cubin cache) and in everything that touches the
// device (upload, run, read back, time, energy) are summed separately. With several GPUs the compile
// time is summed over them: it is work done, not wall time.
import type { Backend } from '../harness/backend.ts';

export interface StageTimes {
  compileMs: number;
  measureMs: number;
}

export function clocked(backend: Backend, now: () => number = () => performance.now()): { backend: Backend; times: StageTimes } {
  const times: StageTimes = { compileMs: 0, measureMs: 0 };
  const spent = async <R>(stage: keyof StageTimes, work: () => Promise<R>): Promise<R> => {
    const started = now();
    try {
      return await work();
    } finally {
      times[stage] += now() - started;
    }
  };
  const wrapped: Backend = {
    name: backend.name,
    language: backend.language,
    device: backend.device,
    caps: backend.caps,
    compile: (source) => spent('compileMs', () => backend.compile(source)),
    upload: (workload) => spent('measureMs', () => backend.upload(workload)),
    run: (compiled, buffers) => spent('measureMs', () => backend.run(compiled, buffers)),
    read: (buffers, name) => spent('measureMs', () => backend.read(buffers, name)),
    time: (compiled, buffers, budget) => spent('measureMs', () => backend.time(compiled, buffers, budget)),
    ...(backend.energy ? { energy: (compiled, buffers, budget) => spent('measureMs', () => backend.energy!(compiled, buffers, budget)) } : {}),
    release: (buffers) => backend.release(buffers),
    dispose: () => backend.dispose(),
  };
  return { backend: wrapped, times };
}
