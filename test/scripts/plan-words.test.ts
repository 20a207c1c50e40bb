import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { planWords } from '../../scripts/plan-words.ts';

test('a plan line splits into the words bash makes of it', () => {
  const lines = [
    `tune fp8-gemm --backend cuda --shape 'M=1,N=576,K=7168;M=4,N=1536,K=7168' --space candidates --out $OUT/a.json`,
    `bench grouped-gemm --preset "dsv3-*-uniform,dsv3-ep8-masked-*"  --peers deepgemm,torch`,
    `gate --current x.json --peer-each 'FlashMLA@B=128,sq=1>=1.0' --roof-share ''`,
  ];
  for (const line of lines) {
    const bash = spawnSync('bash', ['-c', `set -f; for w in ${line.replaceAll('$OUT', '\\$OUT')}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' });
    assert.deepEqual(planWords(line), bash.stdout.split('\0').slice(0, -1), line);
  }
});
