// The main loop with one accumulator set (loop: 'one-set'): each K block is issued, waited for,
// its stage released and its promotion done before the next block is issued; the scales come from
// the ring or from the stage (staged scales), the next stage is waited for ahead (waitAhead), and
// warpgroup 1 may start a block late (stagger).
import type { MainLoopCode } from './loop.ts';

export const ONE_SET: MainLoopCode = {
  constants: String.raw`// The wait for block k+1's stage goes out while block k's WGMMAs run, not between the promotion
// and the next WGMMAs (waitAhead).
constexpr int WAIT_AHEAD = {{waitAhead}};
// Warpgroup 1 starts one K block after warpgroup 0, so that their promotions (FMAs, tensor cores
// idle) stop coinciding and each one's WGMMAs can run while the other promotes (stagger).
constexpr int STAGGER = {{stagger}};
`,
  state: String.raw`    bool staggered = false;
    if (STAGGER && MATH_WG > 1 && wg == 1) mbar_wait(offset, 0);
`,
  beforeTiles: String.raw`    // Moves to the next stage of the ring (its phase flips on the wrap).
    auto advance = [&]() { if (++stage == STAGES) { stage = 0; phase ^= 1; } };
`,
  tile: String.raw`      // One accumulator set: issue block k, wait for it, release its stage, promote, issue k+1.
      // (Two K blocks per trip, so the scale ring's slot is a constant after unrolling.)
      issue_block(acc[0], aDesc, bDesc, full, stage, phase);
      for (int kb = 0; kb < L; kb += 2) {
#pragma unroll
        for (int slot = 0; slot < 2; ++slot) {
          const int k = kb + slot;
          if (k < L) {
            const int done = stage;
            advance();
            // SMEM_SCALES: this block's scales out of its stage (full until released below).
            float stagedA[SUB_TILES][2];
            float stagedB[SPANS];
            if constexpr (SMEM_SCALES) staged_scales(stagedA, stagedB, stagedScales + done * SCALE_STRIDE, wg, warp, lane);
            // WAIT_AHEAD: the next block's stage is waited for while this block's WGMMAs run.
            const bool next = k + 1 < L;
            if (WAIT_AHEAD && next) mbar_wait(&full[stage], phase);
            wgmma_wait_all();
            if (STAGGER && MATH_WG > 1 && wg == 0 && !staggered) {
              if (threadIdx.x == 0) mbar_arrive(offset);
              staggered = true;
            }
            release(&empty[done], warp, lane);
            if constexpr (SMEM_SCALES) {
              promote(total, acc[0], stagedA, stagedB, boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1);
              if (next) issue_block(acc[0], aDesc, bDesc, full, stage, phase, WAIT_AHEAD);
            } else if constexpr (SPANS == 1) {
              // The ring slot is read in place (no copies), then refilled with block k+2's scales
              // once the next block is issued: the loads still have more than a block to land.
              promote(total, acc[0], saRing[slot], sbRing[slot], boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1);
              if (next) issue_block(acc[0], aDesc, bDesc, full, stage, phase, WAIT_AHEAD);
              if (k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
            } else {
              // Wide tiles keep the copy-then-refill order: in place, ptxas spills n=160-192.
              float sa[SUB_TILES][2];
              float sb[SPANS];
              copy_scales(sa, sb, saRing[slot], sbRing[slot]);
              if (k + 2 < L) next_scales(saRing[slot], sbRing[slot], rowNext, colNext, k + 2, L);
              promote(total, acc[0], sa, sb, boundary0, boundary1, FAULT_SKIP_LAST_K_BLOCK && k0 + k == KB - 1);
              if (next) issue_block(acc[0], aDesc, bDesc, full, stage, phase, WAIT_AHEAD);
            }
          }
        }
      }
`,
  afterTiles: String.raw``,
};
