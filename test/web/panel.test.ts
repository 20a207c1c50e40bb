// The notices that change how the page's numbers read: a wall clock is said loudly where the adapter
// has no timestamp-query, missing f16 and a software adapter are said too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../core/capabilities.ts';
import { noticesFor } from '../../web/panel.ts';

const caps = (over: Partial<Capabilities>): Capabilities => ({ backend: 'webgpu', isCpu: false, shaderF16: true, subgroups: true, timestampQuery: true, ...over }) as Capabilities;

test('no timestamp-query: a warning that the timer is the wall clock', () => {
  const notices = noticesFor(caps({ timestampQuery: false }));
  assert.deepEqual(notices.map((n) => n.kind), ['warn']);
  assert.match(notices[0].text, /^Timer: WALL CLOCK\. .*no timestamp-query.*"wall-clock"/);
});

test('timestamps, no f16, a software adapter: each said once', () => {
  const texts = noticesFor(caps({ shaderF16: false, isCpu: true })).map((n) => `${n.kind}: ${n.text}`);
  assert.equal(texts.length, 3);
  assert.match(texts[0], /^info: Timer: GPU timestamps/);
  assert.match(texts[1], /^warn: No shader-f16/);
  assert.match(texts[2], /^info: .*CPU/);
  assert.deepEqual(noticesFor(caps({})).map((n) => n.text), ['Timer: GPU timestamps (timestamp-query) around each compute pass.']);
});
