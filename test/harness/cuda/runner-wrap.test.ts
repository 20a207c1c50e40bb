import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runnerCommand } from '../../../harness/cuda/runner-wrap.ts';

test('the runner starts alone, or after the wrapper\'s words with its binary last', () => {
  assert.deepEqual(runnerCommand('/c/runner', undefined), { command: '/c/runner', args: [] });
  assert.deepEqual(runnerCommand('/c/runner', '  '), { command: '/c/runner', args: [] });
  assert.deepEqual(runnerCommand('/c/runner', ' compute-sanitizer  --tool racecheck --log-file /o/race.log '), {
    command: 'compute-sanitizer',
    args: ['--tool', 'racecheck', '--log-file', '/o/race.log', '/c/runner'],
  });
});
