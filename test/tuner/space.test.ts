import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import type { Space } from '../../kernels/types.ts';
import { explainViolations, narrow, parseParamOverrides, product, searchSpace } from '../../tuner/space.ts';

const space: Space<{ a: number; b: string }> = {
  params: { a: [1, 2, 4], b: ['x', 'y'] },
  constraints: [{ name: 'a-small', why: 'a must be below 4', ok: (c) => c.a < 4 }],
};

test('the product enumerates every combination in declaration order', () => {
  assert.deepEqual(product(space.params), [
    { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 4, b: 'x' }, { a: 4, b: 'y' },
  ]);
});

test('violations name the broken constraints and explain why', () => {
  const s = searchSpace(space);
  assert.deepEqual(s.violations({ a: 4, b: 'x' }), ['a-small']);
  assert.deepEqual(s.violations({ a: 2, b: 'x' }), []);
  assert.match(explainViolations(space, { a: 4, b: 'y' }), /a-small: a must be below 4/);
});

test('--param narrows to known values and rejects unknown names and values', () => {
  const narrowed = narrow('k', space, parseParamOverrides(['a=1,4']));
  assert.deepEqual(narrowed.params.a, [1, 4]);
  assert.deepEqual(narrowed.params.b, ['x', 'y']);
  assert.throws(() => narrow('k', space, { c: ['1'] }), (e: Error) => e instanceof UsageError && /unknown parameter "c"/.test(e.message));
  assert.throws(() => narrow('k', space, { a: ['3'] }), (e: Error) => e instanceof UsageError && /"3" for a is not one of 1, 2, 4/.test(e.message));
  assert.throws(() => parseParamOverrides(['a']), UsageError);
});
