// The balanced plan's CUDA text, compiled for the host with the machine's C++ compiler (it is plain
// C++ run by one thread) and run over uneven batches: walked as the split kernel walks it, every
// tile of every sequence is computed exactly once, every sequence (empty ones too) is written once,
// each cut sequence's pieces take the split indices 0..n-1 and their own partial slots, and no CTA
// gets more than the plan's payload. Skipped with a message where no C++ compiler is found.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRng } from '../../../../core/rng.ts';
import { PLAN_KERNEL, PLAN_OVERHEAD_TOKENS, planInts } from '../../../../kernels/attention/cuda/merge.ts';

const compiler = ['g++', 'c++', 'clang++'].find((cxx) => {
  try {
    execFileSync(cxx, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

const HOST_MAIN = String.raw`
int main() {
  int batch, parts;
  if (scanf("%d %d", &batch, &parts) != 2) return 2;
  std::vector<int> lengths(batch), plan(5 * parts + 2 * batch, -7);
  for (int& len : lengths) scanf("%d", &len);
  decode_plan(lengths.data(), plan.data(), batch, parts);
  for (int v : plan) printf("%d ", v);
  return 0;
}
`;

function buildPlanner(dir: string, tokensPerTile: number): string {
  const source = join(dir, `plan${tokensPerTile}.cpp`);
  const binary = join(dir, `plan${tokensPerTile}`);
  writeFileSync(source, [
    '#include <cstdio>', '#include <vector>', '#define __global__', '#define __restrict__',
    'struct Index { int x = 0; } threadIdx, blockIdx;', `#define TN ${tokensPerTile}`, `#define PLAN_OVERHEAD_TILES ${PLAN_OVERHEAD_TOKENS / tokensPerTile}`,
    PLAN_KERNEL, HOST_MAIN,
  ].join('\n'));
  execFileSync(compiler!, ['-O1', '-std=c++17', '-o', binary, source]);
  return binary;
}

/** The pieces the split kernel's balanced walk (kernel.ts, BALANCED_WALK) computes for CTA `p`. */
function walk(plan: Int32Array, p: number, parts: number, lengths: number[], tn: number): { b: number; t0: number; t1: number; split: number }[] {
  const part = plan.subarray(5 * p, 5 * p + 5);
  const pieces = [];
  for (let b = part[0]; b < lengths.length && b <= part[3]; b++) {
    const tiles = Math.ceil(lengths[b] / tn);
    const t0 = b === part[0] ? part[1] : 0;
    const t1 = b === part[3] ? part[4] : tiles;
    if (b === part[3] && t1 <= t0) break;
    pieces.push({ b, t0, t1, split: b === part[0] ? part[2] : 0 });
  }
  return pieces;
}

test('the balanced plan covers every tile once, splits and slots consistent, CTAs within the payload', { skip: compiler ? false : 'skipped: no C++ compiler (g++, c++, clang++)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-plan-'));
  try {
    const rng = createRng(11);
    const batches: number[][] = [
      [300, 0, 1, 63, 64, 65, 129, 299],
      [0, 0, 0],
      [8192],
      Array.from({ length: 128 }, () => 1024 + rng.int(7169)),
      Array.from({ length: 37 }, (_, b) => (b % 5 === 0 ? 0 : 1 + rng.int(4000))),
    ];
    for (const tn of [64, 32, 16]) {
      const planner = buildPlanner(dir, tn);
      const overhead = PLAN_OVERHEAD_TOKENS / tn;
      for (const lengths of batches) {
        for (const parts of [1, 2, 7, 66, 132, 264]) {
          const out = execFileSync(planner, { input: `${lengths.length} ${parts}\n${lengths.join(' ')}\n`, encoding: 'utf8' });
          const plan = Int32Array.from(out.trim().split(/\s+/).map(Number));
          const B = lengths.length;
          assert.equal(plan.length, planInts(parts, B));
          const firstSlot = plan.subarray(5 * parts, 5 * parts + B);
          const nSplits = plan.subarray(5 * parts + B);
          const where = `tn=${tn} parts=${parts} lengths=${lengths.slice(0, 8).join(',')}${B > 8 ? '...' : ''}`;
          const covered = lengths.map((len) => new Uint8Array(Math.ceil(len / tn)));
          const splitsSeen = lengths.map(() => new Set<number>());
          const total = lengths.reduce((sum, len) => sum + Math.ceil(len / tn) + overhead, 0);
          const payload = Math.ceil(total / parts) + overhead;
          for (let p = 0; p < parts; p++) {
            let cost = 0;
            for (const piece of walk(plan, p, parts, lengths, tn)) {
              for (let t = piece.t0; t < piece.t1; t++) covered[piece.b][t]++;
              assert.ok(!splitsSeen[piece.b].has(piece.split), `${where}: split ${piece.split} of sequence ${piece.b} twice`);
              splitsSeen[piece.b].add(piece.split);
              cost += piece.t1 - piece.t0 + overhead;
            }
            if (p < parts - 1) assert.ok(cost <= payload + overhead, `${where}: CTA ${p} costs ${cost} > ${payload}`);
          }
          covered.forEach((tiles, b) => assert.ok(tiles.every((n) => n === 1), `${where}: sequence ${b}'s tiles covered ${[...tiles].join(',')}`));
          let slots = 0;
          for (let b = 0; b < B; b++) {
            assert.deepEqual([...splitsSeen[b]].sort((x, y) => x - y), Array.from({ length: nSplits[b] }, (_, k) => k), `${where}: sequence ${b}`);
            assert.equal(firstSlot[b], slots, `${where}: slots of sequence ${b}`);
            slots += nSplits[b];
          }
          assert.ok(slots <= B + parts - 1, `${where}: ${slots} partial slots`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
