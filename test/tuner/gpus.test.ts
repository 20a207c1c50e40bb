// `--gpus` text and ordinals: every bad input is a UsageError (one line, exit 2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { parseGpus, resolveGpus } from '../../tuner/gpus.ts';

test('all and lists of ordinals parse; all resolves to every GPU of the host', () => {
  assert.deepEqual(parseGpus('all'), { kind: 'all' });
  assert.deepEqual(parseGpus('1, 0'), { kind: 'list', ordinals: [1, 0] });
  assert.deepEqual(resolveGpus(parseGpus('all'), 2), [0, 1]);
  assert.deepEqual(resolveGpus(parseGpus('1'), 2), [1]);
});

test('a repeated GPU, a non-ordinal and an empty entry are one-line usage errors', () => {
  for (const [text, why] of [['0,0', /GPU 0 is named twice/], ['x', /"x" is not a device ordinal/], ['0,', /"" is not a device ordinal/], ['-1', /not a device ordinal/], ['1.5', /not a device ordinal/]] as const) {
    assert.throws(() => parseGpus(text), (e: unknown) => e instanceof UsageError && why.test(e.message) && !e.message.includes('\n'), text);
  }
});

test('a GPU the host lacks is a usage error once the GPUs are counted', () => {
  assert.throws(() => resolveGpus(parseGpus('0,3'), 2), (e: unknown) => e instanceof UsageError && /GPU 3, but this host has 2 \(ordinals 0-1\)/.test(e.message));
});
