// The main loop with the m64 sub-tiles in turn (loop: 'in-turn'): the warpgroup's sub-tiles take
// turns through one accumulator set, each issued, waited for and promoted before the next (one set
// of ACC registers instead of SUB_TILES: 256-row tiles fit two math warpgroups' registers; the other
// warpgroup's WGMMAs run while this one promotes), turnUnroll K blocks per trip of the loop.
import type { MainLoopCode } from './loop.ts';

export const IN_TURN: MainLoopCode = {
  constants: String.raw`// The wait for block k+1's stage goes out with block k+2's scale loads while block k's last
// sub-tile's WGMMAs run (waitAhead).
constexpr int WAIT_AHEAD = {{waitAhead}};
// K blocks per trip of the loop (even: the scale ring has two slots; turnUnroll).
constexpr int TURN_UNROLL = {{turnUnroll}};
static_assert(TURN_UNROLL % 2 == 0, "the in-turn trip is whole pairs of blocks");
`,
  state: String.raw``,
  beforeTiles: String.raw``,
  tile: String.raw`      // Sub-tiles in turn: for each K block, each sub-tile is issued into acc[0][0], waited for and
      // promoted; the stage is freed after the last one's WGMMAs. (TURN_UNROLL blocks per trip,
      // below, so the scale ring's slot is a constant after unrolling.)
      // Block k through ring slot "slot" (a constant wherever it is called).
      auto turn_block = [&](const int k, const int slot) {
        if (!WAIT_AHEAD || k == 0) mbar_wait(&full[stage], phase);
        // WAIT_AHEAD: this block's scales are copied out of the ring, so that block k+2's loads
        // and the wait for block k+1's stage go out while the last sub-tile's WGMMAs run, not
        // between the WGMMAs and the promotion or the promotion and the next WGMMAs.
        // SMEM_SCALES: read out of the stage (it is full, and stays so until released below).
        float sa[SUB_TILES][2];
        float sb[SPANS];
        if constexpr (SMEM_SCALES) staged_scales(sa, sb, stagedScales + stage * SCALE_STRIDE, wg, warp, lane);
        else copy_scales(sa, sb, saRing[slot], sbRing[slot]);
#pragma unroll
        for (int s = 0; s < SUB_TILES; ++s) {
          issue_sub(acc[0][0], aDesc, bDesc, stage, s);
          if (WAIT_AHEAD && s == SUB_TILES - 1) {
            if (k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
            const bool wraps = stage + 1 == STAGES;
            if (k + 1 < L) mbar_wait(&full[wraps ? 0 : stage + 1], wraps ? phase ^ 1 : phase);
          }
          wgmma_wait_all();
          if (s == SUB_TILES - 1) release(&empty[stage], warp, lane);
          promote<1>(total, acc[0], sa, sb, boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1, s);
        }
        if (++stage == STAGES) { stage = 0; phase ^= 1; }
        if (!SMEM_SCALES && !WAIT_AHEAD && k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
      };
      // TURN_UNROLL blocks per trip with no test between them (so that ptxas moves each block's
      // stage wait up into the previous one's promotion, as in DeepGEMM's loop), then the blocks
      // left over. The trip is even, so a block's ring slot is its place in the trip modulo 2.
      int kb = 0;
      for (; kb + TURN_UNROLL <= L; kb += TURN_UNROLL) {
#pragma unroll
        for (int u = 0; u < TURN_UNROLL; ++u) turn_block(kb + u, u % 2);
      }
#pragma unroll
      for (int u = 0; u < TURN_UNROLL - 1; ++u)
        if (kb + u < L) turn_block(kb + u, u % 2);
`,
  afterTiles: String.raw``,
};
