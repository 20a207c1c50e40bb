// A software adapter's threads, which the WGSL cost models spread workgroups over: lavapipe's
// LP_NUM_THREADS where set to a positive whole number, else one per CPU of this host.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { softwareThreads } from '../../../harness/webgpu/software-threads.ts';
import { replayCapabilities } from '../../../harness/replay/backend.ts';

test('software threads: LP_NUM_THREADS when it is a positive whole number, else the CPUs', () => {
  assert.equal(softwareThreads({ LP_NUM_THREADS: '3' }), 3);
  assert.equal(softwareThreads({}), availableParallelism());
  for (const bad of ['0', '-2', '1.5', 'many', '']) assert.equal(softwareThreads({ LP_NUM_THREADS: bad }), availableParallelism(), bad);
});

test("a replay keeps the recorded adapter's threads; where the recording kept none, the replaying host's as given; a GPU none", () => {
  const device = { backend: 'webgpu' as const, name: 'llvmpipe', vendor: 'mesa', driver: 'x', fingerprint: 'f', architecture: 'software' };
  assert.equal(replayCapabilities({ ...device, cpuThreads: 5 }).cpuThreads, 5);
  assert.equal(replayCapabilities(device, 3).cpuThreads, 3);
  assert.equal(replayCapabilities(device).cpuThreads, undefined);
  assert.equal(replayCapabilities({ ...device, architecture: 'nvidia' }, 3).cpuThreads, undefined);
});
