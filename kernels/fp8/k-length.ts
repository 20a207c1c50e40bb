// The reduction length K of a block-scaled FP8 GEMM. It need not be a multiple of the 128-wide scale
// block (DeepSeek-V3-family shapes are not always): the last K block is then partial, its scales taken
// over the columns that exist (quantize.ts). It must be a multiple of 16: a row of A or B is K e4m3
// bytes, the row pitch of a TMA tensor map is a multiple of 16 bytes, and the codes travel packed
// four per u32 (WGSL, the SIMT kernel).
import { message, UsageError } from '../../core/errors.ts';
import { SCALE_BLOCK, scaleBlocks } from './quantize.ts';

export const K_MULTIPLE = 16;

/** Throws the one-line UsageError when K cannot be the row length of an e4m3 operand. */
export function checkKLength(K: number): void {
  if (K % K_MULTIPLE !== 0) throw new UsageError(message.kNotRowAligned(K, K_MULTIPLE));
}

/** K rounded up to whole scale blocks: the K of a kernel that walks whole 128-wide blocks over zero-filled tails. */
export const wholeBlocksK = (K: number): number => scaleBlocks(K) * SCALE_BLOCK;
