// The browser runtime of the WebGPU backend, device-free: a browser without navigator.gpu is told
// what to do (not to run the CLI's set-up script), and the browser is named by its brand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../core/errors.ts';
import { browserRuntime } from '../../../harness/webgpu/browser.ts';

const gpu = { requestAdapter: async () => null } as unknown as GPU;

test('no navigator.gpu: a UsageError that names the browser fix, not scripts/setup.sh', () => {
  assert.throws(
    () => browserRuntime({ userAgent: 'Mozilla/5.0 Firefox/120.0' }),
    (e: unknown) => e instanceof UsageError && /navigator\.gpu is missing/.test(e.message) && /--enable-unsafe-webgpu/.test(e.message) && !/setup\.sh/.test(e.message),
  );
});

test('the browser is named by its brand, Chrome over Chromium, and identifies the fingerprint', () => {
  const brands = [{ brand: 'Not=A?Brand', version: '24' }, { brand: 'Chromium', version: '156' }, { brand: 'Google Chrome', version: '156' }];
  const runtime = browserRuntime({ gpu, userAgent: 'Mozilla/5.0', userAgentData: { brands } });
  assert.deepEqual(runtime.identity, { browser: 'Google Chrome 156' });
  assert.equal(runtime.label, 'Google Chrome 156 WebGPU');
  assert.equal(browserRuntime({ gpu, userAgent: 'Mozilla/5.0 Chromium', userAgentData: { brands: brands.slice(0, 2) } }).identity.browser, 'Chromium 156');
  assert.equal(browserRuntime({ gpu, userAgent: 'Mozilla/5.0 Safari' }).identity.browser, 'Mozilla/5.0 Safari');
});

test('an adapter-less browser: the open fails with the browser advice', async () => {
  const { WebGpuBackend } = await import('../../../harness/webgpu/backend.ts');
  await assert.rejects(WebGpuBackend.open(browserRuntime({ gpu, userAgent: 'x' })), (e: unknown) => e instanceof UsageError && /x WebGPU returned no adapter/.test(e.message) && /--enable-unsafe-webgpu/.test(e.message));
});
