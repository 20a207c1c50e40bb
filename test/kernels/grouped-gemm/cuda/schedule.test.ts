// The group walk's schedule, through its host mirror (the device code follows it step for step):
// every valid row and column of every group is covered by exactly one tile, padding rows and rows past
// masked_m by none, empty groups own no tile, and the persistent CTAs get as many tiles as each other
// (one more at most) however skewed the routing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupSchedule, scheduledTiles, searchStep, tileCoord, rowTileBound } from '../../../../kernels/grouped-gemm/cuda/schedule.ts';
import { groupLayout, type GroupedProblem } from '../../../../kernels/grouped-gemm/problem.ts';
import { presets } from '../../../../kernels/grouped-gemm/presets.ts';

/** Independent Zipf routing of 4 rows per expert over 24 experts: several experts get none. */
const withEmpty = (layout: GroupedProblem['layout']): GroupedProblem => ({ G: 24, M: 4, N: 200, K: 256, layout, routing: 'zipf', align: 32 });

const problems: GroupedProblem[] = [
  withEmpty('contiguous'),
  withEmpty('masked'),
  presets['tiny-contiguous-zipf'],
  presets['tiny-masked'],
  presets['dsv3-ep8-masked-g32-m16-n4096-k7168-zipf'],
  presets['dsv3-ep8-contiguous-g32-m256-n7168-k2048-zipf'],
];

test('the problems with empty groups have some (so the tests below see them)', () => {
  for (const layout of ['contiguous', 'masked'] as const) assert.ok(groupLayout(withEmpty(layout)).counts.filter((c) => c === 0).length >= 3);
});

test('every valid (row, column) of every group is stored by exactly one tile; padding and rows past masked_m by none', () => {
  for (const problem of problems) {
    const layout = groupLayout(problem);
    for (const [blockM, blockN] of [[64, 128], [128, 112], [128, 64]]) {
      for (const raster of [0 + 2 * 8, 1 + 2 * 8, 0 + 2 * 3]) {
        const covered = new Uint8Array(layout.rows * Math.ceil(problem.N / blockN));
        for (const tiles of scheduledTiles(problem, { blockM, blockN }, raster, 132)) {
          for (const tile of tiles) {
            const g = tile.group;
            assert.ok(layout.counts[g] > 0, 'an empty group owns no tile');
            assert.equal(tile.rowEnd, layout.offsets[g] + layout.counts[g]);
            assert.ok(tile.m0 >= layout.offsets[g] && tile.m0 < tile.rowEnd, `tile rows start inside group ${g}`);
            for (let r = tile.m0; r < Math.min(tile.m0 + blockM, tile.rowEnd); r++) covered[r * Math.ceil(problem.N / blockN) + tile.n0 / blockN]++;
          }
        }
        layout.counts.forEach((count, g) => {
          const end = problem.layout === 'masked' ? layout.mMax : (layout.offsets[g + 1] ?? layout.rows) - layout.offsets[g];
          for (let r = 0; r < end; r++) {
            for (let n = 0; n < Math.ceil(problem.N / blockN); n++) {
              const times = covered[(layout.offsets[g] + r) * Math.ceil(problem.N / blockN) + n];
              assert.equal(times, r < count ? 1 : 0, `group ${g} row ${r} column tile ${n} (${JSON.stringify(problem)}, ${blockM}x${blockN})`);
            }
          }
        });
      }
    }
  }
});

test('skewed routing: the CTAs get as many tiles as each other, one more at most, and the grid bound holds', () => {
  for (const problem of problems) {
    for (const blockM of [64, 128]) {
      const tiles = scheduledTiles(problem, { blockM, blockN: 128 }, 16, 132).map((t) => t.length);
      assert.ok(Math.max(...tiles) - Math.min(...tiles) <= 1, `${JSON.stringify(problem)}: ${Math.min(...tiles)}..${Math.max(...tiles)}`);
      const rowTiles = groupSchedule(problem, blockM).tileStart[problem.G];
      assert.ok(rowTiles <= rowTileBound(problem, blockM), 'the grid is sized from a bound of the row tiles that never falls below them');
    }
  }
});

test('the schedule: first tiles and rows per group as the layout has them (contiguous: padded offsets; masked: g x M_max)', () => {
  const problem = withEmpty('contiguous');
  const layout = groupLayout(problem);
  const s = groupSchedule(problem, 64);
  assert.deepEqual(s.rowStart, layout.offsets);
  assert.deepEqual(s.rows, layout.counts);
  assert.deepEqual(s.tileStart.slice(1).map((t, g) => t - s.tileStart[g]), layout.counts.map((c) => Math.ceil(c / 64)));
  const masked = groupSchedule(withEmpty('masked'), 64);
  assert.deepEqual(masked.rowStart, layout.counts.map((_, g) => g * groupLayout(withEmpty('masked')).mMax));
  // masked_m past M_max is clamped (the device reads counts it did not write).
  const clamped = groupSchedule(withEmpty('masked'), 64, [10_000, ...new Array(23).fill(0)]);
  assert.equal(clamped.rows[0], groupLayout(withEmpty('masked')).mMax);
});

test('the binary search step and the raster order cover every tile once', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 32, 33, 256].map(searchStep), [0, 1, 2, 2, 4, 16, 32, 128]);
  for (const raster of [16, 17, 6, 7]) {
    const seen = new Set<string>();
    for (let t = 0; t < 37 * 11; t++) {
      const { mt, nt } = tileCoord(t, 37, 11, raster);
      assert.ok(mt < 37 && nt < 11);
      seen.add(`${mt},${nt}`);
    }
    assert.equal(seen.size, 37 * 11);
  }
});
