// Bad input exits 2 with one line naming the bad value, before any device is opened.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/tilesweep.js', ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: '/tmp/tilesweep-test-cache' } });

const cases: [string, string[], RegExp][] = [
  ['unknown kernel', ['tune', 'fp4-gemm'], /unknown kernel "fp4-gemm"; known kernels: .*fp8-gemm/],
  ['K not a multiple of 16', ['tune', 'fp8-gemm', '--shape', 'M=64,N=64,K=100'], /K=100 is not a multiple of 16: /],
  ['K not a multiple of 16, on CUDA', ['tune', 'fp8-gemm', '--backend', 'cuda', '--shape', 'M=1,N=8,K=1000'], /^tilesweep: K=1000 is not a multiple of 16: each row of A and B is K e4m3 bytes/],
  ['grouped K not a multiple of 16', ['tune', 'grouped-gemm', '--shape', 'G=2,M=8,N=64,K=1000'], /K=1000 is not a multiple of 16: /],
  ['negative dimension', ['tune', 'fp8-gemm', '--shape', 'M=-4,N=64,K=128'], /M=-4 must be a positive integer/],
  ['missing dimension', ['tune', 'fp8-gemm', '--shape', 'M=64,K=128'], /needs N=<integer>/],
  ['unknown dimension', ['tune', 'fp8-gemm', '--shape', 'M=64,N=64,K=128,Q=1'], /unknown dimension "Q"/],
  ['malformed shape', ['tune', 'fp8-gemm', '--shape', 'M64'], /bad --shape entry "M64"/],
  ['unknown preset', ['tune', 'fp8-gemm', '--preset', 'huge'], /unknown preset "huge" for fp8-gemm/],
  ['preset and shape', ['tune', 'fp8-gemm', '--preset', 'tiny', '--shape', 'M=1,N=1,K=128'], /exclusive/],
  ['unknown strategy', ['tune', 'fp8-gemm', '--strategy', 'annealing'], /unknown strategy "annealing"/],
  ['bad budget', ['tune', 'fp8-gemm', '--budget', 'ten'], /--budget "ten" is not a positive integer/],
  ['bad settling time', ['tune', 'fp8-gemm', '--settle-ms', '-5'], /--settle-ms "-5" is not a positive integer/],
  ['unknown parameter', ['tune', 'fp8-gemm', '--preset', 'tiny', '--param', 'WARPS=4'], /unknown parameter "WARPS"/],
  ['unknown backend', ['tune', 'fp8-gemm', '--backend', 'metal'], /metal/],
  ['unknown option', ['tune', 'fp8-gemm', '--fast'], /unknown option '--fast'/],
];

for (const [name, args, pattern] of cases) {
  test(`bad input exits 2: ${name}`, () => {
    const result = cli(...args);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, pattern);
    assert.equal(result.stderr.trim().split('\n').filter((l) => !l.startsWith('Warning:')).length, 1, result.stderr);
  });
}

test('K=1008 (a partial last 128-wide block) passes the problem check: the replay then says it holds no such problem', () => {
  const result = cli('tune', 'fp8-gemm', '--backend', 'replay:results/h200/fp8-gemm.json.br', '--shape', 'M=1,N=8,K=1008');
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /does not record fp8-gemm problem M=1,N=8,K=1008/);
  assert.doesNotMatch(result.stderr, /not a multiple/);
});
