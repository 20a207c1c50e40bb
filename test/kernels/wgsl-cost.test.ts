// The WGSL price list: a CPU adapter walks the lanes of a memory access one by one, so an access
// costs more than a vector instruction by an order of magnitude, and a barrier in the kernel makes
// every access dearer (the lanes assembled in the coroutine frame).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../core/capabilities.ts';
import { CPU_PRICES, GPU_PRICES, noWork, wgslPrices, workgroupCost } from '../../kernels/wgsl-cost.ts';

test('a CPU adapter: lanes from the subgroup size where reported; a GPU adapter shares an access over its lanes', () => {
  const cpu = { isCpu: true } as Capabilities;
  assert.equal(wgslPrices(cpu).lanes, CPU_PRICES.lanes);
  assert.equal(wgslPrices({ ...cpu, subgroupMaxSize: 16 }).lanes, 16);
  assert.equal(wgslPrices({ isCpu: false } as Capabilities), GPU_PRICES);
  const loads = { ...noWork(64), storage: { accesses: 64, components: 64 } };
  const alu = { ...noWork(64), vectorOps: 64 / CPU_PRICES.lanes };
  // On a CPU 64 loads cost far more than one arithmetic instruction on each of the 8 vectors...
  assert.ok(workgroupCost(loads, CPU_PRICES) - workgroupCost(noWork(64), CPU_PRICES) > 10 * (workgroupCost(alu, CPU_PRICES) - workgroupCost(noWork(64), CPU_PRICES)));
  // ...on a GPU they cost about what an instruction a vector does.
  assert.ok(workgroupCost(loads, GPU_PRICES) - workgroupCost(noWork(64), GPU_PRICES) <= 4 * (64 / GPU_PRICES.lanes));
});

test('on a CPU a barrier makes each access dearer (the lanes go through the coroutine frame), and costs each vector a switch', () => {
  const work = { ...noWork(64), storage: { accesses: 64, components: 256 } };
  const plain = workgroupCost(work, CPU_PRICES);
  const framed = workgroupCost({ ...work, barriers: 1 }, CPU_PRICES);
  assert.ok(framed - plain > 256 * CPU_PRICES.component);
  assert.equal(workgroupCost({ ...noWork(64), barriers: 2 }, CPU_PRICES) - workgroupCost(noWork(64), CPU_PRICES), 2 * 8 * CPU_PRICES.barrier);
});

test("a CPU adapter's workgroups run over its threads (the adapter's or a recording's count; one where unknown)", () => {
  const cpu = { isCpu: true } as Capabilities;
  assert.equal(wgslPrices({ ...cpu, cpuThreads: 6 }).concurrent, 6);
  assert.equal(wgslPrices(cpu).concurrent, 1);
  assert.equal(wgslPrices({ isCpu: false, cpuThreads: 6 } as Capabilities).concurrent, GPU_PRICES.concurrent);
});
