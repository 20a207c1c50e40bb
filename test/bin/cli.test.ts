// Bad input exits 2 with one line naming the bad value, before any device is opened.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/tilesweep.js', ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: '/tmp/tilesweep-test-cache' } });

const cases: [string, string[], RegExp][] = [
  ['unknown kernel', ['tune', 'fp4-gemm'], /unknown kernel "fp4-gemm"; known kernels: .*fp8-gemm/],
  ['K not a multiple of 128', ['tune', 'fp8-gemm', '--shape', 'M=64,N=64,K=100'], /K=100 is not a multiple of 128/],
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
