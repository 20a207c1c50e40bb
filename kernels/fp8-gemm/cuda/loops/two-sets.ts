// The main loop with two accumulator sets (loop: 'two-sets'): block k+1's WGMMAs are issued into
// the other set before block k is promoted, so the tensor cores work through the promotion; with
// overlapStore the next tile's first block also goes in before this tile's last promotion and its
// store. Every read of a set follows a full wait (ptxas 13.0 serializes the WGMMAs of a schedule
// that reads one set after wait_group 1, C7514).
import type { MainLoopCode } from './loop.ts';

export const TWO_SETS: MainLoopCode = {
  constants: String.raw`// The next tile's first K block runs while this tile is promoted and stored (overlapStore, with
// an even number of K blocks).
constexpr int OVERLAP_STORE = {{overlapStore}};
`,
  state: String.raw``,
  beforeTiles: String.raw`    // Waits for the stage, issues its WGMMAs into the given set and moves on.
    auto issue = [&](float (&set)[SUB_TILES][ACC]) {
      issue_block(set, aDesc, bDesc, full, stage, phase);
      if (++stage == STAGES) { stage = 0; phase ^= 1; }
    };
    // Waits for every WGMMA in flight and frees the stage issued last.
    auto wait_and_release = [&]() {
      wgmma_wait_all();
      release(&empty[stage == 0 ? STAGES - 1 : stage - 1], warp, lane);
    };
    // Overlapped store: the first tile's first block goes in here; every later tile's first block
    // is issued before the previous tile's last promotion.
    if (OVERLAP_STORE && firstTile < tiles) issue(acc[0]);
`,
  tile: String.raw`      // Two accumulator sets: block k+1's WGMMAs run on the tensor cores while block k is promoted.
      // Every read of a set follows a wait for all groups: ptxas (13.0) serializes the WGMMAs
      // (C7514) when a set read after wait_group 1 was issued on an earlier loop trip.
      auto promote_block = [&](int k, int slot, const float (&set)[SUB_TILES][ACC]) {
        promote(total, set, saRing[slot], sbRing[slot], boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1);
        if (k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
      };
      if constexpr (!OVERLAP_STORE) issue(acc[0]);
      wait_and_release();
      int kb = 0;
      for (; kb + 2 < L; kb += 2) {
        issue(acc[1]);
        promote_block(kb, 0, acc[0]);
        wait_and_release();
        issue(acc[0]);
        promote_block(kb + 1, 1, acc[1]);
        wait_and_release();
      }
      if constexpr (OVERLAP_STORE) {
        // KB is even: blocks kb and kb+1 are left. The next tile's first block (or the spare
        // block after the last tile) goes in before the last promotion, and runs while this
        // tile is promoted and stored; the WGMMA state is then the same on every path.
        issue(acc[1]);
        promote_block(kb, 0, acc[0]);
        wait_and_release();
        issue(acc[0]);
        promote_block(kb + 1, 1, acc[1]);
      } else if (kb + 1 < L) {
        issue(acc[1]);
        promote_block(kb, 0, acc[0]);
        wait_and_release();
        promote_block(kb + 1, 1, acc[1]);
      } else {
        promote_block(kb, 0, acc[0]);
      }
`,
  afterTiles: String.raw`    // The spare block issued after the last tile.
    if (OVERLAP_STORE && firstTile < tiles) wait_and_release();
`,
};
