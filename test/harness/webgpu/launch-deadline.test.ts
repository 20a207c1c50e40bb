// A pipeline's first launch on a software driver includes the shader's compile (llvmpipe compiles at
// the first dispatch): it gets the compile budget on top of the launch timeout, later launches do not,
// so a cold shader cache on a loaded machine is not a timeout and a hung launch still is one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchDeadlineMs } from '../../../harness/webgpu/backend.ts';

test('the first launch of a pipeline gets the compile budget; later launches only the launch timeout', () => {
  const options = { launchTimeoutMs: 60_000, firstLaunchCompileMs: 600_000, minSampleMs: 0.5 };
  assert.equal(launchDeadlineMs(options, true), 660_000);
  assert.equal(launchDeadlineMs(options, false), 60_000);
});
