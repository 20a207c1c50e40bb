// Exit codes mean one thing each: 2 bad input (one line), and an internal error is 70 with one line
// (its stack only under TILESWEEP_DEBUG=1), never 1, which CI reads as "regression".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CommanderError } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { failureExit, INTERNAL_ERROR_EXIT } from '../../bin/failure.ts';

test('each kind of failure has its own exit code and one line', () => {
  assert.deepEqual(failureExit(new UsageError('bad --out'), {}), { code: 2, text: 'tilesweep: bad --out\n' });
  assert.deepEqual(failureExit(new CommanderError(1, 'commander.unknownOption', 'x'), {}), { code: 2, text: '' });
  assert.deepEqual(failureExit(new CommanderError(0, 'commander.helpDisplayed', 'x'), {}), { code: 0, text: '' });
  const crash = failureExit(new TypeError("Cannot read properties of undefined (reading 'rows')"), {});
  assert.equal(crash.code, INTERNAL_ERROR_EXIT);
  assert.notEqual(crash.code, 1);
  assert.equal(crash.text, "tilesweep: internal error: TypeError: Cannot read properties of undefined (reading 'rows') (TILESWEEP_DEBUG=1 shows where)\n");
  const debug = failureExit(new TypeError('boom'), { TILESWEEP_DEBUG: '1' });
  assert.match(debug.text, /^tilesweep: internal error: TypeError: boom\n {4}at /);
  assert.equal(failureExit('thrown text', {}).code, INTERNAL_ERROR_EXIT);
});

// The CLI's own entry point with a command whose action throws: the process exits 70, one line.
const crashing = `
import { Command } from 'commander';
import { runCli } from './bin/run.ts';
const program = new Command('tilesweep').exitOverride();
program.addCommand(new Command('crash').exitOverride().action(async () => { await Promise.resolve(); null.rows; }));
await runCli(program, ['node', 'tilesweep', 'crash']);
`;

test('a crash inside a command exits 70 with one line; TILESWEEP_DEBUG=1 adds the stack', () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', crashing], { encoding: 'utf8', env: { ...process.env, ...env } });
  const quiet = run({ TILESWEEP_DEBUG: '' });
  assert.equal(quiet.status, INTERNAL_ERROR_EXIT, quiet.stderr);
  assert.match(quiet.stderr, /^tilesweep: internal error: TypeError: Cannot read properties of null[^\n]*\n$/);
  const loud = run({ TILESWEEP_DEBUG: '1' });
  assert.equal(loud.status, INTERNAL_ERROR_EXIT);
  assert.match(loud.stderr, /\n {4}at /);
});
