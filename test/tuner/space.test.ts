import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import type { Space } from '../../kernels/types.ts';
import { configFromText, explainViolations, narrow, parseParamOverrides, product, searchSpace } from '../../tuner/space.ts';

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

test('a listed space (a sum type\'s configs): walked as listed, --param keeps the configs that take the values, a config text picks one', () => {
  type Sum = { kind: 'p'; x: number } | { kind: 'q'; y: string };
  const configs: Sum[] = [{ kind: 'p', x: 1 }, { kind: 'p', x: 2 }, { kind: 'q', y: 'z' }];
  const listed: Space<Sum> = { params: { kind: ['p', 'q'], x: [1, 2], y: ['z'] } as unknown as Space<Sum>['params'], constraints: [], configs };
  assert.deepEqual(searchSpace(listed).all, configs);
  assert.deepEqual(searchSpace(narrow('k', listed, { kind: ['p'] })).all, configs.slice(0, 2));
  assert.deepEqual(searchSpace(narrow('k', listed, { x: ['2'] })).all, [{ kind: 'p', x: 2 }]);
  assert.throws(() => narrow('k', listed, { w: ['1'] }), (e: Error) => e instanceof UsageError && /unknown parameter "w"/.test(e.message));
  assert.throws(() => narrow('k', listed, { x: ['3'] }), (e: Error) => e instanceof UsageError && /"3" for x is not one of 1, 2/.test(e.message));
  assert.deepEqual(configFromText('k', listed, 'kind=q'), { kind: 'q', y: 'z' });
  assert.throws(() => configFromText('k', listed, 'kind=p'), (e: Error) => e instanceof UsageError);
});
